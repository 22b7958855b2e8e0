package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/training"
)

// TestEventsOverHTTP checks the API's rules of events (public registration,
// a repeated email, bad input, member-only events hidden from others,
// cancellation by token) and that every page of events and trainings
// renders, on both engines.
func TestEventsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		staff := ta.apiToken(t, "coordinator", account.ScopeWrite)
		member := ta.apiToken(t, "member", account.ScopeWrite)
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
		at := func(d time.Duration) string { return start.Add(d).Format(time.RFC3339) }
		closed, err := ta.Events.Create(ctx, event.Input{Title: "Réunion des directeurs", Kind: event.Meeting, StartsAt: start, EndsAt: start.Add(time.Hour),
			Commune: "75056", Capacity: 10, Audience: event.MembersOnly}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		runScenarios(t, ta, []scenario{
			{name: "staff create an event", method: "POST", path: "/api/v1/events", token: staff,
				body:   `{"title":"Webinaire foncier","starts_at":"` + at(0) + `","ends_at":"` + at(time.Hour) + `","capacity":1,"online_url":"https://visio.example.org/f"}`,
				status: 201, want: []string{`"id":2`}},
			{name: "every invalid field named", method: "POST", path: "/api/v1/events", token: staff,
				body: `{"title":"","starts_at":"` + at(time.Hour) + `","ends_at":"` + at(0) + `","capacity":0}`, status: 422, want: []string{errorField("title")}},
			{name: "a member may not create", method: "POST", path: "/api/v1/events", token: member,
				body: `{"title":"X","starts_at":"` + at(0) + `","ends_at":"` + at(time.Hour) + `","capacity":3,"commune":"69123"}`, status: 403},
			{name: "anyone registers", method: "POST", path: "/api/v1/events/2/registrations", as: anonymous,
				body: `{"email":"ana@exemple.fr","name":"Ana","organisation":"Agence"}`, status: 201, want: []string{`"status":"confirmed"`, `"position":null`}},
			{name: "the next one waits", method: "POST", path: "/api/v1/events/2/registrations", as: anonymous,
				body: `{"email":"bob@exemple.fr","name":"Bob"}`, status: 201, want: []string{`"status":"waitlisted"`, `"position":1`}},
			{name: "the same email twice", method: "POST", path: "/api/v1/events/2/registrations", as: anonymous,
				body: `{"email":"ANA@exemple.fr","name":"Ana"}`, status: 409, want: []string{errorCode("conflict"), "déjà inscrite"}},
			{name: "a bad email", method: "POST", path: "/api/v1/events/2/registrations", as: anonymous,
				body: `{"email":"ana","name":"Ana"}`, status: 422, want: []string{errorField("email")}},
			{name: "NUL bytes refused", method: "POST", path: "/api/v1/events/2/registrations", as: anonymous,
				body: `{"email":"nul@exemple.fr","name":"A\u0000B"}`, status: 422, want: []string{errorField("name")}},
			{name: "an unknown field", method: "POST", path: "/api/v1/events/2/registrations", as: anonymous, breaks: true,
				body: `{"email":"x@exemple.fr","name":"X","phone":"0600"}`, status: 422},
			{name: "a member-only event is not there for visitors", method: "POST", path: fmt.Sprintf("/api/v1/events/%d/registrations", closed), as: anonymous,
				body: `{"email":"x@exemple.fr","name":"X"}`, status: 404},
			{name: "nor for a member without a current membership", method: "POST", path: fmt.Sprintf("/api/v1/events/%d/registrations", closed), token: member,
				body: `{"email":"x@exemple.fr","name":"X"}`, status: 404},
			{name: "the public list hides it", path: "/api/v1/events", as: anonymous, status: 200, want: []string{"Webinaire foncier"}, notWant: []string{"Réunion des directeurs"}},
			{name: "staff see it", path: "/api/v1/events", token: staff, status: 200, want: []string{"Réunion des directeurs"}},
			{name: "staff read the registrations", path: "/api/v1/events/2/registrations", token: staff, status: 200, check: lists("registrations", 2)},
			{name: "a member may not", path: "/api/v1/events/2/registrations", token: member, status: 403},
			{name: "a wrong token cancels nothing", method: "POST", path: "/api/v1/registrations/1/cancel", as: anonymous, body: `{"token":"faux"}`, status: 404},
			{name: "nor no token, for a visitor", method: "POST", path: "/api/v1/registrations/1/cancel", as: anonymous, status: 404},
			{name: "the catalogue of trainings", path: "/api/v1/trainings", as: anonymous, status: 200, check: lists("trainings", 0)},
			{name: "indicators of no training", path: "/api/v1/trainings/9/indicators", token: staff, status: 404},
		})
		regs, err := ta.Events.Registrations(ctx, 2, access.System)
		if err != nil {
			t.Fatal(err)
		}
		runScenarios(t, ta, []scenario{
			{name: "the registrant cancels with their token", method: "POST", path: "/api/v1/registrations/1/cancel", as: anonymous,
				body: `{"token":"` + regs[0].Token + `"}`, status: 200},
			{name: "again does nothing", method: "POST", path: "/api/v1/registrations/1/cancel", as: anonymous,
				body: `{"token":"` + regs[0].Token + `"}`, status: 200},
			{name: "the waiting one is promoted", path: "/api/v1/events/2/registrations", token: staff, status: 200, want: []string{`"id":2,"status":"confirmed"`}},
		})
		pagesRender(t, ta)
	})
}

// pagesRender fills a training with a past session and checks that every
// page of events and trainings renders for its audience.
func pagesRender(t *testing.T, ta *testApp) {
	t.Helper()
	ctx := context.Background()
	past := time.Now().AddDate(0, 0, -3)
	old := training.New(training.Options{DB: ta.DB, Now: func() time.Time { return past.AddDate(0, 0, -10) }})
	tid, err := old.CreateTraining(ctx, training.TrainingInput{Title: "Animer un réseau d’entreprises", Hours: 7, Objectives: "Animer\nMesurer"}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := old.AddSession(ctx, tid, training.SessionInput{Commune: "69123", Trainer: "Hervé Roussel", Capacity: 5,
		HalfDays: training.HalfDaysOf([]date.Date{date.Of(past)})}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	en, err := old.Enrol(ctx, sid, training.EnrolInput{Email: "lea@exemple.fr", Name: "Léa Dubois"}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := old.Session(ctx, sid, access.System)
	mooc, err := ta.Trainings.CreateTraining(ctx, training.TrainingInput{Title: "MOOC Attractivité", Kind: training.MOOC, Hours: 12}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	id := func(n int64) string { return itoa(n) }
	anon := anonCSRF(t, ta.srv.URL)
	csrf := map[string]string{"X-CSRF-Token": anon, "Cookie": "vivier_csrf=" + anon}
	runScenarios(t, ta, []scenario{
		{name: "events list", path: "/evenements", as: anonymous, status: 200, want: []string{"Webinaire foncier"}, notWant: []string{"Réunion des directeurs"}},
		{name: "event page", path: "/evenements/2", as: anonymous, status: 200, want: []string{"Webinaire foncier"}},
		{name: "member-only page hidden", path: "/evenements/1", as: "member", status: 404},
		{name: "staff events", path: "/admin/evenements", as: "coordinator", status: 200, want: []string{"Réunion des directeurs"}},
		{name: "staff event", path: "/admin/evenements/2?q=bob", as: "coordinator", status: 200, want: []string{"Bob"}},
		{name: "figures", path: "/admin/evenements/chiffres", as: "coordinator", status: 200, want: []string{"Par agence adhérente", "<svg"}},
		{name: "figures CSV", path: "/admin/evenements/chiffres.csv", as: "coordinator", status: 200, want: []string{"id,titre,type"}},
		{name: "bad period", path: "/admin/evenements/chiffres?du=hier", as: "coordinator", status: 422, want: []string{"date illisible"}},
		{name: "catalogue", path: "/formations", as: anonymous, status: 200, want: []string{"Animer un réseau"}},
		{name: "training", path: "/formations/" + id(tid), as: "member", status: 200, want: []string{"Session le"}},
		{name: "staff trainings", path: "/admin/formations", as: "coordinator", status: 200},
		{name: "staff training", path: "/admin/formations/" + id(tid), as: "coordinator", status: 200, want: []string{"Indicateurs qualité"}},
		{name: "MOOC", path: "/admin/formations/" + id(mooc), as: "coordinator", status: 200, want: []string{"Sessions du MOOC"}},
		{name: "session", path: "/admin/sessions/" + id(sid), as: "coordinator", status: 200, want: []string{"Léa Dubois"}},
		{name: "sign-in sheet", path: "/admin/sessions/" + id(sid) + "/emargement.pdf", as: "coordinator", status: 200, want: []string{"%PDF"}},
		{name: "certificate", path: "/admin/stagiaires/" + id(en.ID) + "/attestation.pdf", as: "coordinator", status: 200, want: []string{"%PDF"}},
		{name: "trainee", path: "/emargement/" + en.Token, as: anonymous, status: 200, want: []string{"Rien à signer"}},
		{name: "trainee late", method: "POST", path: "/emargement/" + en.Token, as: anonymous, contentType: "application/x-www-form-urlencoded", header: csrf, status: 409, want: []string{"la session est terminée"}},
		{name: "room", path: "/salle/" + sess.HalfDays[0].RoomToken, as: anonymous, status: 200, want: []string{"code à six chiffres"}},
		{name: "room with a wrong code", method: "POST", path: "/salle/" + sess.HalfDays[0].RoomToken, as: anonymous, contentType: "application/x-www-form-urlencoded",
			body: "email=lea%40exemple.fr&code=123", header: csrf, status: 422, want: []string{"code inconnu"}},
		{name: "trainer", path: "/formateur/" + sess.TrainerToken, as: anonymous, status: 200, want: []string{"Contresigner"}},
		{name: "unknown trainer", path: "/formateur/jeton", as: anonymous, status: 404},
		{name: "a member enrols a colleague", method: "POST", path: "/formations/sessions/" + id(sid) + "/inscription", as: "member",
			contentType: "application/x-www-form-urlencoded", body: "name=Paul&email=paul%40exemple.fr", status: 409, want: []string{"la session a commencé"}},
		{name: "an expert may not enrol", method: "POST", path: "/formations/sessions/" + id(sid) + "/inscription", as: "expert",
			contentType: "application/x-www-form-urlencoded", body: "name=Paul&email=paul%40exemple.fr", status: 403},
	})
}
