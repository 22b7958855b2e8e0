package demo

import (
	"context"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/network"
	"vivier/internal/store"
)

// checkNetwork checks the network of a filled demo (TestFillMakesTheDemoPool
// calls it, so that the whole demo is filled once per engine): 120 members
// over real territories, last year's and this year's memberships in every
// status, six partners with late counterparts, the demo member account's
// agency current, and engagement figures.
func checkNetwork(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	svc := network.New(network.Options{DB: db, Geo: geo.Default(), Accounts: account.New(account.Options{DB: db})})
	members, err := svc.Directory(ctx, network.DirectoryFilter{}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 120 {
		t.Errorf("%d members, want 120", len(members))
	}
	kinds := map[string]int{}
	for _, m := range members {
		kinds[string(m.Kind)]++
		if len(m.Territory) == 0 {
			t.Errorf("%s has no territory", m.Name)
		}
	}
	if kinds["agence"] != 108 || kinds["epci"] != 12 {
		t.Errorf("members by kind: %v", kinds)
	}
	year := date.Today().Year
	for _, y := range []int{year - 1, year} {
		list, err := svc.Memberships(ctx, network.MembershipFilter{Year: y}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		byStatus := map[network.MembershipStatus]int{}
		for _, m := range list {
			byStatus[m.Status]++
		}
		want := []network.MembershipStatus{network.Paid, network.Lapsed, network.Resigned}
		if y == year {
			want = append(want, network.Invited, network.PendingPayment)
		}
		for _, st := range want {
			if byStatus[st] == 0 {
				t.Errorf("no membership %s in %d: %v", st, y, byStatus)
			}
		}
	}
	u, err := account.ByEmail(ctx, db, demoMemberEmail)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := svc.IsCurrentMember(ctx, u.OrganisationID); err != nil || !ok {
		t.Errorf("the demo member's agency is not current: %v", err)
	}
	partners, err := svc.Partners(ctx, access.System)
	if err != nil || len(partners) != 6 {
		t.Fatalf("%d partners: %v", len(partners), err)
	}
	late, err := svc.LateCounterparts(ctx, access.System)
	if err != nil || len(late) == 0 {
		t.Errorf("late counterparts: %d %v", len(late), err)
	}
	today := date.Today()
	e, err := svc.EngagementTable(ctx, today.AddDays(-364), today, "", access.System)
	if err != nil {
		t.Fatal(err)
	}
	scored, flagged := 0, 0
	for _, r := range e.Rows {
		if r.Score > 0 {
			scored++
		}
		if r.Churn {
			flagged++
		}
	}
	if scored < 20 || flagged == 0 {
		t.Errorf("%d members have an engagement score, %d are flagged", scored, flagged)
	}
}
