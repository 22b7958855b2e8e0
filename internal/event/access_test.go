package event_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAccess calls every method of the event service as every actor: anyone
// sees the public events and registers; a member-only event is « not
// found » to everyone but staff (no organisation is a current member
// without the network's memberships); only staff manage, and only Vivier
// itself runs the periodic jobs. A refusal writes nothing.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := at.NewWorld(t, db)
		ctx := context.Background()
		c := &clock{start.Add(-72 * time.Hour)}
		s := event.New(event.Options{DB: db, Now: c.now})
		var public, closed, reg int64
		n := 0
		fresh := func(t *testing.T, _ string) {
			public = newEvent(t, s, 5, event.Public)
			closed = newEvent(t, s, 5, event.MembersOnly)
			r, err := s.Register(ctx, public, event.RegistrationInput{Email: "ana@exemple.fr", Name: "Ana"}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			reg = r.ID
		}
		input := event.Input{Title: "Atelier", Kind: event.Meeting, StartsAt: start, EndsAt: start.Add(time.Hour), Commune: "69123", Capacity: 8}
		everyone := at.All(at.OK)
		staff := at.All(at.Forbidden).Set(at.OK, at.Staff...)
		staffSees := at.All(at.NotFound).Set(at.OK, at.Staff...)
		system := at.All(at.Forbidden).Set(at.OK, at.RSystem)
		ops := []at.Op{
			{Name: "Get public", Prepare: fresh, Want: everyone, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Get(ctx, public, a)
				return err
			}},
			{Name: "Get member-only", Prepare: fresh, Want: staffSees, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Get(ctx, closed, a)
				return err
			}},
			{Name: "Register", Prepare: fresh, Write: true, Want: everyone, Do: func(ctx context.Context, a access.Actor, _ string) error {
				n++
				_, err := s.Register(ctx, public, event.RegistrationInput{Email: "p" + itoa(int64(n)) + "@exemple.fr", Name: "P"}, a)
				return err
			}},
			{Name: "Register member-only", Prepare: fresh, Write: true, Want: staffSees, Do: func(ctx context.Context, a access.Actor, _ string) error {
				n++
				_, err := s.Register(ctx, closed, event.RegistrationInput{Email: "p" + itoa(int64(n)) + "@exemple.fr", Name: "P"}, a)
				return err
			}},
			{Name: "Create", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Create(ctx, input, a)
				return err
			}},
			{Name: "Update", Prepare: fresh, Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.Update(ctx, public, input, a)
			}},
			{Name: "Registrations", Prepare: fresh, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Registrations(ctx, public, a)
				return err
			}},
			{Name: "CheckIn", Prepare: fresh, Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.CheckIn(ctx, reg, true, a)
			}},
			{Name: "Cancel by staff", Prepare: fresh, Write: true, Want: staffSees, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.Cancel(ctx, reg, "", a)
			}},
			{Name: "ImportAttendance", Prepare: fresh, Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.ImportAttendance(ctx, public, strings.NewReader("email,duration\nana@exemple.fr,60\n"), a)
				return err
			}},
			{Name: "Stats", Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Stats(ctx, date.Of(start).AddDays(-30), date.Of(start).AddDays(30), a)
				return err
			}},
			{Name: "Label", Prepare: fresh, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Label(ctx, public, a)
				return err
			}},
			{Name: "SendReminders", Write: true, Want: system, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.SendReminders(ctx, a)
				return err
			}},
			{Name: "Anonymise", Write: true, Want: system, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Anonymise(ctx, a)
				return err
			}},
		}
		if cases := at.Run(t, db, w.Actor, ops); cases == 0 {
			t.Fatal("no case ran")
		}
	})
}
