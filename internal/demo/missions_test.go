package demo

import (
	"context"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/store"
)

// checkMissions checks the missions of a filled demo
// (TestFillMakesTheDemoPool calls it): they went through their lifecycle,
// and the demo expert and requester have something to do.
func checkMissions(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	{
		svc := mission.New(mission.Options{DB: db, Geo: geo.Default()})
		byStatus := map[mission.Status]int{}
		all, err := svc.List(ctx, mission.Filter{}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		// The demo's own missions; the report's demo adds others, in
		// past years (report.go).
		var ours []mission.Mission
		for _, m := range all {
			for _, d := range demoMissions {
				if strings.HasPrefix(m.NeedTitle, d.title+" — ") {
					byStatus[m.Status]++
					ours = append(ours, m)
				}
			}
		}
		if byStatus[mission.Closed] != 4 || byStatus[mission.InProgress] != 2 || byStatus[mission.Planned] != 1 {
			t.Errorf("demo missions by status %v", byStatus)
		}
		today := date.Today()
		st, err := svc.Stats(ctx, today.AddDays(-365), today, access.System)
		if err != nil {
			t.Fatal(err)
		}
		reviews := 0
		for _, m := range ours {
			rs, err := svc.Reviews(ctx, m.ID, access.System)
			if err != nil {
				t.Fatal(err)
			}
			reviews += len(rs)
		}
		if reviews != 3 || st.DaysDelivered == 0 || st.MedianDaysToStart <= 0 || st.Saving == 0 {
			t.Errorf("demo figures: %d reviews, %v days, median to start %d, saving %d", reviews, st.DaysDelivered, st.MedianDaysToStart, st.Saving)
		}
		// The demo expert has a proposal to answer and a mission in progress;
		// the demo requester an expert to choose and a mission to review.
		u, err := account.ByEmail(ctx, db, "expert@demo.vivier.fr")
		if err != nil {
			t.Fatal(err)
		}
		expertActor := u.Actor("", access.Session)
		ps, _ := svc.MyProposals(ctx, expertActor)
		pending := 0
		for _, p := range ps {
			if p.Status == mission.Pending {
				pending++
			}
		}
		active, _ := svc.List(ctx, mission.Filter{Status: mission.InProgress}, expertActor)
		if pending != 1 || len(active) != 1 {
			t.Errorf("demo expert: %d pending proposals, %d missions in progress", pending, len(active))
		}
		req, _ := account.ByEmail(ctx, db, "mairie@demo.vivier.fr")
		choose, _ := svc.ToChoose(ctx, req.Actor("", access.Session))
		review, _ := svc.ToReview(ctx, req.Actor("", access.Session))
		if len(choose) != 1 || len(review) != 1 {
			t.Errorf("demo requester: %d to choose, %d to review", len(choose), len(review))
		}
	}
}
