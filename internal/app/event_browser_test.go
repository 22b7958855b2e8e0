package app_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vivier/internal/access"
	"vivier/internal/browsertest"
	"vivier/internal/event"
	"vivier/internal/mail"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/training"
)

// mailTo returns the newest outbox message to address whose key starts
// with kind, failing the test when there is none.
func mailTo(t *testing.T, db *store.DB, address, kind string) mail.Entry {
	t.Helper()
	msgs, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Message.To == address && strings.HasPrefix(m.Message.Key, kind+":") {
			return m
		}
	}
	t.Fatalf("no %s email to %s", kind, address)
	return mail.Entry{}
}

var registrationLink = regexp.MustCompile(`(/inscriptions/[A-Za-z0-9_-]+)`)

// TestEventJourney walks in headless Chromium a registration without an
// account, a second one on the waiting list, the first person's
// cancellation through the link of their email, the promotion email of the
// second, and the staff's door check-in.
func TestEventJourney(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()
	start := time.Now().Add(10 * 24 * time.Hour).UTC().Truncate(time.Hour)
	id, err := ta.Events.Create(ctx, event.Input{Title: "Webinaire : l’hydrogène dans les territoires", Kind: event.Webinar,
		Description: "Avec trois agences **pionnières**.", StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		OnlineURL: "https://visio.example.org/h2", Capacity: 1}, access.System)
	if err != nil {
		t.Fatal(err)
	}

	// Anne registers from the public list, without an account.
	anne := browsertest.NewPage(t, ta.srv.URL)
	anne.Visit("/evenements").Submit(`#a-venir a`)
	anne.Submit(`#inscription button[type=submit]`)
	if !strings.Contains(anne.Text("#e-name"), "indiquez votre nom") || !strings.Contains(anne.Text("#e-consent"), "cochez la case") {
		t.Fatalf("an empty form: %q", anne.Text("main"))
	}
	anne.Fill("#f-name", "Anne Rivière").Fill("#f-email", "anne@agence-ain.fr").Fill("#f-organisation", "Agence de l’Ain").Check("#f-consent").
		Submit(`#inscription button[type=submit]`)
	if got := anne.Text("#statut"); !strings.Contains(got, "confirmée") || !anne.Has("#lien-en-ligne") {
		t.Fatalf("Anne's registration: %q", anne.Text("main"))
	}

	// Bruno finds it full and waits; the online link is not his.
	bruno := browsertest.NewPage(t, ta.srv.URL)
	bruno.Visit("/evenements/" + itoa(id))
	if !strings.Contains(bruno.Text("#places"), "complet") {
		t.Fatalf("the event is not shown full: %q", bruno.Text("#places"))
	}
	bruno.Fill("#f-name", "Bruno Petit").Fill("#f-email", "bruno@exemple.fr").Check("#f-consent").Submit(`#inscription button[type=submit]`)
	if got := bruno.Text("#statut"); !strings.Contains(got, "en liste d’attente, position 1") || bruno.Has("#lien-en-ligne") {
		t.Fatalf("Bruno's registration: %q", bruno.Text("main"))
	}
	// The same email again is refused, beside the field.
	bruno.Visit("/evenements/" + itoa(id))
	bruno.Fill("#f-name", "Bruno Petit").Fill("#f-email", "BRUNO@exemple.fr").Check("#f-consent").Submit(`#inscription button[type=submit]`)
	if !strings.Contains(bruno.Text("#e-email"), "déjà inscrite") {
		t.Fatalf("a repeated email: %q", bruno.Text("main"))
	}

	// Anne cancels through the link of her confirmation email, which
	// carries the invitation.
	confirm := mailTo(t, db, "anne@agence-ain.fr", "event-confirm")
	if len(confirm.Message.Attachments) != 1 || !strings.Contains(string(confirm.Message.Attachments[0].Data), "SUMMARY:Webinaire") {
		t.Fatalf("the confirmation lacks its .ics: %+v", confirm.Message.Attachments)
	}
	link := registrationLink.FindString(confirm.Message.Text)
	anne.Visit(link).Submit(`form[action$="/annuler"] button`)
	if !strings.Contains(anne.Text("#statut"), "annulée") {
		t.Fatalf("after cancelling: %q", anne.Text("main"))
	}

	// Bruno is promoted at once and told by email.
	promo := mailTo(t, db, "bruno@exemple.fr", "event-promote")
	if !strings.Contains(promo.Message.Subject, "Une place s’est libérée") || len(promo.Message.Attachments) != 1 {
		t.Fatalf("promotion email: %+v", promo.Message)
	}
	bruno.Visit(registrationLink.FindString(promo.Message.Text))
	if !strings.Contains(bruno.Text("#statut"), "confirmée") || !bruno.Has("#lien-en-ligne") {
		t.Fatalf("Bruno after the promotion: %q", bruno.Text("main"))
	}

	// At the door, the coordinator finds Bruno by name and ticks him.
	staff := browsertest.NewPage(t, ta.srv.URL)
	login(staff, ta.emails["coordinator"])
	staff.Visit("/admin/evenements/" + itoa(id))
	staff.Fill("#f-q", "petit").Submit(`form[role=search] button`)
	if n := staff.Count("#inscrits > li"); n != 1 {
		t.Fatalf("searching « petit »: %d lines: %q", n, staff.Text("main"))
	}
	staff.Submit(`#inscrits li form[action$="/presence"] button`)
	if !strings.Contains(staff.Text("#inscrits"), "présent — annuler") || !strings.Contains(staff.Text("#compteurs"), "1 présents") {
		t.Fatalf("after the check-in: %q", staff.Text("main"))
	}
}

// TestTrainingJourney walks a training on a phone: the trainee signs two
// half-days with their personal link, answers the survey, receives and
// downloads the certificate; the trainer countersigns; staff reads the
// indicators.
func TestTrainingJourney(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()
	tid, err := ta.Trainings.CreateTraining(ctx, training.TrainingInput{Title: "Piloter un plan de relance", Hours: 4.5,
		Objectives: "Diagnostiquer le tissu économique\nConstruire le plan d’action", PriceMember: 450, PriceOther: 900}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	// Two half-days that ended within the last two hours: both still open
	// to signing, and the session is over.
	now := time.Now().UTC().Truncate(time.Minute)
	sid, err := ta.Trainings.AddSession(ctx, tid, training.SessionInput{Commune: "69123", Address: "Maison des entreprises", Trainer: "Claire Martin",
		Capacity: 10, HalfDays: []training.Slot{{Start: now.Add(-290 * time.Minute), End: now.Add(-110 * time.Minute)},
			{Start: now.Add(-100 * time.Minute), End: now.Add(-10 * time.Minute)}}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	// The member agency's staff enrol Léa (the session has started: staff
	// enrol her through the service with the clock of the enrolment).
	enrolled, err := training.New(training.Options{DB: db, Now: func() time.Time { return now.Add(-6 * time.Hour) }}).
		Enrol(ctx, sid, training.EnrolInput{Email: "lea@agence-ain.fr", Name: "Léa Dubois"}, access.System)
	if err != nil {
		t.Fatal(err)
	}

	phone := browsertest.NewPage(t, ta.srv.URL)
	if _, err := chromedp.Run(phone.Context(), chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	phone.Visit("/emargement/" + enrolled.Token)
	if w := phone.Eval(`document.documentElement.scrollWidth`).(float64); w > 390 {
		t.Errorf("the trainee's page is %v px wide on a 390 px phone", w)
	}
	for i := range 2 {
		phone.Submit(`#signer button`)
		if !strings.Contains(phone.Text("main"), "C’est signé") {
			t.Fatalf("signature %d: %q", i+1, phone.Text("main"))
		}
	}
	if phone.Has("#signer") || strings.Count(phone.Text("#demi-journees"), "signé le") != 2 {
		t.Fatalf("after two signatures: %q", phone.Text("main"))
	}
	phone.Submit("#avis")
	for _, q := range []string{"content", "trainer", "organisation", "usefulness"} {
		phone.Click(`input[name="` + q + `"][value="5"]`)
	}
	phone.Set("#f-comment", "Très concret.").Submit(`#questionnaire button[type=submit]`)
	if !strings.Contains(phone.Text("main"), "votre avis est enregistré") {
		t.Fatalf("after the survey: %q", phone.Text("main"))
	}
	href := phone.Eval(`document.querySelector("#attestation").href`).(string)
	resp, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := pdftest.Text(t, doc)
	for _, want := range []string{"Attestation de fin de formation", "Léa Dubois", "4,5 h sur 4,5 h", "Construire le plan d’action"} {
		if !strings.Contains(text, want) {
			t.Errorf("the certificate lacks %q: %s", want, text)
		}
	}
	// The closing email carries it too.
	if _, err := ta.Trainings.SendNotices(ctx, access.System); err != nil {
		t.Fatal(err)
	}
	closing := mailTo(t, db, "lea@agence-ain.fr", "training-closing")
	if len(closing.Message.Attachments) != 1 || !strings.Contains(pdftest.Text(t, closing.Message.Attachments[0].Data), "Léa Dubois") {
		t.Fatalf("the closing email lacks the certificate")
	}

	// The trainer countersigns the last half-day on their page.
	sh, err := ta.Trainings.Sheet(ctx, sid, access.System)
	if err != nil {
		t.Fatal(err)
	}
	trainer := browsertest.NewPage(t, ta.srv.URL)
	trainer.Visit("/formateur/" + sh.Session.TrainerToken)
	trainer.Submit(`#demi-journee-` + itoa(sh.Session.HalfDays[1].ID) + ` button`)
	if !strings.Contains(trainer.Text(`#demi-journee-`+itoa(sh.Session.HalfDays[1].ID)), "Contresigné le") {
		t.Fatalf("after countersigning: %q", trainer.Text("main"))
	}

	// Staff read the indicators.
	staff := browsertest.NewPage(t, ta.srv.URL)
	login(staff, ta.emails["coordinator"])
	staff.Visit("/admin/formations/" + itoa(tid))
	row := staff.Text("#indicateurs tbody tr")
	for _, want := range []string{"1", "4,5 h", "100,0\u00a0%"} {
		if !strings.Contains(row, want) {
			t.Errorf("indicators %q lack %q", row, want)
		}
	}
}
