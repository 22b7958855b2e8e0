package app_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/browsertest"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/mail"
	"vivier/internal/need"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// journey is the cast of TestMissionJourney: a requester of commune 01001
// with a submitted need, and two qualified experts with their accounts,
// Alpha en_poste and Bravo independent, all without a second factor.
type journey struct {
	needID  int64
	experts map[string]int64 // login email → expert id
}

func newJourney(t *testing.T, ta *testApp, db *store.DB) journey {
	t.Helper()
	ctx := context.Background()
	commune, err := organisation.EnsureCommune(ctx, db, geo.Default(), "01001")
	if err != nil {
		t.Fatal(err)
	}
	req, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: "maire@vivier.test", Name: "Jeanne Rivière", Role: access.Requester, OrganisationID: commune.ID}, testPassword, true)
	if err != nil {
		t.Fatal(err)
	}
	today := date.Today()
	needs := need.New(need.Options{DB: db, Geo: geo.Default()})
	n, err := submitConfirmed(t, ctx, db, needs, need.Input{Title: "Relancer la zone d’activités", Description: "Requalifier la zone et accueillir des entreprises.",
		Commune: "01001", Kind: need.Mission, Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}},
		Start: today, End: today.AddDays(27), DaysPerWeek: 2, Format: need.Onsite,
		Contact: &need.Contact{Name: "Jeanne Rivière", Email: "maire@vivier.test", Role: "maire"}}, access.Actor{UserID: req.ID})
	if err != nil {
		t.Fatal(err)
	}
	j := journey{needID: n.ID, experts: map[string]int64{}}
	pool := expert.New(expert.Options{DB: db, Geo: geo.Default()})
	rate := 600
	for _, e := range []struct {
		ref, last, email string
		emp              expert.Employment
	}{
		{"EXP-ALPHA", "Alpha", "alpha@vivier.test", expert.EnPoste},
		{"EXP-BRAVO", "Bravo", "bravo@vivier.test", expert.Independant},
	} {
		ex, err := pool.Create(ctx, expert.Profile{Reference: e.ref, FirstName: "Camille", LastName: e.last, Email: e.email, Employment: e.emp,
			Commune: "69123", Zones: []string{"national"}, Skills: []expert.SkillLevel{{Code: "entreprises.foncier", Level: 3}}, DailyRate: &rate,
			Bio: "Foncier économique et zones d’activités."}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := pool.SetStatus(ctx, ex.ID, expert.Qualified, "", access.System); err != nil {
			t.Fatal(err)
		}
		u, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: e.email, Name: "Camille " + e.last, Role: access.Expert}, testPassword, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := pool.LinkUser(ctx, ex.ID, u.ID, access.System); err != nil {
			t.Fatal(err)
		}
		j.experts[e.email] = ex.ID
	}
	return j
}

func login(page *browsertest.Page, email string) {
	page.Visit("/connexion")
	page.Fill("#f-email", email).Fill("#f-password", testPassword).Submit(`form[action="/connexion"] button[type=submit]`)
}

func logout(page *browsertest.Page) { page.Submit(`nav form[action="/deconnexion"] button`) }

// lastLink returns the last link of the outbox that matches re.
func lastLink(t *testing.T, db *store.DB, re *regexp.Regexp) string {
	t.Helper()
	msgs, err := mail.List(context.Background(), db, "", 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if got := re.FindStringSubmatch(m.Message.Text); got != nil {
			return got[1]
		}
	}
	t.Fatalf("no email holds %s", re)
	return ""
}

// TestMissionJourney walks in headless Chromium a need from its submission
// to the review of its mission: a coordinator proposes two experts, one
// declines and one accepts, the requester chooses, the employer agrees
// through the emailed link, the expert logs a day and uploads a
// deliverable, the mission is closed and reviewed, and the coordinator's
// dashboard counts it.
func TestMissionJourney(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	j := newJourney(t, ta, db)
	if err := need.New(need.Options{DB: db, Geo: geo.Default()}).Qualify(context.Background(), j.needID, "Besoin clair.", access.System); err != nil {
		t.Fatal(err)
	}
	page := browsertest.NewPage(t, ta.srv.URL)
	needPage := "/besoins/" + itoa(j.needID) + "/propositions"

	// The coordinator's dashboard before.
	login(page, ta.emails["coordinator"])
	page.Visit("/tableau-de-bord")
	closedCell := `#table-missions-statut tbody tr:nth-child(4) td`
	// The chart's table is behind « voir les données ».
	showData := func() { page.Click(`#t-missions-statut ~ details.data summary`) }
	showData()
	if got := page.Text(closedCell); got != "0" {
		t.Fatalf("closed missions before any: %q", got)
	}

	// The coordinator proposes both experts by reference; a double submit
	// would propose nobody twice.
	page.Visit(needPage)
	page.Fill("#f-references", "EXP-ALPHA, EXP-BRAVO").Set("#f-reason", "Disponibles en janvier, confirmé par téléphone.").Set("#f-message", "Votre expérience des zones d’activités compte ici.").
		Submit(`#propose-form button[type=submit]`)
	if !strings.HasPrefix(page.Path(), needPage) || page.Count(`#proposals tbody tr[data-status="pending"]`) != 2 {
		t.Fatalf("after proposing: %s, %q", page.Path(), page.Text("main"))
	}
	logout(page)

	// Bravo declines with a reason; Alpha accepts.
	login(page, "bravo@vivier.test")
	page.Submit(`#to-answer a`)
	page.Submit(`#decline-form button[type=submit]`)
	if !strings.Contains(page.Text("#e-reason"), "dites pourquoi") {
		t.Fatalf("declining without a reason: %q", page.Text("main"))
	}
	page.Fill("#f-reason", "Pas disponible avant février.").Submit(`#decline-form button[type=submit]`)
	if got := page.Text("#proposal-status"); got != "déclinée" {
		t.Fatalf("status after declining %q", got)
	}
	logout(page)
	login(page, "alpha@vivier.test")
	page.Submit(`#to-answer a`)
	page.Submit(`#accept-form button[type=submit]`)
	if got := page.Text("#proposal-status"); got != "acceptée par l’expert" {
		t.Fatalf("status after accepting %q", got)
	}
	logout(page)

	// The requester sees Alpha's profile and chooses.
	login(page, "maire@vivier.test")
	page.Submit(`#to-choose-list a`)
	if n := page.Count("#to-choose > li"); n != 1 || !strings.Contains(page.Text("#to-choose"), "Camille Alpha") || !strings.Contains(page.Text("#to-choose"), "600") ||
		!strings.Contains(page.Text("#to-choose"), "Foncier, immobilier d’entreprise, zones d’activités (confirmé)") {
		t.Fatalf("%d experts to choose: %q", n, page.Text("main"))
	}
	page.Submit(`#to-choose button[type=submit]`)
	if !strings.HasPrefix(page.Path(), "/missions/") || page.Text("#mission-status") != "planifiée" {
		t.Fatalf("after choosing: %s %q", page.Path(), page.Text("main"))
	}
	missionPath, _, _ := strings.Cut(page.Path(), "?")
	logout(page)

	// The coordinator asks the employer's agreement; the mission cannot
	// start before.
	login(page, ta.emails["coordinator"])
	page.Visit(missionPath)
	if page.Has("#move-form") || !strings.Contains(page.Text("#move-blocked"), "accord de l’employeur") {
		t.Fatalf("offered to start without the employer: %q", page.Text("main"))
	}
	page.Fill("#f-employer_email", "drh@agence-exemple.fr").Submit(`#employer-form button`)
	if got := page.Text("#employer-status"); !strings.HasPrefix(got, "demandé") {
		t.Fatalf("employer status %q", got)
	}
	logout(page)
	token := lastLink(t, db, regexp.MustCompile(`/accord-employeur/([A-Za-z0-9_-]+)`))
	page.Visit("/accord-employeur/" + token)
	page.Submit(`#agree-form button`)
	if !strings.Contains(page.Text("main"), "votre réponse est enregistrée") {
		t.Fatalf("employer's answer: %q", page.Text("main"))
	}
	page.Visit("/accord-employeur/" + token)
	if !strings.Contains(page.Text("main"), "déjà servi") {
		t.Fatalf("a replayed employer link: %q", page.Text("main"))
	}

	// The coordinator starts the mission; the expert logs a day, uploads a
	// deliverable and delivers.
	login(page, ta.emails["coordinator"])
	page.Visit(missionPath)
	page.Submit(`#move-form button`)
	if got := page.Text("#mission-status"); got != "en cours" {
		t.Fatalf("status %q after starting", got)
	}
	logout(page)
	login(page, "alpha@vivier.test")
	page.Submit(`#to-log a`)
	page.Set("#f-day", date.Today().String()).Fill("#f-note", "Visite de la zone avec les élus.").Submit(`#day-form button`)
	if got := page.Text("#logged-days"); got != "1" {
		t.Fatalf("logged days %q: %q", got, page.Text("main"))
	}
	pdf := filepath.Join(t.TempDir(), "diagnostic.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	page.Upload("#f-file", pdf).Submit(`#file-form button`)
	if !strings.Contains(page.Text("#files"), "diagnostic.pdf") {
		t.Fatalf("the deliverable is not listed: %q", page.Text("main"))
	}
	page.Set("#f-report", "Zone diagnostiquée ; plan d’action remis aux élus.").Submit(`#report-form button`)
	page.Submit(`#move-form button`)
	if got := page.Text("#mission-status"); got != "livrée" {
		t.Fatalf("status %q after delivering", got)
	}
	if page.Has("#move-form") {
		t.Error("the expert is offered to close the mission")
	}
	logout(page)

	// The coordinator closes; the requester reviews once.
	login(page, ta.emails["coordinator"])
	page.Visit(missionPath)
	page.Submit(`#move-form button`)
	if got := page.Text("#mission-status"); got != "clôturée" {
		t.Fatalf("status %q after closing", got)
	}
	logout(page)
	login(page, "maire@vivier.test")
	page.Submit(`#to-review a`)
	page.Set("#f-rating", "4").Fill("#f-comment", "Diagnostic clair et utile.").Submit(`#review-form button`)
	if !strings.Contains(page.Text("#reviews"), "4/5") || page.Has("#review-form") {
		t.Fatalf("after reviewing: %q", page.Text("main"))
	}
	logout(page)

	// The coordinator's dashboard counts the closed mission, its day and review.
	login(page, ta.emails["coordinator"])
	page.Visit("/tableau-de-bord")
	showData()
	if got := page.Text(closedCell); got != "1" {
		t.Errorf("closed missions after the journey: %q", got)
	}
	summary := page.Text("#summary")
	for _, want := range []string{"Jours réalisés 1", "Note moyenne 4,0 / 5 (1 avis)", "Économie estimée face à un cabinet privé 400"} {
		if !strings.Contains(strings.Join(strings.Fields(summary), " "), want) {
			t.Errorf("summary lacks %q: %q", want, summary)
		}
	}
	if !page.Has(`svg[role="img"] title`) {
		t.Error("no accessible chart")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
