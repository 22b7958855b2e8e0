package event_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/event"
	"vivier/internal/mail"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is a movable fixed clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// members is a tiny Members backed by a map, to test the member-only rule.
type members map[int64]bool

func (m members) IsCurrentMember(_ context.Context, org int64) (bool, error) { return m[org], nil }

var start = time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC) // 14 h in Paris

func newEvent(t *testing.T, svc *event.Service, capacity int, audience event.Audience) int64 {
	t.Helper()
	id, err := svc.Create(context.Background(), event.Input{Title: "Webinaire hydrogène", Kind: event.Webinar, Description: "Les **plans** de relance.",
		StartsAt: start, EndsAt: start.Add(90 * time.Minute), OnlineURL: "https://visio.example.org/h2", Capacity: capacity,
		Audience: audience}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func outboxKeys(t *testing.T, db *store.DB) map[string]mail.Entry {
	t.Helper()
	list, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]mail.Entry{}
	for _, m := range list {
		out[m.Message.Key] = m
	}
	return out
}

func TestWaitlistCancellationPromotion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{start.Add(-10 * 24 * time.Hour)}
		svc := event.New(event.Options{DB: db, Now: c.now, BaseURL: "https://vivier.test"})
		id := newEvent(t, svc, 2, event.Public)
		anon := access.Visitor("192.0.2.1")
		var regs []event.Registration
		for _, who := range []string{"ana", "bob", "cyd", "dan"} {
			r, err := svc.Register(ctx, id, event.RegistrationInput{Email: who + "@exemple.fr", Name: who}, anon)
			if err != nil {
				t.Fatal(err)
			}
			regs = append(regs, r)
		}
		if regs[1].Status != event.Confirmed || regs[2].Status != event.Waitlisted || regs[2].Position != 1 || regs[3].Position != 2 {
			t.Fatalf("statuses: %+v", regs)
		}
		if _, err := svc.Register(ctx, id, event.RegistrationInput{Email: "ANA@exemple.fr", Name: "Ana"}, anon); !errors.Is(err, event.ErrAlreadyRegistered) {
			t.Errorf("a repeated email: %v, want ErrAlreadyRegistered", err)
		}
		if err := svc.Cancel(ctx, regs[0].ID, "mauvais-jeton", anon); access.CodeOf(err) != access.NotFound {
			t.Errorf("cancel with a wrong token: %v", err)
		}
		if err := svc.Cancel(ctx, regs[0].ID, regs[0].Token, anon); err != nil {
			t.Fatal(err)
		}
		list, err := svc.Registrations(ctx, id, access.System)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]event.Status{}
		for _, r := range list {
			got[r.Name] = r.Status
		}
		if got["ana"] != event.Cancelled || got["cyd"] != event.Confirmed || got["dan"] != event.Waitlisted {
			t.Errorf("after a cancellation: %v", got)
		}
		keys := outboxKeys(t, db)
		promo, ok := keys["event-promote:"+itoa(regs[2].ID)]
		if !ok || !strings.Contains(promo.Message.Subject, "place s’est libérée") || len(promo.Message.Attachments) != 1 ||
			!strings.Contains(string(promo.Message.Attachments[0].Data), "BEGIN:VCALENDAR") {
			t.Errorf("no promotion email with its invitation: %+v", promo.Message)
		}
		if !strings.Contains(string(promo.Message.Attachments[0].Data), "visio.example.org") {
			t.Errorf("the promoted participant's invitation lacks the online link")
		}
		if w := keys["event-waitlist:"+itoa(regs[3].ID)]; strings.Contains(w.Message.Text, "visio.example.org") {
			t.Errorf("the waitlist notice reveals the online link")
		}
		// After the deadline, a freed seat is not given away.
		c.t = start.Add(time.Minute)
		if err := svc.Cancel(ctx, regs[1].ID, regs[1].Token, anon); err != nil {
			t.Fatal(err)
		}
		list, _ = svc.Registrations(ctx, id, access.System)
		for _, r := range list {
			if r.Name == "dan" && r.Status != event.Waitlisted {
				t.Errorf("promoted after the deadline")
			}
		}
		if _, err := svc.Register(ctx, id, event.RegistrationInput{Email: "eve@exemple.fr", Name: "Eve"}, anon); access.CodeOf(err) != access.Conflict {
			t.Errorf("registration after the deadline: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestMemberOnlyEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{start.Add(-48 * time.Hour)}
		org7, uid1 := agencyWithUser(t, db, "m@exemple.fr")
		org8, uid2 := agencyWithUser(t, db, "o@exemple.fr")
		for _, m := range []event.Members{nil, members{org7: true}} {
			svc := event.New(event.Options{DB: db, Now: c.now, Members: m})
			id := newEvent(t, svc, 10, event.MembersOnly)
			member := access.Actor{UserID: uid1, Role: access.Member, OrganisationID: org7, Via: access.Session}
			other := access.Actor{UserID: uid2, Role: access.Member, OrganisationID: org8, Via: access.Session}
			for _, a := range []access.Actor{access.Visitor("x"), other} {
				if _, err := svc.Get(ctx, id, a); access.CodeOf(err) != access.NotFound {
					t.Errorf("a non-member sees the member-only event: %v", err)
				}
				if _, err := svc.Register(ctx, id, event.RegistrationInput{Email: "x@exemple.fr", Name: "X"}, a); access.CodeOf(err) != access.NotFound {
					t.Errorf("a non-member registers: %v", err)
				}
			}
			_, err := svc.Register(ctx, id, event.RegistrationInput{Email: "m@exemple.fr", Name: "M"}, member)
			if m == nil && access.CodeOf(err) != access.NotFound {
				t.Errorf("without Members, a member registers: %v", err)
			}
			if m != nil && err != nil {
				t.Errorf("a current member cannot register: %v", err)
			}
			if _, err := svc.Get(ctx, id, access.Actor{UserID: 3, Role: access.Coordinator, Via: access.Session}); err != nil {
				t.Errorf("staff do not see it: %v", err)
			}
		}
	})
}

// agencyWithUser creates an agency and a member account of it.
func agencyWithUser(t *testing.T, db *store.DB, email string) (org, user int64) {
	t.Helper()
	ctx := context.Background()
	o, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence " + email})
	if err != nil {
		t.Fatal(err)
	}
	err = db.QueryRowContext(ctx, `INSERT INTO users (email, name, role, organisation_id, created_at, updated_at)
		VALUES ($1, $1, 'member', $2, $3, $3) RETURNING id`, email, o.ID, time.Now().UTC()).Scan(&user)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID, user
}

func TestAttendanceImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{start.Add(-48 * time.Hour)}
		svc := event.New(event.Options{DB: db, Now: c.now})
		id := newEvent(t, svc, 10, event.Public)
		for _, who := range []string{"ana", "bob", "cyd"} {
			if _, err := svc.Register(ctx, id, event.RegistrationInput{Email: who + "@exemple.fr", Name: who}, access.System); err != nil {
				t.Fatal(err)
			}
		}
		bad := "Nom,Adresse e-mail,Heure d'arrivée,Heure de départ\n" +
			"Ana,ana@exemple.fr,25/11/2026 14:00,25/11/2026 15:30\n" +
			"Bob,pas-une-adresse,25/11/2026 14:00,25/11/2026 15:30\n" +
			"Cyd,cyd@exemple.fr,demain,25/11/2026 15:30\n"
		_, err := svc.ImportAttendance(ctx, id, strings.NewReader(bad), access.System)
		var ie *event.ImportError
		if !errors.As(err, &ie) || len(ie.Errors) != 2 || ie.Errors[0].Line != 3 || ie.Errors[1].Line != 4 || ie.Errors[1].Column != 3 {
			t.Fatalf("bad lines: %v %+v", err, ie)
		}
		e, _ := svc.Get(ctx, id, access.System)
		if e.Present != 0 {
			t.Errorf("a refused file marked %d present", e.Present)
		}
		zoom := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n" +
			"Ana,ana@exemple.fr,11/25/2026 02:00:00 PM,11/25/2026 02:30:00 PM,30,No\n" +
			"Ana,ana@exemple.fr,11/25/2026 02:40:00 PM,11/25/2026 03:30:00 PM,50,No\n" +
			"Bob,BOB@exemple.fr,11/25/2026 02:00:00 PM,11/25/2026 02:20:00 PM,20,No\n" +
			"Zoé,zoe@ailleurs.fr,11/25/2026 02:00:00 PM,11/25/2026 03:30:00 PM,90,Yes\n"
		rep, err := svc.ImportAttendance(ctx, id, strings.NewReader(zoom), access.System)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Matched != 2 || rep.Present != 1 || len(rep.Unmatched) != 1 || rep.Unmatched[0].Email != "zoe@ailleurs.fr" || rep.Unmatched[0].Line != 5 {
			t.Errorf("report: %+v", rep)
		}
		if _, err := svc.ImportAttendance(ctx, id, strings.NewReader(zoom), access.Actor{UserID: 9, Role: access.Member, Via: access.Session}); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member imports: %v", err)
		}
	})
}

// TestAnonymiseAfterAYear checks the retention the registration form
// promises: a year after the event, names and addresses are gone, the
// counts stay.
func TestAnonymiseAfterAYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{start.Add(-48 * time.Hour)}
		svc := event.New(event.Options{DB: db, Now: c.now})
		id := newEvent(t, svc, 10, event.Public)
		for _, who := range []string{"ana", "bob"} {
			if _, err := svc.Register(ctx, id, event.RegistrationInput{Email: who + "@exemple.fr", Name: who}, access.System); err != nil {
				t.Fatal(err)
			}
		}
		c.t = start.Add(300 * 24 * time.Hour)
		if n, err := svc.Anonymise(ctx, access.System); err != nil || n != 0 {
			t.Errorf("before a year: %d, %v", n, err)
		}
		c.t = start.Add(370 * 24 * time.Hour)
		if n, err := svc.Anonymise(ctx, access.System); err != nil || n != 2 {
			t.Errorf("after a year: %d, %v", n, err)
		}
		regs, _ := svc.Registrations(ctx, id, access.System)
		for _, r := range regs {
			if strings.Contains(r.Email, "exemple.fr") || r.Name != "Participant anonymisé" || r.Status != event.Confirmed {
				t.Errorf("after the retention: %+v", r)
			}
		}
		if n, _ := svc.Anonymise(ctx, access.System); n != 0 {
			t.Errorf("anonymised twice: %d", n)
		}
		if _, err := svc.Anonymise(ctx, access.Actor{UserID: 1, Role: access.Admin, Via: access.Session}); access.CodeOf(err) != access.Forbidden {
			t.Errorf("an admin runs the job: %v", err)
		}
	})
}

// TestUpdateChangesOrNothing checks that saving an event unchanged writes
// nothing, and that a larger capacity promotes from the waiting list.
func TestUpdateChangesOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{start.Add(-72 * time.Hour)}
		svc := event.New(event.Options{DB: db, Now: c.now})
		in := event.Input{Title: "Atelier", Kind: event.Meeting, StartsAt: start, EndsAt: start.Add(time.Hour), Commune: "69123", Capacity: 1}
		id, err := svc.Create(ctx, in, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"ana", "bob"} {
			if _, err := svc.Register(ctx, id, event.RegistrationInput{Email: who + "@exemple.fr", Name: who}, access.System); err != nil {
				t.Fatal(err)
			}
		}
		audits := func() int {
			var n int
			db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'event.updated'`).Scan(&n)
			return n
		}
		if err := svc.Update(ctx, id, in, access.System); err != nil || audits() != 0 {
			t.Errorf("an unchanged event: %v, %d audit entries", err, audits())
		}
		in.Capacity = 2
		if err := svc.Update(ctx, id, in, access.System); err != nil || audits() != 1 {
			t.Errorf("a larger capacity: %v, %d audit entries", err, audits())
		}
		e, _ := svc.Get(ctx, id, access.System)
		if e.Confirmed != 2 || e.Waitlisted != 0 {
			t.Errorf("after the capacity grew: %d confirmed, %d waiting", e.Confirmed, e.Waitlisted)
		}
		in.Capacity = 1
		if err := svc.Update(ctx, id, in, access.System); access.CodeOf(err) != access.Invalid {
			t.Errorf("a capacity below the confirmed: %v", err)
		}
	})
}

// TestPersonsRegistrationsAreExportedAndErased checks the GDPR duties on
// registrations: the account's export lists those made with its address,
// and its erasure anonymises them, counts kept.
func TestPersonsRegistrationsAreExportedAndErased(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := event.New(event.Options{DB: db, Now: (&clock{start.Add(-10 * 24 * time.Hour)}).now})
		evID := newEvent(t, s, 5, event.Public)
		var uid int64
		if err := db.QueryRowContext(ctx, `INSERT INTO users (email, name, role, status, created_at, updated_at)
			VALUES ('claire@agence.fr', 'Claire', 'member', 'active', $1, $1) RETURNING id`, time.Now().UTC()).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Register(ctx, evID, event.RegistrationInput{Email: "Claire@Agence.fr", Name: "Claire Martin", Organisation: "Agence de l’Ain"}, access.Visitor("192.0.2.1")); err != nil {
			t.Fatal(err)
		}
		section, data, err := (event.Privacy{}).ExportPerson(ctx, db, uid)
		regs, _ := data.([]event.ExportedRegistration)
		if err != nil || section != "event_registrations" || len(regs) != 1 || regs[0].Organisation != "Agence de l’Ain" {
			t.Fatalf("export %s %+v %v", section, data, err)
		}
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return (event.Privacy{}).ErasePerson(ctx, tx, uid) }); err != nil {
			t.Fatal(err)
		}
		var name, email string
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*), min(name), min(email) FROM event_registrations WHERE event_id = $1`, evID).Scan(&n, &name, &email); err != nil {
			t.Fatal(err)
		}
		if n != 1 || name != "Participant anonymisé" || strings.Contains(email, "claire") {
			t.Errorf("after erasure: %d registrations, %q %q", n, name, email)
		}
		if _, data, _ := (event.Privacy{}).ExportPerson(ctx, db, uid); data != nil {
			t.Errorf("still exported after erasure: %+v", data)
		}
	})
}
