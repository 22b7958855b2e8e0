package audience_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func newService(db *store.DB) *audience.Service {
	return audience.New(audience.Options{DB: db, Now: func() time.Time { return time.Date(2027, 2, 1, 10, 0, 0, 0, time.UTC) }})
}

// TestGrowthFromTheNearestCounts: the counts on the period's days, or the
// nearest ones, give the growth; the dates used are the counts'.
func TestGrowthFromTheNearestCounts(t *testing.T) {
	a := audience.Account{Slug: "linkedin", Metric: audience.Followers}
	counts := []audience.Count{
		{Day: date.MustParse("2026-01-01"), Value: 1000},
		{Day: date.MustParse("2026-06-30"), Value: 1500},
		{Day: date.MustParse("2026-12-31"), Value: 1750},
	}
	for _, tt := range []struct {
		name       string
		from, to   string
		start, end string
		rate       float64
		known      bool
	}{
		{"counts on the days", "2026-01-01", "2026-12-31", "2026-01-01", "2026-12-31", 0.75, true},
		{"nearest counts around the days", "2026-01-10", "2026-12-20", "2026-01-01", "2026-12-31", 0.75, true},
		{"counts between the days", "2026-03-01", "2026-09-01", "2026-01-01", "2026-06-30", 0.5, true},
		{"a tie: the earlier at the start, the later at the end", "2026-04-01", "2026-09-30", "2026-01-01", "2026-12-31", 0.75, true},
		{"one count near a short period", "2026-06-29", "2026-07-01", "2026-06-30", "2026-06-30", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := audience.GrowthOf(a, counts, date.MustParse(tt.from), date.MustParse(tt.to))
			if g.Known != tt.known || g.Start.Day.String() != tt.start || g.End.Day.String() != tt.end || g.Rate != tt.rate {
				t.Errorf("growth %v %s→%s %.4f (%s), want %v %s→%s %.4f", g.Known, g.Start.Day, g.End.Day, g.Rate, g.Why, tt.known, tt.start, tt.end, tt.rate)
			}
		})
	}
	// 2026-04-01 is 90 days after the first count and 90 before the second:
	// the tie above is real.
	if d := date.MustParse("2026-01-01").DaysUntil(date.MustParse("2026-04-01")); d != date.MustParse("2026-04-01").DaysUntil(date.MustParse("2026-06-30")) {
		t.Fatalf("the tie case is not a tie (%d days)", d)
	}
	if g := audience.GrowthOf(a, nil, date.MustParse("2026-01-01"), date.MustParse("2026-12-31")); g.Known || g.Start != nil {
		t.Errorf("no count: %+v", g)
	}
}

func TestAccountsCountsAndImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db)
		li, err := s.CreateAccount(ctx, audience.AccountInput{Slug: "LinkedIn", Name: "Page LinkedIn", Kind: audience.ProfessionalNetwork, Metric: audience.Followers,
			URL: "https://www.linkedin.com/company/exemple"}, access.System)
		if err != nil || li.Slug != "linkedin" {
			t.Fatalf("account %+v %v", li, err)
		}
		if _, err := s.CreateAccount(ctx, audience.AccountInput{Slug: "linkedin", Name: "Autre", Kind: audience.Forum, Metric: audience.Followers}, access.System); !has(err, "slug") {
			t.Errorf("a second linkedin: %v", err)
		}
		if _, err := s.CreateAccount(ctx, audience.AccountInput{Slug: "forum", Name: "Page du forum", Kind: audience.Forum, Metric: audience.Followers}, access.System); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCount(ctx, li.ID, audience.Count{Day: date.MustParse("2026-01-01"), Value: 4000}, access.System); err != nil {
			t.Fatal(err)
		}
		audits := count(t, db, "audit_log")
		if err := s.SetCount(ctx, li.ID, audience.Count{Day: date.MustParse("2026-01-01"), Value: 4000}, access.System); err != nil || count(t, db, "audit_log") != audits {
			t.Errorf("the same count again: %v, audited %v", err, count(t, db, "audit_log") != audits)
		}
		if err := s.SetCount(ctx, li.ID, audience.Count{Day: date.MustParse("2030-01-01"), Value: -3}, access.System); !has(err, "day") || !has(err, "value") {
			t.Errorf("a future, negative count: %v", err)
		}
		bad := "compte;date;valeur\nlinkedin;2026-12-31;7 000\ntwitter;2026-12-31;12\nforum;31/02/2026;abc\n"
		_, err = s.Import(ctx, strings.NewReader(bad), access.System)
		var ie *audience.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("want an import error, got %v", err)
		}
		msg := ie.Error()
		for _, want := range []string{"ligne 3, colonne compte", "ligne 4, colonne date", "ligne 4, colonne valeur"} {
			if !strings.Contains(msg, want) {
				t.Errorf("errors lack %q: %s", want, msg)
			}
		}
		if c, _ := s.Counts(ctx, li.ID, access.System); len(c) != 1 {
			t.Fatalf("a refused file wrote counts: %v", c)
		}
		good := "compte;date;valeur\nlinkedin;2026-12-31;7 000\nforum;2026-01-01;200\nforum;31/12/2026;500\nlinkedin;2026-01-01;4000\n"
		rep, err := s.Import(ctx, strings.NewReader(good), access.System)
		if err != nil || rep.Written != 3 || rep.Unchanged != 1 {
			t.Fatalf("import %+v %v", rep, err)
		}
		gs, err := s.Growth(ctx, date.MustParse("2026-01-01"), date.MustParse("2026-12-31"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		rates := map[string]float64{}
		for _, g := range gs {
			rates[g.Account.Slug] = g.Rate
		}
		if rates["linkedin"] != 0.75 || rates["forum"] != 1.5 {
			t.Errorf("growth %v, want linkedin +75 %%, forum +150 %%", rates)
		}
		if _, err := s.Accounts(ctx, access.Actor{UserID: 2, Role: access.Expert, Via: access.Session}); access.CodeOf(err) != access.Forbidden {
			t.Errorf("an expert lists the accounts: %v", err)
		}
	})
}

func has(err error, field string) bool {
	list, _ := valid.As(err)
	return list.Has(field)
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
