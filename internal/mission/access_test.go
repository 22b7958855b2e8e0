package mission_test

import (
	"context"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// records are what the operations act on, for A or B: each made for
// expert A (B) and a need of organisation A (B).
type records struct {
	need, proposal, mission, file, milestone, pooled int64
}

// TestAccess calls every method of the mission service as every actor on
// the proposals and missions of expert A and organisation A, and of
// expert B and organisation B: staff see and run everything; an expert sees
// their own proposals and missions, answers, logs days, reports, adds
// deliverables and milestones and moves the mission forward, but does not
// close it; a requester sees the missions serving their organisation and the
// proposals it received once accepted, chooses, asks for others and reviews;
// nobody else sees any.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		w.Pool(t)
		s := w.Missions
		must := func(t *testing.T, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}

		// What the reads look at, made once: a pending and an accepted
		// proposal, a mission in progress with a deliverable and a
		// milestone, an interim one with a check-in, a delivered one.
		type base struct {
			pending, accepted          records
			inProgress, interim, deliv int64
			file                       int64
		}
		bases := map[string]*base{}
		for _, r := range at.Records {
			b := &base{}
			b.pending.need, b.pending.proposal = w.Proposal(t, r, need.Mission, mission.Pending)
			b.accepted.need, b.accepted.proposal = w.Proposal(t, r, need.Mission, mission.Accepted)
			b.inProgress = w.Mission(t, r, need.Mission, mission.InProgress, true)
			must(t, s.AddFile(ctx, b.inProgress, "diagnostic.pdf", []byte("%PDF-1.4 diagnostic "+r), access.System))
			must(t, s.AddMilestone(ctx, b.inProgress, "Diagnostic", w.Today.AddDays(7), access.System))
			must(t, s.LogDay(ctx, b.inProgress, w.Today, 2, "Visite de la zone", access.System))
			files, err := s.Files(ctx, b.inProgress, access.System)
			must(t, err)
			b.file = files[0].ID
			b.interim = w.Mission(t, r, need.Interim, mission.InProgress, true)
			must(t, s.AddCheckIn(ctx, b.interim, w.Today, "Première semaine", access.System))
			b.deliv = w.Mission(t, r, need.Mission, mission.Delivered, true)
			bases[r] = b
		}

		// The records of the operation that writes, made fresh by its
		// Prepare.
		rec := map[string]*records{"A": {}, "B": {}}
		proposal := func(kind need.Kind, st mission.ProposalStatus) func(*testing.T, string) {
			return func(t *testing.T, r string) {
				rec[r].need, rec[r].proposal = w.Proposal(t, r, kind, st)
			}
		}
		missionIn := func(kind need.Kind, st mission.Status, agreed bool) func(*testing.T, string) {
			return func(t *testing.T, r string) {
				rec[r].mission = w.Mission(t, r, kind, st, agreed)
			}
		}
		withMilestone := func(t *testing.T, r string) {
			missionIn(need.Mission, mission.Planned, false)(t, r)
			must(t, s.AddMilestone(ctx, rec[r].mission, "Restitution", w.Today.AddDays(20), access.System))
			ms, err := s.Milestones(ctx, rec[r].mission, access.System)
			must(t, err)
			rec[r].milestone = ms[0].ID
		}
		withNeedToPool := func(t *testing.T, r string) {
			missionIn(need.Mission, mission.Planned, false)(t, r)
			rec[r].pooled = w.Need(t, r, at.Neighbour[r], need.Mission, need.Qualified)
		}

		// present is « not found » unless id is among ids.
		present := func(id int64, ids []int64, err error) error {
			if err != nil {
				return err
			}
			for _, x := range ids {
				if x == id {
					return nil
				}
			}
			return store.NotFound("%d in the list", id)
		}
		missionIDs := func(ms []mission.Mission, err error) ([]int64, error) {
			var ids []int64
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			return ids, err
		}
		proposalIDs := func(ps []mission.Proposal, err error) ([]int64, error) {
			var ids []int64
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			return ids, err
		}

		// Who sees a mission: staff, its expert, the requesters it serves.
		read := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnExpert, at.ROwnRequester)
		// Staff only, on a mission its expert and requesters see.
		staffOn := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.Forbidden, at.ROwnExpert, at.ROwnRequester)
		// Staff or the mission's expert.
		staffOrExpert := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnExpert).Set(at.Forbidden, at.ROwnRequester)
		// The mission's expert only (or the system, for the demo and jobs).
		expertOnly := at.All(at.NotFound).Set(at.OK, at.RSystem, at.ROwnExpert).Set(at.Forbidden, at.RAdmin, at.RCoordinator, at.ROwnRequester)
		// The need's requesters, or staff acting for them.
		requesterSide := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnRequester)
		// Only the one actor the list is for.
		onlyFor := func(r at.Relation) at.Want { return at.All(at.NotFound).Set(at.OK, r) }
		// Periodic jobs.
		jobOnly := at.All(at.Forbidden).Set(at.OK, at.RSystem)

		inProgress := func(r string) int64 { return bases[r].inProgress }
		ops := []at.Op{
			// Reads of a mission.
			{Name: "Get", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Get(ctx, inProgress(r), a)
				return err
			}},
			{Name: "List", OnRecords: true,
				Want: at.All(at.Forbidden).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnExpert, at.ROwnRequester).Set(at.NotFound, at.ROtherExpert, at.ROtherRequester),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					ids, err := missionIDs(s.List(ctx, mission.Filter{}, a))
					return present(inProgress(r), ids, err)
				}},
			{Name: "Days", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Days(ctx, inProgress(r), a)
				return err
			}},
			{Name: "Files", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Files(ctx, inProgress(r), a)
				return err
			}},
			{Name: "File", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.File(ctx, bases[r].file, a)
				return err
			}},
			{Name: "Milestones", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Milestones(ctx, inProgress(r), a)
				return err
			}},
			{Name: "Reviews", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Reviews(ctx, bases[r].deliv, a)
				return err
			}},
			{Name: "CheckIns", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.CheckIns(ctx, bases[r].interim, a)
				return err
			}},
			{Name: "Requesters", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Requesters(ctx, inProgress(r), a)
				return err
			}},
			{Name: "ToReview", OnRecords: true, Want: onlyFor(at.ROwnRequester), Do: func(ctx context.Context, a access.Actor, r string) error {
				ids, err := missionIDs(s.ToReview(ctx, a))
				return present(bases[r].deliv, ids, err)
			}},
			// Reads of proposals.
			{Name: "Proposal (pending)", OnRecords: true, Want: at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnExpert),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					_, err := s.Proposal(ctx, bases[r].pending.proposal, a)
					return err
				}},
			{Name: "Proposal (accepted)", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Proposal(ctx, bases[r].accepted.proposal, a)
				return err
			}},
			{Name: "NeedProposals (pending)", OnRecords: true, Want: at.All(at.NotFound).Set(at.OK, at.Staff...),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					ids, err := proposalIDs(s.NeedProposals(ctx, bases[r].pending.need, a))
					return present(bases[r].pending.proposal, ids, err)
				}},
			{Name: "NeedProposals (accepted)", OnRecords: true, Want: requesterSide, Do: func(ctx context.Context, a access.Actor, r string) error {
				ids, err := proposalIDs(s.NeedProposals(ctx, bases[r].accepted.need, a))
				return present(bases[r].accepted.proposal, ids, err)
			}},
			{Name: "MyProposals", OnRecords: true, Want: onlyFor(at.ROwnExpert), Do: func(ctx context.Context, a access.Actor, r string) error {
				ids, err := proposalIDs(s.MyProposals(ctx, a))
				return present(bases[r].pending.proposal, ids, err)
			}},
			{Name: "ToChoose", OnRecords: true, Want: onlyFor(at.ROwnRequester), Do: func(ctx context.Context, a access.Actor, r string) error {
				ids, err := proposalIDs(s.ToChoose(ctx, a))
				return present(bases[r].accepted.proposal, ids, err)
			}},
			{Name: "Candidates", OnRecords: true, Want: requesterSide, Do: func(ctx context.Context, a access.Actor, r string) error {
				c, err := s.Candidates(ctx, bases[r].accepted.need, a)
				if _, ok := c[w.Expert[r]]; err == nil && !ok {
					return store.NotFound("candidate %s", r)
				}
				return err
			}},
			// Reads of no record in particular.
			{Name: "ReferenceRates", Want: at.All(at.OK).Set(at.Forbidden, at.RAnonymous), Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.ReferenceRates(ctx, a)
				return err
			}},
			{Name: "Stats", Want: at.All(at.Forbidden).Set(at.OK, at.Staff...), Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Stats(ctx, w.Today.AddDays(-30), w.Today, a)
				return err
			}},

			// Proposals.
			{Name: "Propose", OnRecords: true, Write: true, Want: at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.Forbidden, at.ROwnRequester),
				Prepare: func(t *testing.T, r string) { rec[r].need = w.Need(t, r, "", need.Mission, need.Qualified) },
				Do: func(ctx context.Context, a access.Actor, r string) error {
					_, err := s.Propose(ctx, rec[r].need, []int64{w.Expert[r]}, "", a)
					return err
				}},
			{Name: "Answer", OnRecords: true, Write: true, Prepare: proposal(need.Mission, mission.Pending),
				Want: at.All(at.NotFound).Set(at.OK, at.RSystem, at.ROwnExpert).Set(at.Forbidden, at.RAdmin, at.RCoordinator),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.Answer(ctx, rec[r].proposal, true, "", a)
				}},
			{Name: "Answer (again)", OnRecords: true, Replay: true, Prepare: proposal(need.Mission, mission.Accepted),
				Want: at.All(at.NotFound).Set(at.OK, at.RSystem, at.ROwnExpert).Set(at.Forbidden, at.RAdmin, at.RCoordinator, at.ROwnRequester),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.Answer(ctx, rec[r].proposal, true, "", a)
				}},
			{Name: "Choose", OnRecords: true, Write: true, Prepare: proposal(need.Mission, mission.Accepted),
				Want: at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnRequester).Set(at.Forbidden, at.ROwnExpert),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					_, err := s.Choose(ctx, rec[r].proposal, a)
					return err
				}},
			{Name: "AskOthers", OnRecords: true, Write: true, Prepare: proposal(need.Mission, mission.Accepted), Want: requesterSide,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.AskOthers(ctx, rec[r].need, "des profils plus proches de l’industrie", a)
				}},

			// Missions.
			{Name: "RequestEmployer", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.Planned, false), Want: staffOn,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					_, err := s.RequestEmployer(ctx, rec[r].mission, "drh@employeur.fr", a)
					return err
				}},
			{Name: "Pool", OnRecords: true, Write: true, Prepare: withNeedToPool, Want: staffOn,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.Pool(ctx, rec[r].mission, rec[r].pooled, a)
				}},
			{Name: "Plan", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.Planned, false), Want: staffOn,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.Plan(ctx, rec[r].mission, w.Today.AddDays(1), w.Today.AddDays(30), 6, a)
				}},
			{Name: "Move (start)", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.Planned, true), Want: staffOrExpert,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.Move(ctx, rec[r].mission, mission.InProgress, a)
				}},
			{Name: "Move (close)", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.Delivered, true), Want: staffOn,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.Move(ctx, rec[r].mission, mission.Closed, a)
				}},
			{Name: "LogDay", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.InProgress, true), Want: expertOnly,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.LogDay(ctx, rec[r].mission, w.Today, 1, "Atelier avec les élus", a)
				}},
			{Name: "AddFile", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.Planned, false), Want: staffOrExpert,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.AddFile(ctx, rec[r].mission, "note.pdf", []byte("%PDF-1.4 note"), a)
				}},
			{Name: "AddMilestone", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.Planned, false), Want: staffOrExpert,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.AddMilestone(ctx, rec[r].mission, "Comité de pilotage", w.Today.AddDays(14), a)
				}},
			{Name: "AddMilestone (again)", OnRecords: true, Replay: true, Prepare: withMilestone, Want: staffOrExpert,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.AddMilestone(ctx, rec[r].mission, "Restitution", w.Today.AddDays(20), a)
				}},
			{Name: "CompleteMilestone", OnRecords: true, Write: true, Prepare: withMilestone, Want: staffOrExpert,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.CompleteMilestone(ctx, rec[r].mission, rec[r].milestone, a)
				}},
			{Name: "SetReport", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.InProgress, true), Want: expertOnly,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.SetReport(ctx, rec[r].mission, "La zone est requalifiée.", a)
				}},
			{Name: "AddCheckIn", OnRecords: true, Write: true, Prepare: missionIn(need.Interim, mission.InProgress, true), Want: expertOnly,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.AddCheckIn(ctx, rec[r].mission, w.Today, "Budget voté", a)
				}},
			{Name: "SetHandover", OnRecords: true, Write: true, Prepare: missionIn(need.Interim, mission.InProgress, true), Want: expertOnly,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.SetHandover(ctx, rec[r].mission, "Dossiers et contacts.", a)
				}},
			{Name: "AddReview", OnRecords: true, Write: true, Prepare: missionIn(need.Mission, mission.Delivered, true),
				Want: at.All(at.NotFound).Set(at.OK, at.RSystem, at.ROwnRequester).Set(at.Forbidden, at.RAdmin, at.RCoordinator, at.ROwnExpert),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.AddReview(ctx, rec[r].mission, 4, "Très utile", a)
				}},

			// Settings and periodic jobs.
			{Name: "SetReferenceRates", Write: true, Want: at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					return s.SetReferenceRates(ctx, map[string]int{"filieres": 1000}, a)
				}},
			{Name: "ExpireDue", Write: true, Want: jobOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.ExpireDue(ctx, a)
				return err
			}},
			{Name: "SendDigests", Write: true, Want: jobOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.SendDigests(ctx, a)
				return err
			}},
			{Name: "Remind", Write: true, Want: jobOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Remind(ctx, a)
				return err
			}},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
