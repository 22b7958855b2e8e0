package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestNewsletterFiguresAndExports: staff download a campaign's figures
// and a period's as CSV (the machines' share in its own columns, each link
// and the trap apart), read the period's page with its chart and its
// definitions, and export a list, which imports back.
func TestNewsletterFiguresAndExports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newsletterApp(t, db)
		ctx := context.Background()
		s := ta.Newsletter
		l, err := s.CreateList(ctx, newsletter.ListInput{Name: "Lettre des agences", Public: true}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSubscribers(ctx, l.ID, []newsletter.NewSubscriber{{Email: "ana@exemple.fr", Name: "Ana", Tracking: true},
			{Email: "bruno@exemple.fr", Tracking: true}, {Email: "chloe@exemple.fr", Name: "Chloé"}}, access.System); err != nil {
			t.Fatal(err)
		}
		c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Nouvelles de décembre", Body: "Le [forum](https://federation.example/forum).", ListIDs: []int64{l.ID}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
			t.Fatal(err)
		}
		tokens := sentTo(t, ta, c.ID)
		s.Open(ctx, tokens[0], "Mozilla/5.0", access.Visitor("17.58.1.2"))                                      // Apple's proxy
		s.Click(ctx, tokens[1], 0, "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0", access.Visitor("192.0.2.40")) // a reader
		if err := s.FlushHits(ctx); err != nil {
			t.Fatal(err)
		}

		resp, body := ta.get(t, "coordinator", "/admin/campagnes/"+strconv.FormatInt(c.ID, 10)+"/chiffres.csv")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("campaign CSV: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{"chiffre", "Ouvreurs machines seulement", "Lien 1 : https://federation.example/forum", "Lien piège invisible"} {
			if !strings.Contains(body, want) {
				t.Errorf("campaign CSV lacks %q:\n%s", want, body)
			}
		}
		resp, body = ta.get(t, "coordinator", "/admin/lettres-chiffres.csv")
		if resp.StatusCode != 200 || !strings.Contains(body, "ouvreurs_machines_seulement") || !strings.Contains(body, "taux_naif_pct") {
			t.Fatalf("period CSV: %d\n%s", resp.StatusCode, body)
		}
		var row string
		for _, line := range strings.Split(body, "\n") {
			if strings.Contains(line, "Nouvelles de décembre") {
				row = line
			}
		}
		// 2 delivered and measured, 1 human opener (her click), 1 machine-only
		// opener, 1 pixel loaded, 1 human clicker: open rate 50 %, naive 50 %.
		for _, want := range []string{"3", "2", "1", "50,0"} {
			if !strings.Contains(row, want) {
				t.Errorf("the campaign's row in the period CSV lacks %q: %q", want, row)
			}
		}
		resp, body = ta.get(t, "coordinator", "/admin/lettres-chiffres")
		if resp.StatusCode != 200 || !strings.Contains(body, `id="period-open-rate"`) || !strings.Contains(body, "<svg") ||
			!strings.Contains(body, "Nouvelles de décembre") {
			t.Errorf("period page: %d %s", resp.StatusCode, excerptOf([]byte(body)))
		}

		resp, body = ta.get(t, "coordinator", "/admin/lettres/"+strconv.FormatInt(l.ID, 10)+"/export.csv")
		if resp.StatusCode != 200 || !strings.Contains(body, "email") || !strings.Contains(body, "chloe@exemple.fr") {
			t.Fatalf("list export: %d\n%s", resp.StatusCode, body)
		}
		other, err := s.CreateList(ctx, newsletter.ListInput{Name: "Copie"}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		added, err := s.Import(ctx, other.ID, strings.NewReader(body), newsletter.LegitimateInterest, access.System)
		if err != nil || added.Added != 3 {
			t.Errorf("the export imported back: %+v %v", added, err)
		}
		if resp, _ := ta.get(t, "member", "/admin/lettres-chiffres.csv"); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
			t.Errorf("a member reads the figures: %d", resp.StatusCode)
		}
	})
}
