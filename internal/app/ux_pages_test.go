package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vivier/internal/access"
	"vivier/internal/browsertest"
	"vivier/internal/expert"
	"vivier/internal/geo"
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
