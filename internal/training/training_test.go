package training_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/mail"
	"vivier/internal/organisation"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/training"
)

func TestMain(m *testing.M) { storetest.Main(m) }

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type members map[int64]bool

func (m members) IsCurrentMember(_ context.Context, org int64) (bool, error) { return m[org], nil }

// paris is an instant of Paris time on 25–26 November 2026.
func paris(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, date.Paris()) }

func setup(t *testing.T, db *store.DB, c *clock, m training.Members) (*training.Service, int64, int64) {
	t.Helper()
	ctx := context.Background()
	svc := training.New(training.Options{DB: db, Now: c.now, Members: m, BaseURL: "https://vivier.test"})
	id, err := svc.CreateTraining(ctx, training.TrainingInput{Title: "Piloter un plan de relance", Objectives: "Diagnostiquer le tissu économique\nConstruire le plan d’action",
		Hours: 14, PriceMember: 450, PriceOther: 900}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := svc.AddSession(ctx, id, training.SessionInput{Commune: "69123", Address: "10 rue de la République", Trainer: "Claire Martin",
		Capacity: 2, HalfDays: training.HalfDaysOf([]date.Date{date.MustParse("2026-11-25"), date.MustParse("2026-11-26")})}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	return svc, id, sid
}

// TestSignInRules checks with a fixed clock when a trainee may sign: not
// before a half-day starts, up to two hours after it ends, once each.
func TestSignInRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{paris(1, 10, 0)}
		agency, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence du Rhône"})
		if err != nil {
			t.Fatal(err)
		}
		svc, _, sid := setup(t, db, c, members{agency.ID: true})
		member := access.Actor{UserID: 0, Role: access.Member, OrganisationID: agency.ID, Via: access.Session}
		if _, err := svc.Enrol(ctx, sid, training.EnrolInput{Email: "x@exemple.fr", Name: "X", OrganisationID: agency.ID + 99}, member); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member enrols for another agency: %v", err)
		}
		en, err := svc.Enrol(ctx, sid, training.EnrolInput{Email: "lea@agence.fr", Name: "Léa Dubois", OrganisationID: agency.ID}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if !en.Member || en.Status != training.Confirmed {
			t.Errorf("enrolment: %+v", en)
		}
		phone := access.Visitor("203.0.113.7")
		cases := []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"before the first half-day", paris(25, 8, 59), false},
			{"at the start of the morning", paris(25, 9, 0), true},
			{"the morning again", paris(25, 11, 0), false},
			{"lunch, within two hours of the morning's end: already signed", paris(25, 13, 30), false},
			{"the afternoon, late but within two hours", paris(26, 19, 29).AddDate(0, 0, -1), true},
			{"next morning, after the night", paris(26, 9, 15), true},
			{"more than two hours after the last half-day", paris(26, 19, 31), false},
		}
		for _, tc := range cases {
			c.t = tc.at.UTC()
			_, err := svc.SignByLink(ctx, en.Token, phone)
			if (err == nil) != tc.ok {
				t.Errorf("%s: %v, want ok=%v", tc.name, err, tc.ok)
			}
		}
		if _, err := svc.SignByLink(ctx, "jeton-inconnu", phone); access.CodeOf(err) != access.NotFound {
			t.Errorf("unknown link: %v", err)
		}
		// The room's QR code and the personal code.
		sh, err := svc.Sheet(ctx, sid, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if got := sh.AttendedHours(en.ID); got != 10.5 {
			t.Errorf("attended %v h, want 10.5", got)
		}
		last := sh.Session.HalfDays[3]
		c.t = paris(26, 14, 5).UTC()
		if _, err := svc.SignInRoom(ctx, last.RoomToken, "lea@agence.fr", "000000x", phone); access.CodeOf(err) != access.Invalid {
			t.Errorf("a wrong code: %v", err)
		}
		if _, err := svc.SignInRoom(ctx, last.RoomToken, "LEA@agence.fr", en.Code, phone); err != nil {
			t.Errorf("signing in the room: %v", err)
		}
		if err := svc.Countersign(ctx, last.ID, "mauvais", phone); access.CodeOf(err) != access.NotFound {
			t.Errorf("countersign with a wrong link: %v", err)
		}
		if err := svc.Countersign(ctx, last.ID, sh.Session.TrainerToken, phone); err != nil {
			t.Errorf("countersign: %v", err)
		}
		c.t = paris(27, 9, 0).UTC()
		doc, err := svc.SheetPDF(ctx, sid, access.System)
		if err != nil {
			t.Fatal(err)
		}
		text := pdftest.Text(t, doc)
		for _, want := range []string{"Feuille d’émargement", "Léa Dubois", "signé le 25 novembre 2026 à 9 h 00", "203.0.113.7", "contresigné le 26 novembre 2026 à 14 h 05", "Claire Martin"} {
			if !strings.Contains(text, want) {
				t.Errorf("the sign-in sheet lacks %q:\n%s", want, text)
			}
		}
		cert, err := svc.TraineeCertificate(ctx, en.Token, phone)
		if err != nil {
			t.Fatal(err)
		}
		text = pdftest.Text(t, cert)
		for _, want := range []string{"Attestation de fin de formation", "Léa Dubois (Agence du Rhône)", "« Piloter un plan de relance »", "14 h sur 14 h", "Construire le plan d’action"} {
			if !strings.Contains(text, want) {
				t.Errorf("the certificate lacks %q:\n%s", want, text)
			}
		}
		if n, err := svc.SendNotices(ctx, access.System); err != nil || n != 1 {
			t.Errorf("closing notices: %d, %v", n, err)
		}
		msgs, _ := mail.List(ctx, db, "", 0)
		found := false
		for _, m := range msgs {
			if strings.HasPrefix(m.Message.Key, "training-closing:") && len(m.Message.Attachments) == 1 && m.Message.Attachments[0].Name == "attestation.pdf" {
				found = true
			}
		}
		if !found {
			t.Errorf("no closing email with the certificate")
		}
		if err := svc.AnswerSurvey(ctx, en.Token, training.Survey{Content: 5, Trainer: 4, Organisation: 4, Usefulness: 3}, phone); err != nil {
			t.Fatal(err)
		}
		if err := svc.AnswerSurvey(ctx, en.Token, training.Survey{Content: 5, Trainer: 4, Organisation: 4, Usefulness: 3}, phone); access.CodeOf(err) != access.Conflict {
			t.Errorf("a second answer: %v", err)
		}
		_, ind, err := svc.Indicators(ctx, sh.Training.ID, access.System)
		if err != nil || len(ind) != 1 {
			t.Fatalf("indicators: %v %v", ind, err)
		}
		i := ind[0]
		if i.Year != 2026 || i.Trainees != 1 || i.HoursTrainee != 14 || i.Completed != 1 || i.Responses != 1 || i.Satisfied != 1 {
			t.Errorf("indicators: %+v", i)
		}
	})
}

func TestEnrolmentWaitlist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &clock{paris(1, 10, 0)}
		svc, _, sid := setup(t, db, c, nil)
		var list []training.Enrolment
		for _, who := range []string{"a", "b", "c"} {
			en, err := svc.Enrol(ctx, sid, training.EnrolInput{Email: who + "@exemple.fr", Name: who}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			list = append(list, en)
		}
		if list[2].Status != training.Waitlisted || list[2].Position != 1 || list[0].Member {
			t.Fatalf("enrolments: %+v", list)
		}
		if _, err := svc.Enrol(ctx, sid, training.EnrolInput{Email: "A@exemple.fr", Name: "A"}, access.System); access.CodeOf(err) != access.Conflict {
			t.Errorf("enrolled twice: %v", err)
		}
		if err := svc.CancelEnrolment(ctx, list[0].ID, access.System); err != nil {
			t.Fatal(err)
		}
		got, _ := svc.Enrolments(ctx, sid, access.System)
		if got[1].Name != "c" || got[1].Status != training.Confirmed {
			t.Errorf("after a cancellation: %+v", got)
		}
	})
}
