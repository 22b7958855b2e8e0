package app_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vivier/internal/access"
	"vivier/internal/audience"
	"vivier/internal/browsertest"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestReportJourney walks in headless Chromium the making of the activity
// report: a coordinator records a hearing and chooses its delegation
// through the helper, records a press mention and the follower counts of
// the federation's page, and publishes the report of the year; an
// anonymous visitor then reads the public report, which names no person,
// and its PDF, whose text holds the same figures.
func TestReportJourney(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()
	year := date.Today().Year
	y := fmt.Sprint(year)
	// Three member agencies, their fees of the year paid, and one agency
	// that is not a member: the helper never proposes it.
	if err := ta.Network.SaveSchedule(ctx, networkSchedule(year), access.System); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Agence d’attractivité de la Loire", "Agence de développement du Finistère", "Agence économique de l’Hérault"} {
		m, err := ta.Network.Join(ctx, network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: name,
			SIREN: luhnSIREN(fmt.Sprintf("7222222%d", i)), Basis: 900_000, Territory: []string{[]string{"dep:42", "dep:29", "dep:34"}[i]}, Listed: true}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := ta.Network.Memberships(ctx, network.MembershipFilter{OrgID: m.ID}, access.System)
		if err != nil || len(ms) != 1 {
			t.Fatal(ms, err)
		}
		if err := ta.Network.Pay(ctx, ms[0].ID, network.Payment{PaidOn: date.Today(), Mode: network.Transfer}, access.System); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence non adhérente"}); err != nil {
		t.Fatal(err)
	}
	linkedin, err := ta.Audiences.CreateAccount(ctx, audience.AccountInput{Slug: "linkedin", Name: "Page LinkedIn de la fédération",
		Kind: audience.ProfessionalNetwork, Metric: audience.Followers, URL: "https://www.linkedin.com/company/federation"}, access.System)
	if err != nil {
		t.Fatal(err)
	}

	page := browsertest.NewPage(t, ta.srv.URL)
	login(page, ta.emails["coordinator"])

	// A hearing before a Senate committee, on the first theme offered.
	page.Visit("/representation/nouvelle")
	page.Check(`input[name=kind][value=hearing]`).Fill("#f-body", "Commission des affaires économiques du Sénat").
		Set("#f-body_kind", "parliament").Set("#f-held_on", y+"-03-10").Fill("#f-topic", "Ingénierie territoriale des petites communes").
		Check(`input[name=domains]`).Submit(`#act-form button[type=submit]`)
	if !page.Has("#helper-link") {
		t.Fatalf("after recording the hearing: %q", page.Text("main"))
	}
	actPath := page.Path()
	var actID int64
	if _, err := fmt.Sscanf(actPath, "/representation/%d", &actID); err != nil {
		t.Fatalf("the hearing's page is %s", actPath)
	}
	// The helper proposes two agencies, each explained; the coordinator
	// takes them.
	page.Submit("#helper-link")
	page.Fill("#f-taille", "2").Submit("#helper-size button")
	if n := page.Count("#picks li[data-id]"); n != 2 {
		t.Fatalf("the helper proposes %d agencies, want 2: %q", n, page.Text("main"))
	}
	if strings.Contains(page.Text("main"), "Agence non adhérente") || strings.Contains(page.Text("main"), "Agence de test") {
		t.Errorf("the helper proposes an agency that is not a member: %q", page.Text("main"))
	}
	if reason := page.Text("#picks li .reason"); reason == "" {
		t.Error("the helper does not explain its first pick")
	}
	page.Submit("#choose-delegation")
	if rows := page.Count("#delegation-agencies tbody tr"); rows != 2 {
		t.Fatalf("the delegation has %d agencies: %q", rows, page.Text("#delegation"))
	}
	// A person of the delegation: personal data the public report must
	// not show.
	if err := ta.Representation.AddPerson(ctx, actID, representation.Person{Name: "Jeanne Personnelle", Role: "directrice"}, access.System); err != nil {
		t.Fatal(err)
	}

	// A press mention in the national press.
	page.Visit("/presse")
	page.Fill("#f-outlet", "Les Échos").Set("#f-scope", "national").Set("#f-published_on", y+"-04-02").
		Fill("#f-title", "Les agences, ingénieurs discrets des petites communes").Fill("#f-url", "https://presse.exemple.fr/agences").
		Submit("#press-form button[type=submit]")
	if got := page.Text("#press-total"); got != "1" {
		t.Fatalf("the year's press mentions: %q (%q)", got, page.Text("main"))
	}

	// The page's followers at the start of the year and today: +75 %.
	for _, c := range []struct{ day, value string }{{y + "-01-02", "4000"}, {date.Today().String(), "7 000"}} {
		page.Visit("/audiences")
		page.Set("#f-account", fmt.Sprint(linkedin.ID)).Set("#f-day", c.day).Fill("#f-value", c.value).Submit("#count-form button[type=submit]")
	}
	if got := page.Text(`#audiences tr[data-slug=linkedin] .growth`); !strings.Contains(got, "75") {
		t.Fatalf("the page's growth: %q", got)
	}

	// The draft report has the figures; the coordinator publishes it.
	page.Visit("/rapport/" + y)
	want := map[string]string{
		"representation.hearings":                 "1",
		"representation.agencies_in_delegations":  "2",
		"communication.press_mentions":            "1",
		"communication.press_national":            "1",
		"communication.followers_growth.linkedin": "+75,0\u00a0%",
	}
	read := func(who string) {
		t.Helper()
		for key, v := range want {
			if got := page.Text("#" + report.FigureID(key) + " .value"); got != v {
				t.Errorf("%s reads %s = %q, want %q", who, key, got, v)
			}
		}
	}
	read("the draft")
	page.Submit("#publish-form button[type=submit]")
	if st := page.Text("#statut"); !strings.Contains(st, "Rapport publié") {
		t.Fatalf("after publishing: %q", st)
	}
	logout(page)

	// An anonymous visitor reads the public report: the same figures, the
	// hearing and its agencies, no person.
	page.Visit("/rapport/" + y)
	read("the public report")
	body := page.Text("main")
	for _, secret := range []string{"Jeanne Personnelle", "Compte coordinator", "coordinator@vivier.test", "@vivier.test"} {
		if strings.Contains(body, secret) {
			t.Errorf("the public report shows %q", secret)
		}
	}
	if page.Has("#publish-form") || page.Has("#republish-form") || page.Has("#derive") {
		t.Error("the public report offers staff's actions")
	}
	if !strings.Contains(page.Text("#table-hearings"), "Agence") {
		t.Errorf("the public report does not list the hearing's delegation: %q", page.Text("#table-hearings"))
	}

	// The PDF, fetched as the visitor, holds the same figures.
	encoded, err := chromedp.Run(page.Context(), chromedp.Evaluate[string](fmt.Sprintf(`fetch("/rapport/%s/rapport.pdf").then(r => {
		if (r.headers.get("Content-Type") !== "application/pdf") throw new Error("not a PDF: " + r.status);
		return r.arrayBuffer();
	}).then(b => { let s = ""; for (const c of new Uint8Array(b)) s += String.fromCharCode(c); return btoa(s); })`, y), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the PDF: %v", err)
	}
	doc, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, doc)
	for _, w := range []string{"Rapport d’activité " + y, "Auditions", "Retombées presse", "Abonnés — Page LinkedIn de la fédération", "+75,0",
		"Commission des affaires économiques du Sénat"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
	if strings.Contains(text, "Jeanne Personnelle") {
		t.Error("the PDF names a person of the delegation")
	}
}
