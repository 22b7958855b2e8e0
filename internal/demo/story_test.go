package demo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/network"
	"vivier/internal/skill"
	"vivier/internal/store"
)

// checkStory checks that the filled demo tells one story
// (TestFillMakesTheDemoPool calls it): the people of events, trainings,
// newsletters and publications are the network's current members and
// their staff; the demo accounts are who they say; needs' dates agree with
// their history; and a typical need finds several experts.
func checkStory(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	net := network.New(network.Options{DB: db, Geo: geo.Default(), Accounts: account.New(account.Options{DB: db})})
	current, err := net.MemberAgencies(ctx, date.Today())
	if err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ids := func(q string) []int64 {
		t.Helper()
		var out []int64
		if err := store.EachRow(ctx, db, q, func(scan func(...any) error) error {
			var id int64
			err := scan(&id)
			out = append(out, id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}

	// Agencies exist only as members of the network: no agency of its own
	// for events, trainings or the report.
	if n := count(`SELECT count(*) FROM organisations o WHERE o.kind = 'agence' AND NOT EXISTS (SELECT 1 FROM members m WHERE m.organisation_id = o.id)`); n != 0 {
		t.Errorf("%d agencies are not members of the network", n)
	}
	for what, q := range map[string]string{
		"registered to events":     `SELECT DISTINCT organisation_id FROM event_registrations WHERE organisation_id IS NOT NULL`,
		"enrolled in trainings":    `SELECT DISTINCT organisation_id FROM training_enrolments WHERE organisation_id IS NOT NULL`,
		"co-authored publications": `SELECT DISTINCT a.organisation_id FROM publication_authors a JOIN organisations o ON o.id = a.organisation_id WHERE o.kind = 'agence'`,
		"sat in delegations":       `SELECT DISTINCT organisation_id FROM delegation_agencies`,
		"read newsletters (accounts)": `SELECT DISTINCT u.organisation_id FROM subscribers s JOIN users u ON lower(u.email) = s.email WHERE u.role = 'member'
			AND EXISTS (SELECT 1 FROM members m WHERE m.organisation_id = u.organisation_id)`,
	} {
		list := ids(q)
		if len(list) < 5 {
			t.Errorf("only %d agencies %s", len(list), what)
		}
		for _, id := range list {
			// Delegations, publications and readers span past years:
			// members then, perhaps not now.
			if !current[id] && (what == "registered to events" || what == "enrolled in trainings") {
				t.Errorf("organisation %d %s is no current member", id, what)
			}
		}
	}
	// A registrant from an agency is one of its staff, signed in.
	if n := count(`SELECT count(*) FROM event_registrations r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.organisation_id IS NOT NULL AND (u.id IS NULL OR u.organisation_id <> r.organisation_id OR lower(u.email) <> r.email)`); n != 0 {
		t.Errorf("%d registrations of agencies are not by their staff's accounts", n)
	}

	// The demo member belongs to a current member that takes part.
	member, err := account.ByEmail(ctx, db, demoMemberEmail)
	if err != nil {
		t.Fatal(err)
	}
	if !current[member.OrganisationID] {
		t.Error("the demo member's agency is not a current member")
	}
	for what, q := range map[string]string{
		"events":       `SELECT count(*) FROM event_registrations WHERE user_id = $1`,
		"trainings":    `SELECT count(*) FROM training_enrolments e JOIN users u ON lower(u.email) = e.email WHERE u.id = $1`,
		"publications": `SELECT count(*) FROM publication_authors a JOIN users u ON u.organisation_id = a.organisation_id WHERE u.id = $1`,
		"newsletters":  `SELECT count(*) FROM subscribers s JOIN users u ON lower(u.email) = s.email WHERE u.id = $1`,
	} {
		if n := count(q, member.ID); n == 0 {
			t.Errorf("the demo member's agency has no %s", what)
		}
	}

	// The expert account greets the name of its profile.
	u, err := account.ByEmail(ctx, db, "expert@demo.vivier.fr")
	if err != nil {
		t.Fatal(err)
	}
	var first, last string
	if err := db.QueryRowContext(ctx, `SELECT first_name, last_name FROM experts WHERE user_id = $1`, u.ID).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	if u.Name != first+" "+last {
		t.Errorf("the expert account is %q, its profile %s %s", u.Name, first, last)
	}

	// Needs: submitted, then each step of their history after the one
	// before, all in the past.
	type step struct {
		need    int64
		created time.Time
		at      time.Time
	}
	var steps []step
	err = store.EachRow(ctx, db, `SELECT n.id, n.created_at, h.created_at FROM needs n JOIN need_status_history h ON h.need_id = n.id ORDER BY n.id, h.id`,
		func(scan func(...any) error) error {
			var s step
			err := scan(&s.need, &s.created, &s.at)
			steps = append(steps, s)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(time.Minute)
	for i, s := range steps {
		switch {
		case s.at.Before(s.created):
			t.Errorf("need %d: a step on %v before its submission on %v", s.need, s.at, s.created)
		case s.at.After(now) || s.created.After(now):
			t.Errorf("need %d: dates in the future (%v, %v)", s.need, s.created, s.at)
		case i > 0 && steps[i-1].need == s.need && s.at.Before(steps[i-1].at):
			t.Errorf("need %d: its history goes back in time", s.need)
		}
	}
	if len(steps) < DemoNeeds {
		t.Errorf("%d steps of needs' histories", len(steps))
	}
	st, err := mission.New(mission.Options{DB: db, Geo: geo.Default()}).Stats(ctx, date.Today().AddDays(-365), date.Today(), access.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.OpenNeeds {
		if c.Value > 0 && st.MeanAge[c.Key] == 0 {
			t.Errorf("%d open needs %s with a mean age of 0 days", c.Value, c.Label)
		}
	}

	checkTypicalNeeds(t, ctx, db)
}

// checkTypicalNeeds submits what small communes typically ask — territorial
// attractiveness at level 2 or 3, a day a week over a couple of months
// from next month — and checks that several experts pass every hard
// constraint for each.
func checkTypicalNeeds(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	ref := geo.Default()
	engine, err := match.Load(ctx, db, ref, match.Options{History: mission.MatchHistory{Geo: ref}})
	if err != nil {
		t.Fatal(err)
	}
	needs := need.New(need.Options{DB: db, Geo: ref})
	svc := match.NewService(match.ServiceOptions{Engine: engine, DB: db, Geo: ref, Needs: needs})
	// Communes of a few thousand inhabitants, one per region of
	// metropolitan France, in the reference's order.
	seen := map[string]bool{}
	var communes []geo.Commune
	for c := range ref.Communes() {
		if c.IsArrondissement() || c.Population < 2000 || c.Population > 6000 || c.EPCISIREN == "" || seen[c.RegionCode] ||
			c.RegionCode < "11" || c.RegionCode == "94" {
			continue
		}
		seen[c.RegionCode] = true
		communes = append(communes, c)
	}
	if len(communes) < 10 {
		t.Fatalf("%d communes to ask from", len(communes))
	}
	today := date.Today()
	for i, c := range communes {
		start := today.AddDays(30 + 7*(i%4))
		n, err := needs.Create(ctx, need.Input{Title: "Stratégie d’attractivité de " + c.Name, Description: "Définir notre stratégie d’attractivité.",
			Commune: c.Code, Kind: need.Mission, Skills: []need.WantedSkill{{Code: "attractivite.strategie", MinLevel: skill.Level(2 + i%2), Required: true}},
			Start: start, End: start.AddDays(60), DaysPerWeek: 1, Format: []need.Format{need.Hybrid, need.Onsite}[i%2], Languages: []string{"fr"}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		r, err := svc.RankNeed(ctx, n, 10, "test", access.System)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s (%d inhabitants, level %d, %s): %d candidates, excluded %v", c.Name, c.Population, 2+i%2, n.Format, r.Result.Eligible, r.Result.Excluded)
		if r.Result.Eligible < 3 {
			t.Errorf("a typical need of %s (%s) finds %d experts", c.Name, fmt.Sprint(c.Population), r.Result.Eligible)
		}
	}
}
