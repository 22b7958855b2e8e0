package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/geo"
	nw "vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/report"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/training"
)

// TestNetworkSourcesOnAKnownDataSet feeds the report with the real
// services of the network (memberships and partners), events and trainings
// over a small data set, and checks each of their figures, written by
// hand, on both engines.
func TestNetworkSourcesOnAKnownDataSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		y := date.Today().Year
		c := &clock{at: time.Date(y, time.January, 15, 9, 0, 0, 0, date.Paris())}
		ref := geo.Default()
		svc := nw.New(nw.Options{DB: db, Geo: ref, Accounts: account.New(account.Options{DB: db}), Now: c.now})
		ev := event.New(event.Options{DB: db, Geo: ref, Now: c.now})
		tr := training.New(training.Options{DB: db, Geo: ref, Now: c.now})
		reports := report.New(report.Options{DB: db, Now: c.now, Network: report.FromNetwork(svc), Partners: report.FromPartners(svc),
			Events: report.FromEvents(ev), Trainings: report.FromTrainings(tr)})

		// Members: three agencies join this year, two pay; the third is
		// only invited and is no member yet.
		fixed := int64(1_500)
		if err := svc.SaveSchedule(ctx, nw.Schedule{Year: y, Bands: []nw.Band{{Basis: nw.Budget, From: 0, Fixed: &fixed},
			{Basis: nw.Population, From: 0, RatePPM: 50_000}}}, access.System); err != nil {
			t.Fatal(err)
		}
		paid := map[int64]bool{}
		for i := range 3 {
			m, err := svc.Join(ctx, nw.JoinInput{Kind: organisation.Agence, MemberInput: nw.MemberInput{Name: fmt.Sprintf("Agence %d", i+1),
				Basis: 500_000, Territory: []string{"dep:42"}}}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			if i == 2 {
				continue
			}
			ms, err := svc.Memberships(ctx, nw.MembershipFilter{OrgID: m.ID}, access.System)
			if err != nil || len(ms) != 1 {
				t.Fatal(ms, err)
			}
			if err := svc.Pay(ctx, ms[0].ID, nw.Payment{PaidOn: day(y, "01-15"), Mode: nw.Transfer}, access.System); err != nil {
				t.Fatal(err)
			}
			paid[m.ID] = true
		}
		// The delegation helper's members are the same two agencies.
		if members, err := svc.MemberAgencies(ctx, day(y, "06-01")); err != nil || fmt.Sprint(members) != fmt.Sprint(paid) {
			t.Errorf("member agencies %v (%v), want %v", members, err, paid)
		}
		if members, err := svc.MemberAgencies(ctx, day(y-1, "06-01")); err != nil || len(members) != 0 {
			t.Errorf("member agencies last year %v (%v), want none", members, err)
		}

		// Partners: last year 30 000 € with one counterpart delivered; this
		// year 40 000 € with three, one delivered, one dropped.
		p, err := svc.CreatePartner(ctx, nw.PartnerInput{Name: "Réseau électrique", Sector: "énergie"}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []struct {
			year     int
			amount   int64
			statuses []nw.CounterpartStatus
		}{{y - 1, 30_000, []nw.CounterpartStatus{nw.Delivered}},
			{y, 40_000, []nw.CounterpartStatus{nw.Delivered, nw.Dropped, nw.Planned}}} {
			id, err := svc.AddAgreement(ctx, p, nw.AgreementInput{Year: a.year, Amount: a.amount,
				StartsOn: date.Date{Year: a.year, Month: 1, Day: 1}, EndsOn: date.Date{Year: a.year, Month: 12, Day: 31}}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range a.statuses {
				cp, err := svc.AddCounterpart(ctx, id, nw.CounterpartInput{Kind: nw.KindOther, Title: fmt.Sprintf("Contrepartie %d", i+1),
					DueOn: date.Date{Year: a.year, Month: 11, Day: 1}}, access.System)
				if err != nil {
					t.Fatal(err)
				}
				if st != nw.Planned {
					if err := svc.UpdateCounterpart(ctx, cp, nw.CounterpartUpdate{Status: st, Note: "décidé avec le partenaire",
						Link: nw.Link{Kind: nw.KindOther, Label: "le webinaire"}, DeliveredOn: date.Date{Year: a.year, Month: 1, Day: 10}}, access.System); err != nil {
						t.Fatal(err)
					}
				}
			}
		}

		// Events: two webinars this year (three registered to the first,
		// two of them present; nobody at the second), one last year with
		// one present.
		for _, e := range []struct {
			start    time.Time
			register int
			present  int
		}{{time.Date(y, time.May, 10, 10, 0, 0, 0, date.Paris()), 3, 2}, {time.Date(y, time.June, 20, 10, 0, 0, 0, date.Paris()), 0, 0},
			{time.Date(y-1, time.September, 10, 10, 0, 0, 0, date.Paris()), 1, 1}} {
			c.at = e.start.AddDate(0, -1, 0)
			id, err := ev.Create(ctx, event.Input{Title: "Webinaire du " + e.start.Format("2006-01-02"), Kind: event.Webinar, Description: "Un webinaire.",
				StartsAt: e.start, EndsAt: e.start.Add(time.Hour), OnlineURL: "https://visio.exemple.fr/salle", Capacity: 10}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			for i := range e.register {
				r, err := ev.Register(ctx, id, event.RegistrationInput{Email: fmt.Sprintf("p%d@exemple.fr", i), Name: fmt.Sprintf("Personne %d", i)}, access.System)
				if err != nil {
					t.Fatal(err)
				}
				if i < e.present {
					if err := ev.CheckIn(ctx, r.ID, true, access.System); err != nil {
						t.Fatal(err)
					}
				}
			}
		}

		// Trainings: a MOOC with one session of 40 enrolled this year and
		// one of 30 last year.
		c.at = time.Date(y, time.November, 1, 9, 0, 0, 0, date.Paris())
		mooc, err := tr.CreateTraining(ctx, training.TrainingInput{Title: "Attractivité en ligne", Kind: training.MOOC, Hours: 12, Programme: "Six modules."}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.SetMoocCounts(ctx, mooc, []training.MoocCount{{Label: "Session de printemps", StartsOn: day(y, "03-01"), Enrolled: 40, Completed: 25},
			{Label: "Session d’automne", StartsOn: day(y-1, "10-01"), Enrolled: 30, Completed: 20}}, access.System); err != nil {
			t.Fatal(err)
		}

		r, err := reports.Live(ctx, y, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			key           string
			value, before float64
			change        string
		}{
			{"network.members", 2, 0, "nouveau"},
			{"network.memberships_paid", 2, 0, "nouveau"},
			{"partners.agreements", 1, 1, "stable"},
			{"partners.agreements_eur", 40_000, 30_000, "+33,3\u00a0%"},
			{"partners.counterparts_due", 2, 1, "+100,0\u00a0%"},
			{"partners.counterparts_delivered", 1, 1, "stable"},
			{"network.events", 2, 1, "+100,0\u00a0%"},
			{"network.event_participants", 2, 1, "+100,0\u00a0%"},
			{"network.trainings", 1, 1, "stable"},
			{"network.trainings_trainees", 40, 30, "+33,3\u00a0%"},
			{"network.training_hours", 0, 0, "—"},
		} {
			f, ok := r.Figure(tt.key)
			if !ok || !f.Tracked {
				t.Errorf("%s: not in the report or « non suivi »", tt.key)
				continue
			}
			if f.Value != tt.value || f.Previous != tt.before || f.ChangeText() != tt.change {
				t.Errorf("%s = %v (last year %v, change %q), want %v (%v, %q)", tt.key, f.Value, f.Previous, f.ChangeText(), tt.value, tt.before, tt.change)
			}
		}
		if f, _ := r.Figure("network.training_satisfaction"); f.HasValue || f.ValueText() != "—" {
			t.Errorf("satisfaction without any survey: %+v", f)
		}
		if f, _ := r.Figure("network.event_participants"); f.Total != 1 || f.Public {
			t.Errorf("the participants' records: %d, public %v; want the one event with people present, not public", f.Total, f.Public)
		}
	})
}
