package app_test

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/date"
	"vivier/internal/demo"
	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// Benchmarks of the coordinators' expert list page over 100,000 generated
// profiles (package demo's generator), through the whole HTTP handler
// (authentication, policy, list query, template). Run them with
//
//	go test ./internal/app -run '^$' -bench 'ExpertListPage' -benchtime 3x -timeout 30m
//
// VIVIER_BENCH_EXPERTS changes the pool size; the imported SQLite database
// is kept in the temporary directory between runs (a PostgreSQL one is
// imported again in a throwaway database).

func benchExperts() int {
	if n, err := strconv.Atoi(os.Getenv("VIVIER_BENCH_EXPERTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// benchListApp opens (importing on first use) the pool on engine and
// returns the application's handler and a coordinator's session cookie.
func benchListApp(b *testing.B, engine store.Engine) (http.Handler, *http.Cookie) {
	a, cookie := benchApp(b, "poolweb", engine)
	return a.Handler(), cookie
}

// benchApp opens the generated pool — on SQLite, kept in the temporary
// directory under name (imported on first use); on PostgreSQL, imported in
// a throwaway database — builds the application on it and signs a
// coordinator in, returning the application and the session cookie.
func benchApp(b *testing.B, name string, engine store.Engine) (*app.App, *http.Cookie) {
	b.Helper()
	ctx := context.Background()
	n := benchExperts()
	var db *store.DB
	if engine == store.Postgres {
		db = storetest.Open(b, store.Postgres)
	} else {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("vivier-%s-bench-%d.db", name, n))
		var err error
		if db, err = store.Open(ctx, path, store.Options{}); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
	}
	var have int
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM experts`).Scan(&have)
	if have != n {
		var csv bytes.Buffer
		g := demo.NewGenerator(42, geo.Default(), date.MustParse("2026-12-01"))
		if _, err := g.WriteExpertsCSV(&csv, n); err != nil {
			b.Fatal(err)
		}
		if _, err := expert.New(expert.Options{DB: db, Geo: geo.Default()}).Import(ctx, &csv, expert.ImportOptions{}, access.System); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	a, err := app.New(context.Background(), config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "bench", Argon2: cheapHashes})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("application loaded over %d experts in %v", n, time.Since(start).Round(time.Millisecond))
	email := fmt.Sprintf("bench-%d@vivier.test", time.Now().UnixNano())
	if _, err := a.Accounts.CreateWithPassword(ctx, account.NewUser{Email: email, Name: "Banc d'essai", Role: access.Coordinator}, testPassword, true); err != nil {
		b.Fatal(err)
	}
	login, err := a.Accounts.LoginWithPassword(ctx, email, testPassword, account.Client{IP: "127.0.0.1"})
	if err != nil {
		b.Fatal(err)
	}
	return a, &http.Cookie{Name: "vivier_session", Value: login.Token}
}

// listQueries are filters coordinators use, as the list page's query string.
var listQueries = []string{
	"", "statut=qualified", "skill=filieres.industrie&niveau=3", "zone=dep:69&statut=qualified",
	"zone=reg:84&skill=entreprises.foncier", "du=2027-01-01&au=2027-02-28&jours=2",
	"skill=management.direction_interim&niveau=4&du=2027-01-05&au=2027-03-31&jours=4&statut=qualified",
	"departement=33&tri=rate", "statut=qualified&tri=updated&page=50",
	"q=industrie&zone=reg:32&statut=qualified&tri=experience", "q=Lef%C3%A8vre", "q=d%C3%A9veloppement+%C3%A9conomique",
	"q=tourisme&skill=filieres.tourisme&niveau=2", "zone=national&tri=experience&page=3",
}

// serve requests target as the coordinator and returns the page's size,
// failing the benchmark on anything but 200 (from its own goroutine only).
func serve(b *testing.B, h http.Handler, cookie *http.Cookie, target string) int {
	size, err := request(h, cookie, target)
	if err != nil {
		b.Fatal(err)
	}
	return size
}

// request requests target as the coordinator and returns the page's size.
func request(h http.Handler, cookie *http.Cookie, target string) (int, error) {
	req := httptest.NewRequest("GET", target, nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %d", target, rec.Code)
	}
	return rec.Body.Len(), nil
}

// BenchmarkExpertListPage measures the server-side time of the filtered
// list page (p50, p95, p99 over every query, several rounds), on each
// engine.
func BenchmarkExpertListPage(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) { benchmarkListPage(b, engine) })
	}
}

func benchmarkListPage(b *testing.B, engine store.Engine) {
	h, cookie := benchListApp(b, engine)
	var times []time.Duration
	best := make([]time.Duration, len(listQueries))
	for b.Loop() {
		for range 5 {
			for i, q := range listQueries {
				start := time.Now()
				serve(b, h, cookie, "/experts?"+q)
				d := time.Since(start)
				times = append(times, d)
				if best[i] == 0 || d < best[i] {
					best[i] = d
				}
			}
		}
	}
	for i, q := range listQueries {
		b.Logf("best %7.1f ms  %s", float64(best[i].Microseconds())/1000, q)
	}
	reportPercentiles(b, times)
}

// BenchmarkExpertListPageParallel serves the 14 filtered lists from as
// many goroutines as GOMAXPROCS (-cpu), in process on SQLite, and reports
// the pages served per second: how the list scales over the cores.
func BenchmarkExpertListPageParallel(b *testing.B) {
	h, cookie := benchListApp(b, store.SQLite)
	var next atomic.Int64
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1)) % len(listQueries)
			if _, err := request(h, cookie, "/experts?"+listQueries[i]); err != nil {
				b.Error(err) // not Fatal: this is not the benchmark's goroutine
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pages/s")
}

// BenchmarkExpertListPageVsBareTemplate serves, side by side, the 20-row
// list page through the whole application and a bare html/template page of
// the same content — the same 20 rows and columns and the same filter
// choices, written by the same template constructs from strings computed
// once beforehand (no database, no middleware, no layout) — and reports
// the requests per second of each and their ratio. The rows of both pages
// are checked identical, and their numbers of options equal.
func BenchmarkExpertListPageVsBareTemplate(b *testing.B) {
	a, cookie := benchApp(b, "poolweb", store.SQLite)
	h := a.Handler()
	const target = "/experts?statut=qualified"
	size := serve(b, h, cookie, target)

	// The bare page's data: what the list page shows, formatted once.
	type row struct {
		ID                                                    int64
		Reference, Name, Status, Skills, Commune, Rate, Years string
	}
	type option struct {
		Value, Label string
		Selected     bool
	}
	type group struct { // an <optgroup>, or bare options without a label
		Label   string
		Options []option
	}
	ctx := context.Background()
	res, err := a.Experts.List(ctx, expert.Filter{Status: expert.Qualified, Page: 1, CountUpTo: 1000, Brief: true}, access.System)
	if err != nil {
		b.Fatal(err)
	}
	cat, err := a.Skills.Catalog(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var data struct {
		Title                                                string
		Skills, Levels, Zones, Departements, Statuses, Sorts []group
		Rows                                                 []row
	}
	data.Title = "Experts"
	for _, e := range res.Experts {
		r := row{ID: e.ID, Reference: e.Reference, Name: e.Name(), Status: e.Status.Label(), Rate: "—", Years: "—"}
		for i, k := range e.Skills {
			if i > 0 {
				r.Skills += ", "
			}
			label := k.Code
			if sk, ok := cat.Lookup(k.Code); ok {
				label = sk.Label
			}
			r.Skills += label + " (" + strconv.Itoa(int(k.Level)) + ")"
		}
		if c, ok := a.Geo.Commune(e.Commune); ok {
			r.Commune = c.Name + " (" + c.DepartementCode + ")"
		}
		if e.DailyRate != nil {
			r.Rate = fr.Euros(int64(*e.DailyRate))
		}
		if e.ExperienceYears != nil {
			r.Years = fr.Plural(*e.ExperienceYears, "an", "ans")
		}
		data.Rows = append(data.Rows, r)
	}
	for _, d := range skill.Domains {
		g := group{Label: d.Label}
		for _, k := range cat.InDomain(d.Code) {
			g.Options = append(g.Options, option{Value: k.Code, Label: k.Label})
		}
		data.Skills = append(data.Skills, g)
	}
	levels := group{}
	for _, l := range skill.Levels() {
		levels.Options = append(levels.Options, option{Value: strconv.Itoa(int(l)), Label: strconv.Itoa(int(l)) + " — " + l.Label()})
	}
	// The collectivités d'outre-mer (three-digit « regions ») are offered
	// last, one by one, never as « toute la région ».
	data.Zones = []group{{Options: []option{{Value: "national", Label: "Toute la France"}}}}
	overseas := group{Label: "Collectivités d’outre-mer"}
	for _, reg := range a.Geo.Regions() {
		g := group{Label: reg.Name, Options: []option{{Value: "reg:" + reg.Code, Label: "Toute la région " + reg.Name}}}
		if len(reg.Code) > 2 {
			g = overseas
		}
		for _, d := range a.Geo.Departements() {
			if d.RegionCode == reg.Code {
				g.Options = append(g.Options, option{Value: "dep:" + d.Code, Label: d.Name + " (" + d.Code + ")"})
			}
		}
		if len(reg.Code) > 2 {
			overseas = g
			continue
		}
		data.Zones = append(data.Zones, g)
	}
	data.Zones = append(data.Zones, overseas)
	deps := group{}
	for _, d := range a.Geo.Departements() {
		deps.Options = append(deps.Options, option{Value: d.Code, Label: d.Code + " — " + d.Name})
	}
	statuses := group{}
	for _, st := range expert.Statuses() {
		statuses.Options = append(statuses.Options, option{Value: string(st), Label: st.Label(), Selected: st == expert.Qualified})
	}
	sorts := group{Options: []option{{Value: "name", Label: "Nom"}, {Value: "updated", Label: "Dernière mise à jour"}, {Value: "rate", Label: "TJM croissant"}, {Value: "experience", Label: "Expérience"}}}
	data.Levels, data.Departements, data.Statuses, data.Sorts = []group{levels}, []group{deps}, []group{statuses}, []group{sorts}
	// Like the list page, the selects and their first choice are literal
	// text; the options and the rows are the template's actions.
	bareTemplate := template.Must(template.New("bare").Parse(`{{define "options"}}{{range .}}{{if .Label}}<optgroup label="{{.Label}}">{{end}}{{range .Options}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}{{if .Label}}</optgroup>{{end}}{{end}}{{end}}<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{.Title}}</title></head><body><main><h1>{{.Title}}</h1>
<form method="get" action="/experts">
<select name="skill"><option value="">Toutes</option>{{template "options" .Skills}}</select>
<select name="niveau"><option value="">Tous</option>{{template "options" .Levels}}</select>
<select name="zone"><option value="">Partout</option>{{template "options" .Zones}}</select>
<select name="departement"><option value="">Tous</option>{{template "options" .Departements}}</select>
<select name="statut"><option value="">Tous</option>{{template "options" .Statuses}}</select>
<select name="tri">{{template "options" .Sorts}}</select>
</form>
<table><tbody>
{{range .Rows}}<tr><td>{{.Reference}}</td><td><a href="/experts/{{.ID}}">{{.Name}}</a></td><td>{{.Status}}</td><td>{{.Skills}}</td><td>{{.Commune}}</td><td>{{.Rate}}</td><td>{{.Years}}</td></tr>
{{end}}</tbody></table></main></body></html>`))
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		if err := bareTemplate.Execute(&buf, data); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		buf.WriteTo(w)
	})

	// Both pages must show the same rows, byte for byte, and as many options.
	page := func(h http.Handler, target string) string {
		req := httptest.NewRequest("GET", target, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Body.String()
	}
	tbody := func(s string) string {
		_, s, _ = strings.Cut(s, "<tbody>")
		s, _, _ = strings.Cut(s, "</tbody>")
		return strings.TrimSpace(s)
	}
	// The application typesets its pages (fr.Typeset: ’ for ', narrow
	// spaces); the bare page does not, and is compared typeset.
	listPage, barePage := page(h, target), page(bare, "/bare")
	if len(data.Rows) != 20 || tbody(listPage) != fr.TypesetString(tbody(barePage)) {
		b.Fatalf("the bare page's %d rows differ from the list page's:\n%s\n---\n%s", len(data.Rows), tbody(barePage), tbody(listPage))
	}
	if n, m := strings.Count(listPage, "<option"), strings.Count(barePage, "<option"); n != m {
		b.Fatalf("the list page has %d options, the bare page %d", n, m)
	}

	var listTime, bareTime time.Duration
	var requests int
	for b.Loop() {
		for range 50 {
			start := time.Now()
			serve(b, h, cookie, target)
			listTime += time.Since(start)
			start = time.Now()
			serve(b, bare, cookie, "/bare")
			bareTime += time.Since(start)
			requests++
		}
	}
	listRPS := float64(requests) / listTime.Seconds()
	bareRPS := float64(requests) / bareTime.Seconds()
	b.ReportMetric(listRPS, "list-req/s")
	b.ReportMetric(bareRPS, "bare-req/s")
	b.ReportMetric(listRPS/bareRPS*100, "ratio-%")
	b.ReportMetric(float64(size)/1024, "page-KiB")
	b.ReportMetric(float64(len(barePage))/1024, "bare-KiB")
	b.ReportMetric(0, "ns/op")
}

// reportPercentiles reports the p50, p95 and p99 of the requests' times in
// milliseconds, and how many there were, in place of ns/op.
func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	pct := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(times)), "requests")
	b.ReportMetric(0, "ns/op")
}
