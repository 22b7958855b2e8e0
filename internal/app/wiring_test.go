package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/geo"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/representation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/training"
)

// networkAt is the network service of ta's database with its clock on
// day: the tests set up memberships of past years with it.
func networkAt(ta *testApp, day date.Date) *network.Service {
	at := time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, date.Paris())
	return network.New(network.Options{DB: ta.DB, Geo: geo.Default(), Accounts: ta.Accounts, BaseURL: "https://vivier.test",
		Now: func() time.Time { return at }})
}

// lapsedMember makes an agency that paid its membership of a past year,
// was called for the next one and never paid it: its membership lapsed
// after the grace period, which is over today. Its referent's account is
// email.
func lapsedMember(t *testing.T, ta *testApp, name, siren, email string) network.Member {
	t.Helper()
	ctx := context.Background()
	today := date.Today()
	year := today.Year - 1 // paid last year, lapsed this year…
	if !today.After(network.DefaultSettings.GraceEnd(today.Year)) {
		year-- // …or, while this year's grace period runs, the year before
	}
	paid := networkAt(ta, date.Date{Year: year, Month: time.June, Day: 1})
	if err := paid.SaveSchedule(ctx, networkSchedule(year), access.System); err != nil {
		t.Fatal(err)
	}
	m, err := paid.Join(ctx, network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: name, SIREN: siren, Basis: 1_250_000,
		Email: "contact@" + siren + ".test", Phone: "04 72 00 00 00", Territory: []string{"dep:38"}, Themes: []string{"filieres"}, Listed: true}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	u, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: email, Name: "Référent " + name, Role: access.Member, OrganisationID: m.ID}, testPassword, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := paid.SetReferent(ctx, m.ID, u.ID, true, access.System); err != nil {
		t.Fatal(err)
	}
	list, err := paid.Memberships(ctx, network.MembershipFilter{OrgID: m.ID}, access.System)
	if err != nil || len(list) != 1 {
		t.Fatalf("membership of %s: %v %v", name, list, err)
	}
	if err := paid.Pay(ctx, list[0].ID, network.Payment{PaidOn: date.Date{Year: year, Month: time.June, Day: 1}, Mode: network.Transfer}, access.System); err != nil {
		t.Fatal(err)
	}
	renewal := networkAt(ta, date.Date{Year: year + 1, Month: time.January, Day: 15})
	if err := renewal.SaveSchedule(ctx, networkSchedule(year+1), access.System); err != nil {
		t.Fatal(err)
	}
	if rep, err := renewal.Renew(ctx, year+1, access.System); err != nil || rep.Created != 1 {
		t.Fatalf("renewal %d: %+v %v", year+1, rep, err)
	}
	if n, err := networkAt(ta, date.Date{Year: year + 1, Month: time.April, Day: 2}).LapseOverdue(ctx, access.System); err != nil || n != 1 {
		t.Fatalf("lapse of %d: %d %v", year+1, n, err)
	}
	return m
}

// TestMembersOnlyFollowsTheMembership checks that « members only » means
// the staff of a current member: the staff of an agency whose membership
// lapsed after its grace period no longer see nor register to a member-only
// event, those of a member that paid do; and they enrol in a training at
// the member price, the lapsed member's at the other price.
func TestMembersOnlyFollowsTheMembership(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		if err := ta.Network.SaveSchedule(ctx, networkSchedule(date.Today().Year), access.System); err != nil {
			t.Fatal(err)
		}
		current, _ := networkMember(t, ta, "Agence Alpha", luhnSIREN("61111111"), "alpha@agence.test", true)
		lapsed := lapsedMember(t, ta, "Agence Lima", luhnSIREN("64444444"), "lima@agence.test")
		for org, want := range map[int64]bool{current.ID: true, lapsed.ID: false} {
			if got, err := ta.Network.IsCurrentMember(ctx, org); err != nil || got != want {
				t.Fatalf("IsCurrentMember(%d) = %v %v, want %v", org, got, err, want)
			}
		}
		start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
		id, err := ta.Events.Create(ctx, event.Input{Title: "Club des directeurs", Kind: event.Meeting, StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Commune: "69123", Capacity: 20, Audience: event.MembersOnly}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/events/%d/registrations", id)
		runScenarios(t, ta, []scenario{
			{name: "the lapsed member's staff do not see the event", path: "/api/v1/events", as: "lima@agence.test", status: http.StatusOK,
				notWant: []string{"Club des directeurs"}},
			{name: "nor register to it", method: "POST", path: path, as: "lima@agence.test",
				body: `{"email":"lima@agence.test","name":"Léa Lima"}`, status: http.StatusNotFound},
			{name: "the current member's staff see it", path: "/api/v1/events", as: "alpha@agence.test", status: http.StatusOK,
				want: []string{"Club des directeurs"}},
			{name: "and register", method: "POST", path: path, as: "alpha@agence.test",
				body: `{"email":"alpha@agence.test","name":"Anne Alpha"}`, status: http.StatusCreated, want: []string{`"status":"confirmed"`}},
		})
		resp, body := ta.get(t, "", fmt.Sprintf("/evenements/%d", id))
		if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "Club des directeurs") {
			t.Errorf("a visitor reads the member-only event: %d", resp.StatusCode)
		}

		// A training: the current member's staff enrol at the member price,
		// the lapsed member's at the other price.
		tid, err := ta.Trainings.CreateTraining(ctx, training.TrainingInput{Title: "Piloter un plan de relance", Kind: training.Course, Hours: 7,
			PriceMember: 450, PriceOther: 900, Programme: "Le diagnostic, le plan d’action.", Objectives: "Construire un plan d’action"}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		day := date.Today().AddDays(20)
		sid, err := ta.Trainings.AddSession(ctx, tid, training.SessionInput{Commune: "69123", Address: "Maison des entreprises", Trainer: "Claire Martin",
			Capacity: 10, HalfDays: training.HalfDaysOf([]date.Date{day})}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for org, want := range map[int64]bool{current.ID: true, lapsed.ID: false} {
			en, err := ta.Trainings.Enrol(ctx, sid, training.EnrolInput{Name: "Stagiaire", Email: fmt.Sprintf("stagiaire-%d@agence.test", org), OrganisationID: org}, access.System)
			if err != nil || en.Member != want {
				t.Errorf("enrolment of organisation %d: member price %v (%v), want %v", org, en.Member, err, want)
			}
		}
	})
}

// TestAttendedEventRaisesEngagement checks that the network's engagement
// counts what the member's staff did elsewhere: an event attended raises
// its « événements suivis » and its score, on the API and on its page, and
// the activities every package counts read 0 rather than « non suivi ».
func TestAttendedEventRaisesEngagement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		if err := ta.Network.SaveSchedule(ctx, networkSchedule(date.Today().Year), access.System); err != nil {
			t.Fatal(err)
		}
		m, _ := networkMember(t, ta, "Agence Alpha", luhnSIREN("61111111"), "alpha@agence.test", true)
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
		id, err := ta.Events.Create(ctx, event.Input{Title: "Webinaire foncier", Kind: event.Webinar, StartsAt: start, EndsAt: start.Add(time.Hour),
			OnlineURL: "https://visio.example.org/f", Capacity: 50, Audience: event.Public}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		day := date.Of(start.In(date.Paris()))
		query := fmt.Sprintf("from=%s&to=%s", date.Today(), day.AddDays(1))
		engagement := fmt.Sprintf("/api/v1/members/%d/engagement?%s", m.ID, query)
		staff := ta.apiToken(t, "coordinator", account.ScopeRead)
		runScenarios(t, ta, []scenario{
			{name: "before the event, nothing attended but every source tracked", path: engagement, token: staff, status: http.StatusOK,
				want: []string{`"key":"events_attended","label":"événements suivis","weight":3,"tracked":true,"count":0`,
					`"key":"trainings_attended","label":"formations suivies","weight":3,"tracked":true,"count":0`,
					`"key":"newsletter_human_opens","label":"ouvertures de la lettre d’information","weight":1,"tracked":true,"count":0`,
					`"key":"hearings_joined","label":"auditions rejointes","weight":4,"tracked":true,"count":0`, `"score":0`}},
			{name: "the member's referent registers", method: "POST", path: fmt.Sprintf("/api/v1/events/%d/registrations", id), as: "alpha@agence.test",
				body: `{"email":"alpha@agence.test","name":"Anne Alpha"}`, status: http.StatusCreated},
		})
		regs, err := ta.Events.Registrations(ctx, id, access.System)
		if err != nil || len(regs) != 1 {
			t.Fatalf("registrations: %v %v", regs, err)
		}
		if err := ta.Events.CheckIn(ctx, regs[0].ID, true, access.System); err != nil {
			t.Fatal(err)
		}
		runScenarios(t, ta, []scenario{
			{name: "the attended event counts", path: engagement, token: staff, status: http.StatusOK,
				want: []string{`"key":"events_attended","label":"événements suivis","weight":3,"tracked":true,"count":1`, `"score":3`}},
			{name: "the member's staff read it too", path: engagement, as: "alpha@agence.test", status: http.StatusOK, want: []string{`"score":3`}},
		})
		resp, body := ta.get(t, "coordinator", fmt.Sprintf("/reseau/engagement/%d?du=%s&au=%s", m.ID, date.Today(), day.AddDays(1)))
		row := around(body, `id="activity-events_attended"`)
		if resp.StatusCode != http.StatusOK || !strings.Contains(row, `<td class="num">1</td>`) || !strings.Contains(around(body, `id="score"`), ">3<") {
			t.Errorf("engagement page: %d, events row %q", resp.StatusCode, row)
		}
		if strings.Contains(body, "non suivi pour l’instant") {
			t.Errorf("an activity reads « non suivi » although its package counts it")
		}
	})
}

// TestDelegationHelperProposesMembersOnly checks that the delegation
// helper proposes the agencies whose membership covers the hearing's day,
// not the others.
func TestDelegationHelperProposesMembersOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		if err := ta.Network.SaveSchedule(ctx, networkSchedule(date.Today().Year), access.System); err != nil {
			t.Fatal(err)
		}
		paid, _ := networkMember(t, ta, "Agence Alpha", luhnSIREN("61111111"), "alpha@agence.test", true)
		unpaid, _ := networkMember(t, ta, "Agence Bravo", luhnSIREN("62222222"), "bravo@agence.test", false)
		p, err := ta.Representation.Propose(ctx, representation.Request{Size: 3, On: date.Today()}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range p.Picks {
			names = append(names, c.Name)
		}
		for _, c := range p.Others {
			names = append(names, c.Name)
		}
		if p.Candidates != 1 || len(names) != 1 || names[0] != paid.Name {
			t.Errorf("candidates %d %v, want only %s (not %s, nor the test app's agency)", p.Candidates, names, paid.Name, unpaid.Name)
		}
	})
}
