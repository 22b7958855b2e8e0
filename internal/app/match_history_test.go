package app_test

import (
	"context"
	"testing"

	"vivier/internal/access"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestPlannedMissionDaysReduceAvailabilityInMatching: an expert free two
// days a week is eligible for a need of two days a week, until a mission of
// two days a week over the same weeks is planned for them; the application's
// engine sees it at the next ranking, and counts the proposal in their load.
func TestPlannedMissionDaysReduceAvailabilityInMatching(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		j := newJourney(t, ta, db) // a need 01001, today + 27 days, 2 days a week, entreprises.foncier
		needs := need.New(need.Options{DB: db, Geo: geo.Default()})
		first, err := needs.Get(ctx, j.needID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		pool := expert.New(expert.Options{DB: db, Geo: geo.Default()})
		bravoID := j.experts["bravo@vivier.test"]
		bravo, err := pool.Get(ctx, bravoID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		p := bravo.Profile
		p.Availability = []expert.Period{{Start: first.Start.AddDays(-7), End: first.End.AddDays(60), DaysPerWeek: 2}}
		if _, err := pool.Update(ctx, bravoID, p, access.System); err != nil {
			t.Fatal(err)
		}
		second, err := needs.Create(ctx, need.Input{Title: "Diagnostic foncier", Commune: "01001", RequesterSIREN: first.RequesterSIREN,
			Kind: need.Mission, Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}},
			Start: first.Start, End: first.End, DaysPerWeek: 2, Format: need.Remote}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		rank := func() match.Result {
			res, err := ta.Match.Rank(ctx, match.FromNeed(second), 20, "test", access.System)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		res := rank()
		if len(res.Matches) != 1 || res.Matches[0].ExpertID != bravoID {
			t.Fatalf("before any mission: %+v, want Bravo eligible", res)
		}
		loadBefore := res.Matches[0].Components.Load

		if err := needs.Qualify(ctx, first.ID, "", access.System); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.Missions.Propose(ctx, first.ID, []int64{bravoID}, "Bonjour", access.System); err != nil {
			t.Fatal(err)
		}
		if res := rank(); len(res.Matches) != 1 || res.Matches[0].Components.Load >= loadBefore {
			t.Fatalf("after a proposal the load component is %v, want below %v", res.Matches, loadBefore)
		}
		ps, _ := ta.Missions.NeedProposals(ctx, first.ID, access.System)
		if err := ta.Missions.Answer(ctx, ps[0].ID, true, "", access.System); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.Missions.Choose(ctx, ps[0].ID, access.System); err != nil {
			t.Fatal(err)
		}
		if res := rank(); len(res.Matches) != 0 {
			t.Fatalf("after a mission of 2 days a week over the window: %+v, want nobody eligible", res.Matches)
		}
		ex, err := ta.Match.Explain(ctx, match.FromNeed(second), "EXP-BRAVO", "test", access.System)
		if err != nil || ex.Eligible || ex.Failure == nil || ex.Failure.Reason != match.Unavailable {
			t.Fatalf("why not Bravo: %+v %v, want unavailable", ex, err)
		}
	})
}
