package demo

import (
	"context"
	"log/slog"
	"testing"

	"vivier/internal/access"
	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/store"
	"vivier/internal/training"
)

// checkReports checks the demo's activity reports (TestFillMakesTheDemoPool
// calls it): the last two years are published, each figure of last year's
// report beside the year before's, and an article recorded after the
// publication shows as drift.
func checkReports(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	ref := geo.Default()
	pubs := publication.New(publication.Options{DB: db})
	net := network.New(network.Options{DB: db, Geo: ref})
	reports := report.New(report.Options{DB: db, Expertise: report.FromMissions(mission.New(mission.Options{DB: db, Geo: ref}), ref),
		Press: report.FromPress(press.New(press.Options{DB: db})), Publications: report.FromPublications(pubs),
		Representation: report.FromRepresentation(representation.New(representation.Options{DB: db, Geo: ref, Publications: pubs})),
		Audiences:      report.FromAudiences(audience.New(audience.Options{DB: db})),
		Network:        report.FromNetwork(net), Partners: report.FromPartners(net),
		Events:      report.FromEvents(event.New(event.Options{DB: db, Geo: ref, Members: net})),
		Trainings:   report.FromTrainings(training.New(training.Options{DB: db, Geo: ref, Members: net})),
		Newsletters: report.FromNewsletters(newsletter.New(newsletter.Options{DB: db, Logger: slog.New(slog.DiscardHandler)}))})
	published, err := reports.Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	y := date.Today().Year
	if len(published) != 2 || published[0].Year != y-1 || published[1].Year != y-2 {
		t.Fatalf("published reports %+v, want %d and %d", published, y-1, y-2)
	}
	v, err := reports.Get(ctx, y-1, access.System)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][2]float64{
		"communication.press_national":            {15, 8},
		"communication.followers_growth.linkedin": {0.75, 0.5},
		"communication.followers_growth.forum":    {1.5, 0.5},
		"representation.hearings":                 {5, 3},
		"network.publications":                    {6, 4},
	} {
		f, ok := v.Report.Figure(key)
		if !ok || f.Value != want[0] || f.Previous != want[1] {
			t.Errorf("%s = %v (before %v), want %v (%v)", key, f.Value, f.Previous, want[0], want[1])
		}
	}
	// Every part of the report is read from the demo's records: none is
	// « non suivi ». (The demo's events are this year's: last year counts
	// none, tracked.)
	for _, key := range []string{"network.members", "network.events", "network.event_participants", "network.trainings_trainees",
		"communication.newsletter_open_rate", "partners.agreements"} {
		f, ok := v.Report.Figure(key)
		if !ok || !f.Tracked || f.Value == 0 && key != "network.events" && key != "network.event_participants" {
			t.Errorf("%s in last year's report: %+v", key, f)
		}
	}
	// The agencies' missions: 12 closed last year, 6 the year before (the
	// demo's own missions may add to either, by today's date).
	if f, _ := v.Report.Figure("expertise.missions_closed"); f.Value < 12 || f.Previous < 6 {
		t.Errorf("missions closed %v (before %v), want at least 12 (6)", f.Value, f.Previous)
	}
	if len(v.Drift) != 2 || v.Drift[0].Key != "communication.press_mentions" || v.Drift[1].Key != "communication.press_national" {
		t.Errorf("drift %+v, want the late article's two figures", v.Drift)
	}
}
