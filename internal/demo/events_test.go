package demo

import (
	"context"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/store"
	"vivier/internal/training"
)

// checkEvents checks the demo's network life (TestFillMakesTheDemoPool
// calls it): past and coming events, the forum's 400 registrations over
// its 350 seats, attendance, and four trainings with sessions, signatures
// and surveys.
func checkEvents(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	events := event.New(event.Options{DB: db})
	coming, err := events.List(ctx, event.Filter{}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	past, err := events.List(ctx, event.Filter{Past: true}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if len(coming) < 3 || len(past) < 3 {
		t.Errorf("%d coming and %d past events", len(coming), len(past))
	}
	forum := false
	for _, e := range coming {
		if e.Kind == event.Forum {
			forum = e.Confirmed+e.Waitlisted == 400 && e.Confirmed == e.Capacity
		}
	}
	if !forum {
		t.Errorf("no forum with 400 registrations and a waiting list")
	}
	rep, err := events.Stats(ctx, date.Today().AddDays(-365), date.Today(), access.System)
	if err != nil || rep.Total.Present == 0 || len(rep.ByAgency) == 0 {
		t.Errorf("figures: %+v %v", rep.Total, err)
	}
	eng, err := events.Engagement(ctx, date.Today().AddDays(-365), date.Today())
	if err != nil || len(eng) == 0 {
		t.Errorf("events engagement: %v %v", eng, err)
	}
	trainings := training.New(training.Options{DB: db, Now: time.Now})
	list, err := trainings.List(ctx, access.System)
	if err != nil || len(list) != 4 {
		t.Fatalf("%d trainings, %v", len(list), err)
	}
	withSurveys := 0
	for _, tr := range list {
		_, ind, err := trainings.Indicators(ctx, tr.ID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range ind {
			if i.Responses > 0 && i.HoursTrainee > 0 {
				withSurveys++
			}
		}
	}
	if withSurveys == 0 {
		t.Errorf("no training with signatures and surveys")
	}
	teng, err := trainings.Engagement(ctx, date.Today().AddDays(-365), date.Today())
	if err != nil || len(teng) == 0 {
		t.Errorf("trainings engagement: %v %v", teng, err)
	}
}
