package report_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/organisation"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// fixture is a small known data set over the year Y (the year of today)
// and the year before, with the services that hold it.
type fixture struct {
	w        *at.World
	y        int
	clock    *clock
	pubs     *publication.Service
	press    *press.Service
	rep      *representation.Service
	aud      *audience.Service
	reports  *report.Service
	linkedin int64
	missionA int64
}

type clock struct{ at time.Time }

func (c *clock) now() time.Time { return c.at }

// day is the day md (« 03-10 ») of year y.
func day(y int, md string) date.Date { return date.MustParse(fmt.Sprintf("%d-%s", y, md)) }

// network is a members' source of a test: 12 members this year, 10 last.
type network struct{ y int }

func (n network) Network(ctx context.Context, year int) (report.NetworkFigures, error) {
	v := 10.0
	if year == n.y {
		v = 12
	}
	return report.NetworkFigures{Members: report.Of(v, nil, false), MembershipsPaid: report.Of(v-1, nil, false), Source: "/adherents"}, nil
}

func newFixture(t *testing.T, db *store.DB, withNetwork bool) *fixture {
	t.Helper()
	ctx := context.Background()
	w := at.NewWorld(t, db)
	w.Pool(t)
	y := w.Today.Year
	c := &clock{at: time.Date(y, 12, 31, 11, 0, 0, 0, time.UTC)}
	f := &fixture{w: w, y: y, clock: c}
	f.pubs = publication.New(publication.Options{DB: db, Now: c.now})
	f.press = press.New(press.Options{DB: db, Now: c.now})
	f.rep = representation.New(representation.Options{DB: db, Geo: geo.Default(), Publications: f.pubs, Now: c.now})
	f.aud = audience.New(audience.Options{DB: db, Now: c.now})
	o := report.Options{DB: db, Now: c.now, Expertise: report.FromMissions(w.Missions, geo.Default()),
		Publications: report.FromPublications(f.pubs), Press: report.FromPress(f.press),
		Representation: report.FromRepresentation(f.rep), Audiences: report.FromAudiences(f.aud)}
	if withNetwork {
		o.Network = network{y: y}
	}
	f.reports = report.New(o)

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Publications: 2 this year (one for members), 1 last year; two people
	// and a robot download the guide.
	guide, err := f.pubs.Create(ctx, publication.Input{Title: "Guide du foncier économique", Kind: publication.Guide, PublishedOn: day(y, "02-01")},
		&publication.Upload{Name: "guide.pdf", Content: []byte("%PDF-1.4")}, access.System)
	must(err)
	_, err = f.pubs.Create(ctx, publication.Input{Title: "Note interne aux adhérents", Kind: publication.Note, PublishedOn: day(y, "06-01"), Audience: publication.Members}, nil, access.System)
	must(err)
	_, err = f.pubs.Create(ctx, publication.Input{Title: "Étude de l’an dernier", Kind: publication.Study, PublishedOn: day(y-1, "05-01")}, nil, access.System)
	must(err)
	for _, ua := range []string{"Mozilla/5.0 Firefox/128.0", "Mozilla/5.0 Safari/605", "Googlebot/2.1"} {
		_, err := f.pubs.Download(ctx, guide.ID, ua, access.Visitor("198.51.100."+fmt.Sprint(len(ua))))
		must(err)
	}
	// Press: 3 this year (2 national, 1 trade), 2 last year.
	for _, m := range []press.Input{
		{Outlet: "Les Échos", Scope: press.National, PublishedOn: day(y, "01-15"), Title: "A", URL: "https://lesechos.fr/a"},
		{Outlet: "Le Monde", Scope: press.National, PublishedOn: day(y, "04-15"), Title: "B"},
		{Outlet: "La Gazette des communes", Scope: press.Trade, PublishedOn: day(y, "09-15"), Title: "C"},
		{Outlet: "Les Échos", Scope: press.National, PublishedOn: day(y-1, "03-15"), Title: "D"},
		{Outlet: "Ouest-France", Scope: press.Regional, PublishedOn: day(y-1, "10-15"), Title: "E"},
	} {
		_, err := f.press.Create(ctx, m, access.System)
		must(err)
	}
	// Representation: this year 2 hearings (agencies A+B, then A), a note
	// and a meeting; last year 1 hearing (B).
	a, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Alpha"})
	b, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Bravo"})
	for _, h := range []struct {
		on   date.Date
		kind representation.Kind
		orgs []int64
	}{
		{day(y, "03-12"), representation.Hearing, []int64{a.ID, b.ID}}, {day(y, "10-01"), representation.Hearing, []int64{a.ID}},
		{day(y, "04-02"), representation.Note, nil}, {day(y, "05-05"), representation.Meeting, nil}, {day(y-1, "11-20"), representation.Hearing, []int64{b.ID}},
	} {
		act, err := f.rep.Create(ctx, representation.Input{Kind: h.kind, Body: "Sénat", BodyKind: representation.Parliament, HeldOn: h.on, Topic: "Ingénierie"}, access.System)
		must(err)
		if len(h.orgs) > 0 {
			var ds []representation.Delegate
			for _, o := range h.orgs {
				ds = append(ds, representation.Delegate{ID: o})
			}
			must(f.rep.AddAgencies(ctx, act.ID, ds, access.System))
		}
	}
	// Audiences: LinkedIn 2 000 → 4 000 last year, 4 000 → 7 000 this
	// year; the forum's page 200 → 500 this year only.
	li, err := f.aud.CreateAccount(ctx, audience.AccountInput{Slug: "linkedin", Name: "Page LinkedIn", Kind: audience.ProfessionalNetwork, Metric: audience.Followers}, access.System)
	must(err)
	forum, err := f.aud.CreateAccount(ctx, audience.AccountInput{Slug: "forum", Name: "Page du forum", Kind: audience.Forum, Metric: audience.Followers}, access.System)
	must(err)
	f.linkedin = li.ID
	for _, c := range []struct {
		id    int64
		day   date.Date
		value int
	}{{li.ID, day(y-1, "01-01"), 2000}, {li.ID, day(y, "01-01"), 4000}, {li.ID, day(y, "12-31"), 7000}, {forum.ID, day(y, "01-01"), 200}, {forum.ID, day(y, "12-31"), 500}} {
		must(f.aud.SetCount(ctx, c.id, audience.Count{Day: c.day, Value: c.value}, access.System))
	}
	// Expertise: a closed mission reviewed 4/5 and one in progress with a
	// day logged, both of today.
	f.missionA = w.Mission(t, "A", need.Mission, mission.Closed, true)
	must(w.Missions.AddReview(ctx, f.missionA, 4, "Bien.", access.System))
	inProgress := w.Mission(t, "B", need.Mission, mission.InProgress, true)
	must(w.Missions.LogDay(ctx, inProgress, w.Today, 2, "Atelier.", access.System))
	return f
}

// TestFormulasOnAKnownDataSet checks every figure the fixture feeds,
// written by hand.
func TestFormulasOnAKnownDataSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, true)
		v, err := f.reports.Get(ctx, f.y, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if v.Published() || v.Public {
			t.Fatalf("a draft for staff: %+v", v.Snapshot)
		}
		m, err := f.w.Missions.Get(ctx, f.missionA, access.System)
		if err != nil {
			t.Fatal(err)
		}
		// The closed mission logged nothing: its planned days count; the
		// other logged 1 day. Rates: 600 € a day; reference 1 000 €.
		cost := float64(m.PlannedDays*600 + 600)
		saving := float64(m.PlannedDays*1000+1000) - cost
		for _, tt := range []struct {
			key           string
			value, before float64
			change        string
		}{
			{"network.publications", 2, 1, "+100,0\u00a0%"},
			{"network.publication_downloads", 2, 0, "nouveau"},
			{"network.members", 12, 10, "+20,0\u00a0%"},
			{"communication.press_mentions", 3, 2, "+50,0\u00a0%"},
			{"communication.press_national", 2, 1, "+100,0\u00a0%"},
			{"communication.press_regional", 0, 1, "−100,0\u00a0%"},
			{"communication.press_trade", 1, 0, "nouveau"},
			{"communication.followers_growth.linkedin", 0.75, 1, "−25,0\u00a0pts"},
			{"representation.hearings", 2, 1, "+100,0\u00a0%"},
			{"representation.notes", 1, 0, "nouveau"},
			{"representation.meetings", 1, 0, "nouveau"},
			{"representation.agencies_in_delegations", 2, 1, "+100,0\u00a0%"},
			{"expertise.needs", 2, 0, "nouveau"},
			{"expertise.missions_created", 2, 0, "nouveau"},
			{"expertise.missions_closed", 1, 0, "nouveau"},
			{"expertise.mission_days", 1, 0, "nouveau"},
			{"expertise.experts_mobilised", 1, 0, "nouveau"},
			{"expertise.reviews", 1, 0, "nouveau"},
			{"expertise.mean_review", 4, 0, "—"},
			{"expertise.cost_eur", cost, 0, "nouveau"},
			{"expertise.savings_eur", saving, 0, "nouveau"},
		} {
			fig, ok := v.Report.Figure(tt.key)
			if !ok || !fig.Tracked {
				t.Errorf("%s: missing or untracked", tt.key)
				continue
			}
			if fig.Value != tt.value || fig.Previous != tt.before || fig.ChangeText() != tt.change {
				t.Errorf("%s = %v (last year %v, %s), want %v (%v, %s)", tt.key, fig.Value, fig.Previous, fig.ChangeText(), tt.value, tt.before, tt.change)
			}
			if fig.Formula == "" || fig.Label == "" {
				t.Errorf("%s has no label or formula", tt.key)
			}
		}
		forum, _ := v.Report.Figure("communication.followers_growth.forum")
		if forum.Value != 1.5 || !forum.HasValue || forum.HasPrevious || forum.ValueText() != "+150,0\u00a0%" {
			t.Errorf("forum growth %+v", forum)
		}
		for _, key := range []string{"network.events", "network.trainings_trainees", "partners.agreements", "communication.newsletter_open_rate"} {
			fig, _ := v.Report.Figure(key)
			if fig.Tracked || fig.Value != 0 || fig.ValueText() != "non suivi" {
				t.Errorf("%s: %+v, want untracked, zero, « non suivi »", key, fig)
			}
		}
		// The JSON has every key, untracked parts included, and no null
		// but a draft's publication date.
		raw, err := json.Marshal(report.JSON(v))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		if doc["published_at"] != nil || doc["year"] != float64(f.y) {
			t.Errorf("year %v, published_at %v", doc["year"], doc["published_at"])
		}
		for section, keys := range map[string][]string{
			"expertise":      {"needs", "missions_closed", "mission_days", "experts_mobilised", "savings_eur"},
			"network":        {"members", "memberships_paid", "events", "event_participants", "trainings_trainees", "training_hours", "publications"},
			"communication":  {"newsletter_open_rate", "newsletter_click_rate", "newsletter_naive_open_rate", "press_mentions", "followers_growth"},
			"representation": {"hearings", "notes", "agencies_in_delegations"},
			"partners":       {"agreements", "counterparts_delivered", "counterparts_due"},
		} {
			obj, _ := doc[section].(map[string]any)
			for _, k := range append(keys, "tracked", "not_tracked", "previous") {
				if v, ok := obj[k]; !ok || v == nil {
					t.Errorf("%s.%s missing or null", section, k)
				}
			}
		}
		comm := doc["communication"].(map[string]any)
		if g := comm["followers_growth"].(map[string]any); g["linkedin"] != 0.75 || g["forum"] != 1.5 {
			t.Errorf("followers_growth %v", g)
		}
		if doc["partners"].(map[string]any)["tracked"] != false || !strings.Contains(fmt.Sprint(doc["network"].(map[string]any)["not_tracked"]), "events") {
			t.Errorf("tracked markers: partners %v, network %v", doc["partners"], doc["network"].(map[string]any)["not_tracked"])
		}
		if strings.Contains(string(raw), "null") && strings.Count(string(raw), "null") != 1 {
			t.Errorf("the JSON holds null besides published_at:\n%s", raw)
		}
	})
}

// TestSnapshotIsFrozenAndDriftIsShown publishes the report, edits the
// records, and checks the published figures stay while the drift names the
// ones that moved; a visitor reads the published report without its
// internal records; publishing again needs a reason and is audited.
func TestSnapshotIsFrozenAndDriftIsShown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, false)
		visitor := access.Visitor("203.0.113.5")
		if _, err := f.reports.Get(ctx, f.y, visitor); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a visitor reads a draft: %v", err)
		}
		coordinator := f.w.Actor(at.Coordinator)
		if _, err := f.reports.Publish(ctx, f.y, f.w.Actor(at.Member)); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member publishes: %v", err)
		}
		snap, err := f.reports.Publish(ctx, f.y, coordinator)
		if err != nil || snap.Version != 1 || snap.Formulas != report.FormulasVersion {
			t.Fatalf("publish: %+v %v", snap, err)
		}
		if _, err := f.reports.Publish(ctx, f.y, coordinator); access.CodeOf(err) != access.Conflict {
			t.Errorf("publishing twice: %v", err)
		}
		// Edits after the publication.
		if _, err := f.press.Create(ctx, press.Input{Outlet: "Libération", Scope: press.National, PublishedOn: day(f.y, "11-02"), Title: "F"}, access.System); err != nil {
			t.Fatal(err)
		}
		if err := f.aud.SetCount(ctx, f.linkedin, audience.Count{Day: day(f.y, "12-31"), Value: 8000}, access.System); err != nil {
			t.Fatal(err)
		}
		v, err := f.reports.Get(ctx, f.y, coordinator)
		if err != nil {
			t.Fatal(err)
		}
		if fig, _ := v.Report.Figure("communication.press_mentions"); fig.Value != 3 {
			t.Errorf("the published press mentions moved to %v", fig.Value)
		}
		var moved []string
		for _, d := range v.Drift {
			moved = append(moved, d.Key+" "+d.Published+" → "+d.Live)
		}
		want := []string{"communication.press_mentions 3 → 4", "communication.press_national 2 → 3", "communication.followers_growth.linkedin +75,0\u00a0% → +100,0\u00a0%"}
		if strings.Join(moved, "|") != strings.Join(want, "|") {
			t.Errorf("drift %q, want %q", moved, want)
		}
		// A visitor: the published figures, no drift, no internal records.
		pv, err := f.reports.Get(ctx, f.y, visitor)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Drift != nil || !pv.Public {
			t.Errorf("a visitor sees the drift")
		}
		needs, _ := pv.Report.Figure("expertise.needs")
		hearings, _ := pv.Report.Figure("representation.hearings")
		if needs.Records != nil || needs.Total != 2 || len(hearings.Records) != 2 {
			t.Errorf("public records: needs %v (total %d), hearings %v", needs.Records, needs.Total, hearings.Records)
		}
		if _, _, err := f.reports.Records(ctx, f.y, "expertise.experts_mobilised", visitor); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a visitor lists the experts mobilised: %v", err)
		}
		fig, live, err := f.reports.Records(ctx, f.y, "expertise.experts_mobilised", coordinator)
		if err != nil || !live || len(fig.Records) != 1 {
			t.Errorf("staff list the experts mobilised: %+v %v %v", fig.Records, live, err)
		}
		// Publishing again: a reason, a new version, an audit entry.
		if _, err := f.reports.Republish(ctx, f.y, "  ", coordinator); !hasField(err, "reason") {
			t.Errorf("republishing without a reason: %v", err)
		}
		snap, err = f.reports.Republish(ctx, f.y, "Un article de novembre manquait.", coordinator)
		if err != nil || snap.Version != 2 {
			t.Fatalf("republish: %+v %v", snap, err)
		}
		v, _ = f.reports.Get(ctx, f.y, coordinator)
		if fig, _ := v.Report.Figure("communication.press_mentions"); fig.Value != 4 || len(v.Drift) != 0 || len(v.Versions) != 2 {
			t.Errorf("after republishing: %v mentions, drift %v, %d versions", fig.Value, v.Drift, len(v.Versions))
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'report.republish'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("republish audit entries: %d %v", n, err)
		}
		// The PDF holds the same figures.
		doc, err := report.PDF(v)
		if err != nil {
			t.Fatal(err)
		}
		text := pdftest.Text(t, doc)
		for _, s := range []string{"Rapport d’activité " + fmt.Sprint(f.y), "Sommaire", "Retombées presse 4 2 +100,0 %", "Auditions 2 1 +100,0 %", "non suivi", "(version 2)"} {
			if !strings.Contains(text, s) {
				t.Errorf("the PDF lacks %q:\n%s", s, text)
			}
		}
	})
}

func hasField(err error, field string) bool {
	list, _ := valid.As(err)
	return list.Has(field)
}
