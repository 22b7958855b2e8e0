package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vivier/internal/access"
	"vivier/internal/browsertest"
	"vivier/internal/date"
	"vivier/internal/demo"
	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestExpertListCountsExactly: the list counts every match, names its
// pages truly, answers a page past the last with the last, shows the
// reference, and writes names as the profile does.
func TestExpertListCountsExactly(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()
	pool := expert.New(expert.Options{DB: db, Geo: geo.Default()})
	var first int64
	for i := range 45 {
		e, err := pool.Create(ctx, expert.Profile{Reference: fmt.Sprintf("EXP-%03d", i), FirstName: "Zoé", LastName: fmt.Sprintf("Fernandez%02d", i),
			Email: fmt.Sprintf("zoe%d@exemple.fr", i), Employment: expert.Independant, Commune: "69123", Zones: []string{"national"},
			Skills: []expert.SkillLevel{{Code: "entreprises.foncier", Level: 3}}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = e.ID
		}
	}
	coord := ta.as(t, ta.emails["coordinator"])
	status, body := coord.get("/experts")
	if caption := between(body, "<caption>", "</caption>"); status != 200 || caption != "45 experts trouvés — page 1 sur 3" {
		t.Errorf("caption %q", caption)
	}
	if !strings.Contains(body, "<td>EXP-000</td>") || !strings.Contains(body, ">Zoé Fernandez00</a>") {
		t.Errorf("the reference and the name as on the profile: %s", between(body, "<tbody>", "</tr>"))
	}
	if _, profile := coord.get(fmt.Sprintf("/experts/%d", first)); !strings.Contains(profile, "<h1>Zoé Fernandez00</h1>") {
		t.Errorf("the profile's name: %s", between(profile, "<h1>", "</h1>"))
	}
	req, _ := http.NewRequest("GET", ta.srv.URL+"/experts?page=100", nil)
	if status, _ := coord.send(req); status != http.StatusSeeOther {
		t.Errorf("page 100 of 3: %d", status)
	}
	if _, body := coord.get("/experts?page=3"); !strings.Contains(between(body, "<caption>", "</caption>"), "page 3 sur 3") {
		t.Errorf("the last page: %s", between(body, "<caption>", "</caption>"))
	}
}

// TestExpertListStopsCountingPastFiveThousand: a filter matching more
// than 5,000 experts says « plus de 5 000 » without a last page and pages
// on; past the 250 pages counted, the count is exact again: the last page
// is named, and a page beyond it shows it.
func TestExpertListStopsCountingPastFiveThousand(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	var csv bytes.Buffer
	g := demo.NewGenerator(7, geo.Default(), date.MustParse("2026-12-01"))
	if _, err := g.WriteExpertsCSV(&csv, 5100); err != nil {
		t.Fatal(err)
	}
	pool := expert.New(expert.Options{DB: db, Geo: geo.Default()})
	if _, err := pool.Import(context.Background(), &csv, expert.ImportOptions{}, access.System); err != nil {
		t.Fatal(err)
	}
	coord := ta.as(t, ta.emails["coordinator"])
	status, body := coord.get("/experts")
	caption := between(body, "<caption>", "</caption>")
	if status != 200 || !strings.HasPrefix(caption, fr.TypesetString("plus de "+fr.Int(5000)+" experts trouvés — page 1 (")) {
		t.Errorf("caption %q", caption)
	}
	if !strings.Contains(body, `rel="next"`) {
		t.Error("no next page")
	}
	if _, body := coord.get("/experts?page=250"); !strings.Contains(body, `rel="next"`) {
		t.Errorf("page 250 has no next page: %s", between(body, "<caption>", "</caption>"))
	}
	// 5,100 experts, 20 a page: page 255 is the last.
	_, body = coord.get("/experts?page=251")
	if caption := between(body, "<caption>", "</caption>"); caption != fr.TypesetString(fr.Int(5100)+" experts trouvés — page 251 sur 255") {
		t.Errorf("page 251: %q", caption)
	}
	if _, body := coord.get("/experts?page=255"); strings.Contains(body, `rel="next"`) || strings.Count(between(body, "<tbody>", "</tbody>"), "<tr>") == 0 {
		t.Errorf("the last page: %s", between(body, "<caption>", "</caption>"))
	}
	req, _ := http.NewRequest("GET", ta.srv.URL+"/experts?page=400", nil)
	if status, _ := coord.send(req); status != http.StatusSeeOther {
		t.Errorf("a page past the experts: %d", status)
	}
}

// noSidewaysScroll reports the pages among paths that are wider than a
// 320 px screen.
func noSidewaysScroll(t *testing.T, page *browsertest.Page, paths ...string) {
	t.Helper()
	if _, err := chromedp.Run(page.Context(), chromedp.EmulateViewport(320, 640)); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		page.Visit(p)
		if wide, _ := page.Eval(`document.documentElement.scrollWidth > document.documentElement.clientWidth`).(bool); wide {
			w, _ := page.Eval(`document.documentElement.scrollWidth`).(float64)
			t.Errorf("%s is %v px wide on a 320 px screen", p, w)
		}
	}
}

// TestMissionPageOffersWhatCanSucceed: a mission waiting for the
// employer's agreement offers no start that would fail and says why; a
// need is added by searching its title or commune, not by its number.
func TestMissionPageOffersWhatCanSucceed(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	j := newJourney(t, ta, db)
	ctx := context.Background()
	needs := need.New(need.Options{DB: db, Geo: geo.Default()})
	if err := needs.Qualify(ctx, j.needID, "Clair.", access.System); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.Missions.Propose(ctx, j.needID, []int64{j.experts["alpha@vivier.test"]}, "", access.System); err != nil {
		t.Fatal(err)
	}
	ps, _ := ta.Missions.NeedProposals(ctx, j.needID, access.System)
	if err := ta.Missions.Answer(ctx, ps[0].ID, true, "", access.System); err != nil {
		t.Fatal(err)
	}
	id, err := ta.Missions.Choose(ctx, ps[0].ID, access.System)
	if err != nil {
		t.Fatal(err)
	}
	// A neighbour's need, to be served by the same mission.
	today := date.Today()
	other, err := submitConfirmed(t, ctx, db, needs, need.Input{Title: "Accueillir une entreprise artisanale", Commune: "01004", Kind: need.Mission,
		Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}}, Start: today.AddDays(1), End: today.AddDays(27),
		DaysPerWeek: 1, Format: need.Onsite, Contact: &need.Contact{Name: "Paul Voisin", Email: "voisin@exemple.fr"}}, access.Actor{IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := needs.Qualify(ctx, other.ID, "Clair.", access.System); err != nil {
		t.Fatal(err)
	}
	coord := ta.as(t, ta.emails["coordinator"])
	path := "/missions/" + itoa(id)
	_, body := coord.get(path)
	if strings.Contains(body, `id="move-form"`) || !strings.Contains(between(body, `id="move-blocked"`, "</p>"), "accord de l’employeur") {
		t.Errorf("a mission waiting for the employer: %s", between(body, `id="move-blocked"`, "</p>"))
	}
	if strings.Contains(body, "besoin n°") {
		t.Error("the mission page still asks for a need's number")
	}
	_, body = coord.get(path + "?besoin=Ambérieu")
	if !strings.Contains(body, `name="need" value="`+itoa(other.ID)+`"`) || !strings.Contains(body, "Accueillir une entreprise artisanale") {
		t.Fatalf("searching a need by its commune: %s", between(body, `id="pool-search"`, "</section>"))
	}
	if status, body := coord.post(path+"/besoins", url.Values{"need": {itoa(other.ID)}}); status != http.StatusSeeOther {
		t.Fatalf("pooling the need found: %d %s", status, excerptOf([]byte(body)))
	}
	if _, body := coord.get(path); !strings.Contains(between(body, `id="served"`, "</ul>"), "Ambérieu-en-Bugey") {
		t.Errorf("the need added is not served: %s", between(body, `id="served"`, "</ul>"))
	}
}
