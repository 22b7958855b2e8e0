package match_test

import (
	"context"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestServiceAccess calls every method of the matching service as every
// actor on the need of organisation A and of organisation B, and on the
// profiles of expert A and expert B: ranking people for work is staff's
// business (the weights' change is an administrator's); an expert reads the
// logged ranking behind a proposal they received, a requester the one behind
// a proposal accepted for their need; nobody else sees any.
func TestServiceAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		w.Pool(t)
		engine, err := match.Load(ctx, db, w.Geo, match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s := match.NewService(match.ServiceOptions{Engine: engine, DB: db, Geo: w.Geo, Needs: w.Needs})
		must := func(t *testing.T, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		load := func(id int64) need.Need {
			n, err := w.Needs.Get(ctx, id, access.System)
			must(t, err)
			return n
		}
		reference := func(r string) string {
			e, err := w.Experts.Get(ctx, w.Expert[r], access.System)
			must(t, err)
			return e.Reference
		}
		// ranked makes a qualified need of organisation r and logs a ranking
		// of it that holds expert r.
		ranked := func(t *testing.T, r string) int64 {
			id := w.Need(t, r, "", need.Mission, need.Qualified)
			res, err := s.RankNeed(ctx, load(id), 50, "access test", access.System)
			must(t, err)
			for _, m := range res.Result.Matches {
				if m.ExpertID == w.Expert[r] {
					return id
				}
			}
			t.Fatalf("expert %s not ranked for need %d: %+v", r, id, res.Result)
			return 0
		}
		// proposed proposes expert r for need id, and answers when st says.
		proposed := func(t *testing.T, r string, id int64, st mission.ProposalStatus) {
			_, err := w.Missions.Propose(ctx, id, []int64{w.Expert[r]}, "", access.System)
			must(t, err)
			if st == mission.Accepted {
				ps, err := w.Missions.NeedProposals(ctx, id, access.System)
				must(t, err)
				must(t, w.Missions.Answer(ctx, ps[0].ID, true, "", access.System))
			}
		}
		must(t, s.Sync(ctx))

		// The needs of each record, and a need of a neighbour commune to
		// mutualise with them.
		needs, partners := map[string]int64{}, map[string]int64{}
		for _, r := range at.Records {
			needs[r] = ranked(t, r)
		}
		pair := func(t *testing.T, r string) {
			needs[r] = w.Need(t, r, "", need.Mission, need.Qualified)
			partners[r] = w.Need(t, r, at.Neighbour[r], need.Mission, need.Qualified)
		}
		grouped := func(t *testing.T, r string) {
			pair(t, r)
			must(t, s.GroupNeeds(ctx, load(needs[r]), []int64{partners[r]}, access.System))
		}
		marseille, _ := w.Geo.Commune("13055")
		noConflict := func(t *testing.T, r string) {
			if err := s.RemoveConflict(ctx, w.Expert[r], marseille.SIREN, access.System); err != nil && access.CodeOf(err) != access.NotFound {
				t.Fatal(err)
			}
		}
		conflict := func(t *testing.T, r string) {
			must(t, s.DeclareConflict(ctx, w.Expert[r], marseille.SIREN, access.System))
		}
		// The needs whose logged ranking holds expert r, proposed to them
		// (accepted or pending), or never proposed.
		accepted, pending, unproposed := map[string]int64{}, map[string]int64{}, map[string]int64{}
		for _, r := range at.Records {
			accepted[r] = ranked(t, r)
			proposed(t, r, accepted[r], mission.Accepted)
			pending[r] = ranked(t, r)
			proposed(t, r, pending[r], mission.Pending)
			unproposed[r] = ranked(t, r)
		}
		latest := func(ids map[string]int64) func(context.Context, access.Actor, string) error {
			return func(ctx context.Context, a access.Actor, r string) error {
				_, ok, err := s.LatestRecord(ctx, ids[r], w.Expert[r], a)
				if err == nil && !ok {
					return store.NotFound("ranking record of expert %s", r)
				}
				return err
			}
		}

		// Staff only, on no record in particular.
		staffOnly := at.All(at.Forbidden).Set(at.OK, at.Staff...)
		// Staff only, on a need its requesters see.
		onNeed := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.Forbidden, at.ROwnRequester)
		// Staff only, on a profile its expert sees.
		onExpert := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.Forbidden, at.ROwnExpert)

		ops := []at.Op{
			{Name: "Rank", Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Rank(ctx, match.FromNeed(load(needs["A"])), 10, "access test", a)
				return err
			}},
			{Name: "Explain", Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Explain(ctx, match.FromNeed(load(needs["A"])), reference("A"), "access test", a)
				return err
			}},
			{Name: "Weights", Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Weights(ctx, a)
				return err
			}},
			{Name: "SaveWeights", Write: true, Want: at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem), Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.SaveWeights(ctx, match.DefaultWeights(), a)
			}},
			{Name: "RankingLog", OnRecords: true, Want: staffOnly, Do: func(ctx context.Context, a access.Actor, r string) error {
				page, err := s.RankingLog(ctx, needs[r], 1, 10, a)
				if err == nil && page.Total == 0 {
					return store.NotFound("ranking of need %s", r)
				}
				return err
			}},
			{Name: "RankNeed", OnRecords: true, Want: onNeed, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.RankNeed(ctx, load(needs[r]), 10, "access test", a)
				return err
			}},
			{Name: "ExplainNeed", OnRecords: true, Want: onNeed, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.ExplainNeed(ctx, load(needs[r]), reference(r), "access test", a)
				return err
			}},
			{Name: "Group", OnRecords: true, Want: onNeed, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Group(ctx, load(needs[r]), a)
				return err
			}},
			{Name: "PoolCandidates", OnRecords: true, Prepare: pair, Want: onNeed, Do: func(ctx context.Context, a access.Actor, r string) error {
				list, err := s.PoolCandidates(ctx, load(needs[r]), a)
				if err != nil {
					return err
				}
				for _, c := range list {
					if c.ID == partners[r] {
						return nil
					}
				}
				return store.NotFound("need %d among the candidates of %d", partners[r], needs[r])
			}},
			{Name: "GroupNeeds", OnRecords: true, Write: true, Prepare: pair, Want: onNeed, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.GroupNeeds(ctx, load(needs[r]), []int64{partners[r]}, a)
			}},
			{Name: "UngroupNeed", OnRecords: true, Write: true, Prepare: grouped, Want: onNeed, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.UngroupNeed(ctx, needs[r], a)
			}},
			{Name: "Conflicts", OnRecords: true, Want: onExpert, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Conflicts(ctx, w.Expert[r], a)
				return err
			}},
			{Name: "DeclareConflict", OnRecords: true, Write: true, Prepare: noConflict, Want: onExpert, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.DeclareConflict(ctx, w.Expert[r], marseille.SIREN, a)
			}},
			{Name: "RemoveConflict", OnRecords: true, Write: true, Prepare: conflict, Want: onExpert, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.RemoveConflict(ctx, w.Expert[r], marseille.SIREN, a)
			}},
			{Name: "LatestRecord (accepted proposal)", OnRecords: true, Do: latest(accepted),
				Want: at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnExpert, at.ROwnRequester)},
			{Name: "LatestRecord (pending proposal)", OnRecords: true, Do: latest(pending),
				Want: at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnExpert)},
			{Name: "LatestRecord (never proposed)", OnRecords: true, Do: latest(unproposed),
				Want: at.All(at.NotFound).Set(at.OK, at.Staff...)},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
