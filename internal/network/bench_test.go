package network_test

import (
	"context"
	"fmt"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// Benchmarks of the network at the federation's size: 120 members, each
// with a referent. Run them with
//
//	go test ./internal/network -run '^$' -bench . -benchtime 20x
//
// (the renewal builds a fresh network per round: -benchtime 3x is enough).

const benchMembers = 120

// benchNetwork joins benchMembers agencies over the départements, each
// with a referent, with this year's schedule; it returns the service.
func benchNetwork(b *testing.B, db *store.DB) (*network.Service, []network.Member) {
	b.Helper()
	ctx := context.Background()
	accounts := account.New(account.Options{DB: db})
	svc := network.New(network.Options{DB: db, Geo: geo.Default(), Accounts: accounts})
	year := date.Today().Year
	if err := svc.SaveSchedule(ctx, schedule(year), access.System); err != nil {
		b.Fatal(err)
	}
	deps := geo.Default().Departements()
	var out []network.Member
	for i := range benchMembers {
		d := deps[i%len(deps)]
		m, err := svc.Join(ctx, network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: fmt.Sprintf("Agence %03d — %s", i, d.Name),
			SIREN: sirenFrom(fmt.Sprintf("8%07d", 1000+i)), Basis: int64(300_000 + 97_000*i), Territory: []string{"dep:" + d.Code},
			Themes: []string{"attractivite"}, Listed: i%5 != 0, Email: fmt.Sprintf("contact@a%d.test", i), Address: "1 rue de la République"},
			Referent: network.Invitation{Name: fmt.Sprintf("Référent %d", i), Email: fmt.Sprintf("ref%d@a%d.test", i, i)}}, access.System)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, m)
	}
	return svc, out
}

func BenchmarkFee(b *testing.B) {
	s := schedule(2027)
	joined := date.MustParse("2027-07-14")
	for b.Loop() {
		if _, err := s.Compute(network.Budget, 4_500_500, joined); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNetwork(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			db := storetest.Open(b, engine)
			svc, members := benchNetwork(b, db)
			ctx := context.Background()
			year := date.Today().Year
			if _, err := svc.Renew(ctx, year, access.System); err != nil {
				b.Fatal(err)
			}
			for i, m := range members {
				if i%3 == 0 {
					continue
				}
				list, err := svc.Memberships(ctx, network.MembershipFilter{Year: year, OrgID: m.ID}, access.System)
				if err != nil {
					b.Fatal(err)
				}
				if err := svc.Pay(ctx, list[0].ID, network.Payment{PaidOn: date.Today(), Mode: network.Transfer}, access.System); err != nil {
					b.Fatal(err)
				}
			}
			visitor := access.Visitor("192.0.2.1")
			b.Run("public-directory", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.PublicDirectory(ctx, network.DirectoryFilter{}, visitor); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("directory-departement", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Directory(ctx, network.DirectoryFilter{Departement: "69"}, access.System); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("memberships-of-the-year", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Memberships(ctx, network.MembershipFilter{Year: year}, access.System); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("engagement-table", func(b *testing.B) {
				today := date.Today()
				for b.Loop() {
					if _, err := svc.EngagementTable(ctx, today.AddDays(-364), today, "score", access.System); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("call-pdf", func(b *testing.B) {
				list, err := svc.Memberships(ctx, network.MembershipFilter{Year: year, OrgID: members[0].ID}, access.System)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, _, err := svc.CallPDF(ctx, list[0].ID, access.System); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("is-current-member", func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.IsCurrentMember(ctx, members[1].ID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkRenewal measures the renewal campaign of 120 members that paid
// last year: their memberships created, called (invoice, 120 emails).
func BenchmarkRenewal(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			year := date.Today().Year
			for b.Loop() {
				b.StopTimer()
				db := storetest.Open(b, engine)
				svc, members := benchNetwork(b, db)
				for _, m := range members {
					list, err := svc.Memberships(ctx, network.MembershipFilter{Year: year, OrgID: m.ID}, access.System)
					if err != nil {
						b.Fatal(err)
					}
					if err := svc.Pay(ctx, list[0].ID, network.Payment{PaidOn: date.Today(), Mode: network.Transfer}, access.System); err != nil {
						b.Fatal(err)
					}
				}
				if err := svc.SaveSchedule(ctx, schedule(year+1), access.System); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rep, err := svc.Renew(ctx, year+1, access.System)
				if err != nil || rep.Created != benchMembers || rep.Called != benchMembers {
					b.Fatalf("renewal: %+v %v", rep, err)
				}
			}
		})
	}
}
