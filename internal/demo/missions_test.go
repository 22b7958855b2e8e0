package demo

import (
	"context"
	"testing"

	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestFillAddsMissionsThroughTheirLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := Fill(ctx, db, Options{Seed: 3}); err != nil {
			t.Fatal(err)
		}
		svc := mission.New(db, geo.Default())
		byStatus := map[mission.Status]int{}
		all, err := svc.List(ctx, mission.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			byStatus[m.Status]++
		}
		if byStatus[mission.Closed] != 4 || byStatus[mission.InProgress] != 2 || byStatus[mission.Planned] != 1 {
			t.Errorf("demo missions by status %v", byStatus)
		}
		today := date.Today()
		st, err := mission.ComputeStats(ctx, db, geo.Default(), today.AddDays(-365), today)
		if err != nil {
			t.Fatal(err)
		}
		if st.ReviewCount != 3 || st.DaysDelivered == 0 || st.MedianDaysToStart <= 0 || st.Saving == 0 {
			t.Errorf("demo figures: %d reviews, %v days, median to start %d, saving %d", st.ReviewCount, st.DaysDelivered, st.MedianDaysToStart, st.Saving)
		}
		// The demo expert has a proposal to answer and a mission in progress;
		// the demo requester an expert to choose and a mission to review.
		u, err := account.ByEmail(ctx, db, "expert@demo.vivier.fr")
		if err != nil {
			t.Fatal(err)
		}
		var expertID int64
		if err := db.QueryRowContext(ctx, `SELECT id FROM experts WHERE user_id = $1`, u.ID).Scan(&expertID); err != nil {
			t.Fatal(err)
		}
		ps, _ := svc.ExpertProposals(ctx, expertID)
		pending := 0
		for _, p := range ps {
			if p.Status == mission.Pending {
				pending++
			}
		}
		active, _ := svc.List(ctx, mission.Filter{ExpertID: expertID, Status: mission.InProgress})
		if pending != 1 || len(active) != 1 {
			t.Errorf("demo expert: %d pending proposals, %d missions in progress", pending, len(active))
		}
		req, _ := account.ByEmail(ctx, db, "mairie@demo.vivier.fr")
		choose, _ := svc.ToChoose(ctx, req.OrganisationID)
		review, _ := svc.ToReview(ctx, req.OrganisationID)
		if len(choose) != 1 || len(review) != 1 {
			t.Errorf("demo requester: %d to choose, %d to review", len(choose), len(review))
		}
	})
}
