package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestSubscriberDataFromTheirPage: from the preferences page their emails
// link to, a reader without an account downloads their data as JSON, then
// erases it; the page is gone and the address is never mailed again.
func TestSubscriberDataFromTheirPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newsletterApp(t, db)
		ctx := context.Background()
		s := ta.Newsletter
		l, err := s.CreateList(ctx, newsletter.ListInput{Name: "Lettre", Public: true, DoubleOptIn: true}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSubscribers(ctx, l.ID, []newsletter.NewSubscriber{{Email: "ines@exemple.fr", Name: "Inès", Tracking: true}}, access.System); err != nil {
			t.Fatal(err)
		}
		c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Nouvelles", Body: "Bonjour.", ListIDs: []int64{l.ID}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
			t.Fatal(err)
		}
		token := sentTo(t, ta, c.ID)[0]
		leaving, err := s.LeavingOf(ctx, token, access.System)
		if err != nil {
			t.Fatal(err)
		}
		page := "/lettres/preferences/" + leaving.Preferences
		if _, body := ta.get(t, "", page); !strings.Contains(body, "Télécharger mes données") || !strings.Contains(body, "Effacer mes données") {
			t.Fatalf("the preferences page offers no download or erasure: %s", excerptOf([]byte(body)))
		}
		resp, body := ta.get(t, "", page+"/donnees")
		var data newsletter.PersonData
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || json.Unmarshal([]byte(body), &data) != nil {
			t.Fatalf("download: %d %s", resp.StatusCode, excerptOf([]byte(body)))
		}
		if data.Email != "ines@exemple.fr" || data.Name != "Inès" || len(data.Subscriptions) != 1 || len(data.Messages) != 1 {
			t.Errorf("downloaded data: %+v", data)
		}
		if resp, _ := ta.get(t, "", "/lettres/preferences/s1.AAAAAAAAAAAAAAAAAAAAAA/donnees"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a forged link's data: %d", resp.StatusCode)
		}
		resp, _ = ta.postPublic(t, page+"/effacement", url.Values{})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/lettres?ok=lettre-effacee" {
			t.Fatalf("erasure: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, path := range []string{page, page + "/donnees"} {
			if resp, _ := ta.get(t, "", path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s after erasure: %d", path, resp.StatusCode)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM subscribers WHERE email = 'ines@exemple.fr' OR name = 'Inès'`); n != 0 {
			t.Errorf("%d subscribers still named after erasure", n)
		}
		if n := count(t, db, `SELECT count(*) FROM newsletter_suppressions WHERE email = 'ines@exemple.fr'`); n != 1 {
			t.Errorf("the erased address is not on the suppression list")
		}
	})
}
