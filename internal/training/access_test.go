package training_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/date"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/training"
)

// TestAccess calls every method of the training service as every actor:
// anyone reads the catalogue; staff enrol anyone and a member enrols for
// their agency; a member cancels their agency's enrolments; staff alone
// manage trainings and read sheets, certificates and indicators; Vivier
// itself sends the notices. A refusal writes nothing.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := at.NewWorld(t, db)
		c := &clock{paris(1, 10, 0)}
		s := training.New(training.Options{DB: db, Now: c.now})
		ctx := context.Background()
		var tid, sid, en int64
		n := 0
		fresh := func(t *testing.T, _ string) {
			var err error
			tid, err = s.CreateTraining(ctx, training.TrainingInput{Title: "Formation", Hours: 7}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			sid, err = s.AddSession(ctx, tid, training.SessionInput{Commune: "69123", Trainer: "Claire", Capacity: 30,
				HalfDays: training.HalfDaysOf([]date.Date{date.MustParse("2026-11-25")})}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			e, err := s.Enrol(ctx, sid, training.EnrolInput{Email: "lea@agence.fr", Name: "Léa", OrganisationID: w.Orgs["agence"]}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			en = e.ID
		}
		everyone := at.All(at.OK)
		staff := at.All(at.Forbidden).Set(at.OK, at.Staff...)
		enrol := staff.Set(at.OK, at.RMember)
		agency := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.RMember)
		system := at.All(at.Forbidden).Set(at.OK, at.RSystem)
		ops := []at.Op{
			{Name: "List", Prepare: fresh, Want: everyone, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.List(ctx, a)
				return err
			}},
			{Name: "Get", Prepare: fresh, Want: everyone, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, _, err := s.Get(ctx, tid, a)
				return err
			}},
			{Name: "CreateTraining", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.CreateTraining(ctx, training.TrainingInput{Title: "Autre", Hours: 3}, a)
				return err
			}},
			{Name: "AddSession", Prepare: fresh, Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.AddSession(ctx, tid, training.SessionInput{OnlineURL: "https://visio.example.org/", Trainer: "Claire", Capacity: 3,
					HalfDays: training.HalfDaysOf([]date.Date{date.MustParse("2026-12-01")})}, a)
				return err
			}},
			{Name: "Enrol", Prepare: fresh, Write: true, Want: enrol, Do: func(ctx context.Context, a access.Actor, _ string) error {
				n++
				_, err := s.Enrol(ctx, sid, training.EnrolInput{Email: fmt.Sprintf("s%d@agence.fr", n), Name: "S", OrganisationID: w.Orgs["agence"]}, a)
				return err
			}},
			{Name: "CancelEnrolment", Prepare: fresh, Write: true, Want: agency, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.CancelEnrolment(ctx, en, a)
			}},
			{Name: "Sheet", Prepare: fresh, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Sheet(ctx, sid, a)
				return err
			}},
			{Name: "Certificate", Prepare: fresh, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Certificate(ctx, en, a)
				return err
			}},
			{Name: "Indicators", Prepare: fresh, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, _, err := s.Indicators(ctx, tid, a)
				return err
			}},
			{Name: "Label", Prepare: fresh, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Label(ctx, tid, a)
				return err
			}},
			{Name: "ImportMoocCounts", Prepare: fresh, Want: staff.Set(at.Outcome(access.Conflict), at.Staff...), Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.ImportMoocCounts(ctx, tid, strings.NewReader("session,debut,inscrits,termines\nPrintemps,2026-03-01,100,20\n"), a)
				return err
			}},
			{Name: "SendNotices", Write: true, Want: system, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.SendNotices(ctx, a)
				return err
			}},
		}
		if cases := at.Run(t, db, w.Actor, ops); cases == 0 {
			t.Fatal("no case ran")
		}
	})
}
