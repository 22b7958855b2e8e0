package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/browsertest"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestRequesterJourney walks in headless Chromium the mayor's side of a
// need: the public form, prefilled for a signed-in requester; the address
// confirmed by the emailed link (a reload creates nothing); the need
// followed on « Mes besoins » in plain words; an expert chosen among those
// proposed; the mission reviewed. The coordinator's and the expert's steps
// in between go through their own pages over HTTP.
func TestRequesterJourney(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()
	pool := expert.New(expert.Options{DB: db, Geo: geo.Default()})
	rate := 550
	ex, err := pool.Create(ctx, expert.Profile{Reference: "EXP-ZOE", FirstName: "Zoé", LastName: "Fernandez", Email: "zoe@vivier.test",
		Employment: expert.Independant, Commune: "01004", Zones: []string{"national"}, DailyRate: &rate,
		Skills: []expert.SkillLevel{{Code: "entreprises.foncier", Level: 3}}, Bio: "Zones d’activités et foncier économique."}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := pool.SetStatus(ctx, ex.ID, expert.Qualified, "", access.System); err != nil {
		t.Fatal(err)
	}
	u, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: "zoe@vivier.test", Name: "Zoé Fernandez", Role: access.Expert}, testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := pool.LinkUser(ctx, ex.ID, u.ID, access.System); err != nil {
		t.Fatal(err)
	}
	mayor := ta.emails["requester"]
	page := browsertest.NewPage(t, ta.srv.URL)

	// The mayor, signed in, finds the form filled with what Vivier knows.
	login(page, mayor)
	page.Visit("/besoins")
	if got := page.Text("h1"); got != "Mes besoins" || !strings.Contains(page.Text("#needs"), "aucun besoin") {
		t.Fatalf("« Mes besoins » before any: %q %q", got, page.Text("main"))
	}
	page.Submit("#new-need")
	if got := page.Value("#f-contact_email"); got != mayor {
		t.Errorf("the form's address: %q, want %q", got, mayor)
	}
	if got := page.Value("#f-contact_name"); got != "Compte requester" {
		t.Errorf("the form's name: %q", got)
	}
	if got := page.Value("#f-commune"); !strings.HasPrefix(got, "L'Abergement-Clémenciat") {
		t.Errorf("the form's commune: %q", got)
	}
	start := date.Today().AddDays(14)
	page.Fill("#f-title", "Relancer la zone d’activités du Bois").
		Set("#f-description", "Trois lots vides ; nous voulons attirer une entreprise artisanale.")
	page.Eval(`document.querySelectorAll("details.domain").forEach(function (d) { d.open = true })`)
	page.Check(`input[name=skills][value="entreprises.foncier"]`).
		Set("#f-start", start.String()).Set("#f-end", start.AddDays(60).String()).
		Check("#f-consent").Submit(`form.need-form button[type=submit]`)
	if got := page.Text("h1"); got != "Confirmez votre adresse électronique" || page.Path() != "/besoins/envoye" {
		t.Fatalf("after submitting: %s %q (%s)", page.Path(), got, page.Text("main"))
	}

	// The link of the email, then a reload of the page it leads to.
	link := confirmationPath(t, db, mayor)
	page.Visit(link).Submit(`form[action^="/confirmer-besoin/"] button[type=submit]`)
	if got := page.Text("h1"); got != "Merci, votre besoin est enregistré" {
		t.Fatalf("after confirming: %q (%s)", got, page.Text("main"))
	}
	page.Visit(link)
	if got := page.Text("h1"); got != "Merci, votre besoin est enregistré" {
		t.Errorf("reloading the confirmed link: %q", got)
	}
	if n := count(t, db, `SELECT count(*) FROM needs`); n != 1 {
		t.Fatalf("%d needs after confirming and reloading", n)
	}
	var needID int64
	db.QueryRowContext(ctx, `SELECT id FROM needs`).Scan(&needID)

	// « Mes besoins » says where it stands, in plain words.
	page.Visit("/besoins")
	if got := page.Text(`#needs td.need-state`); got != fr.TypesetString("reçu : la fédération l’étudie") {
		t.Errorf("the state of a new need: %q", got)
	}

	// The coordinator qualifies and proposes Zoé; Zoé accepts.
	coord := ta.as(t, ta.emails["coordinator"])
	if status, body := coord.post("/besoins/"+itoa(needID)+"/statut", url.Values{"status": {"qualified"}}); status != 303 {
		t.Fatalf("qualify: %d %s", status, excerptOf([]byte(body)))
	}
	if status, body := coord.post("/besoins/"+itoa(needID)+"/propositions", url.Values{"references": {"EXP-ZOE"}, "reason": {"Disponible, confirmé par téléphone."}, "message": {"Votre expérience compte ici."}}); status != 303 {
		t.Fatalf("propose: %d %s", status, excerptOf([]byte(body)))
	}
	var proposalID int64
	db.QueryRowContext(ctx, `SELECT id FROM proposals`).Scan(&proposalID)
	if status, body := ta.as(t, "zoe@vivier.test").post("/propositions/"+itoa(proposalID)+"/reponse", url.Values{"decision": {"accept"}}); status != 303 {
		t.Fatalf("accept: %d %s", status, excerptOf([]byte(body)))
	}

	// The mayor follows the need and chooses Zoé.
	page.Visit("/besoins")
	if got := page.Text(`#needs td.need-state`); got != "des experts vous sont proposés" {
		t.Errorf("the state of a need with proposals: %q", got)
	}
	page.Submit(`#needs tbody a`)
	if !strings.Contains(page.Text("#to-choose"), "Zoé Fernandez") {
		t.Fatalf("the experts to choose: %q", page.Text("main"))
	}
	page.Submit(`#to-choose button[type=submit]`)
	if !strings.HasPrefix(page.Path(), "/missions/") || page.Text("#mission-status") != "planifiée" {
		t.Fatalf("after choosing: %s %q", page.Path(), page.Text("main"))
	}
	missionPath, _, _ := strings.Cut(page.Path(), "?")

	// The mission runs its course; the mayor reviews it.
	var missionID int64
	db.QueryRowContext(ctx, `SELECT id FROM missions`).Scan(&missionID)
	for _, to := range []mission.Status{mission.InProgress, mission.Delivered, mission.Closed} {
		if err := ta.Missions.Move(ctx, missionID, to, access.System); err != nil {
			t.Fatalf("move to %s: %v", to, err)
		}
	}
	page.Visit("/tableau-de-bord")
	page.Submit(`#to-review a`)
	if got, _, _ := strings.Cut(page.Path(), "?"); got != missionPath {
		t.Errorf("the mission to review: %s, want %s", got, missionPath)
	}
	page.Set("#f-rating", "5").Fill("#f-comment", "Une experte à l’écoute des élus.").Submit(`#review-form button`)
	if !strings.Contains(page.Text("#reviews"), "5/5") || page.Has("#review-form") {
		t.Fatalf("after reviewing: %q", page.Text("main"))
	}
	page.Visit("/besoins")
	if got := page.Text(`#needs td.need-state`); got != fr.TypesetString("expert choisi : la mission est lancée") {
		t.Errorf("the state of a need with its mission: %q", got)
	}

	// Nothing scrolls sideways on a 320 px screen, for the mayor nor for
	// the coordinator.
	noSidewaysScroll(t, page, "/besoins", "/besoins/"+itoa(needID)+"/propositions", missionPath)
	logout(page)
	login(page, ta.emails["coordinator"])
	noSidewaysScroll(t, page, "/besoins/"+itoa(needID), "/experts/"+itoa(ex.ID), missionPath)
}
