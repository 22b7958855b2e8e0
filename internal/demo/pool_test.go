package demo

import (
	"context"
	"reflect"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestGeneratorIsDeterministicAndPlausible(t *testing.T) {
	base := date.MustParse("2026-12-01")
	a, b := NewGenerator(7, geo.Default(), base), NewGenerator(7, geo.Default(), base)
	deps := map[string]int{}
	for i := range 2000 {
		pa, sa := a.Expert(i)
		pb, sb := b.Expert(i)
		if !reflect.DeepEqual(pa, pb) || sa != sb {
			t.Fatalf("expert %d differs between two runs with the same seed", i)
		}
		if *pa.DailyRate < 350 || *pa.DailyRate > 900 {
			t.Errorf("rate %d", *pa.DailyRate)
		}
		c, _ := geo.Default().Commune(pa.Commune)
		deps[c.DepartementCode]++
	}
	// Weighted by population: Paris and the Nord hold far more experts
	// than the Lozère.
	if deps["75"] < 5*deps["48"] || deps["59"] < 5*deps["48"] {
		t.Errorf("experts by département: 75=%d 59=%d 48=%d", deps["75"], deps["59"], deps["48"])
	}
	other, _ := NewGenerator(8, geo.Default(), base).Expert(0)
	first, _ := NewGenerator(7, geo.Default(), base).Expert(0)
	if reflect.DeepEqual(other, first) {
		t.Error("another seed gives the same expert")
	}
}

func TestFillMakesTheDemoPool(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Now()
		if _, err := Fill(ctx, db, Options{Seed: 1}); err != nil {
			t.Fatal(err)
		}
		t.Logf("demo pool filled in %v", time.Since(start).Round(time.Millisecond))
		// One fill per engine serves every check of the demo's parts.
		checkNetwork(t, ctx, db)
		checkMissions(t, ctx, db)
		checkEvents(t, ctx, db)
		checkReports(t, ctx, db)
		count := func(q string) int {
			var n int
			if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The pool's, and the agencies' of the report's demo (report.go).
		experts := DemoExperts + agencyExperts*len(reportAgencies)
		if n := count(`SELECT count(*) FROM experts`); n != experts {
			t.Errorf("%d experts", n)
		}
		// The pool's, the missions' (missions.go) and those of the
		// report's agencies' missions (report.go); the agencies' own needs
		// are the network's (network.go).
		if n := count(`SELECT count(*) FROM needs n JOIN organisations o ON o.id = n.requester_id WHERE o.kind <> 'agence'`); n != DemoNeeds+len(demoMissions)+agencyMissions*len(reportAgencies) {
			t.Errorf("%d needs", n)
		}
		q, s, a := count(`SELECT count(*) FROM experts WHERE status = 'qualified'`), count(`SELECT count(*) FROM experts WHERE status = 'suspended'`),
			count(`SELECT count(*) FROM experts WHERE status = 'archived'`)
		if q < DemoExperts*6/10 || s == 0 || a == 0 {
			t.Errorf("statuses: %d qualified, %d suspended, %d archived", q, s, a)
		}
		if n := count(`SELECT count(DISTINCT status) FROM needs`); n != 6 {
			t.Errorf("needs in %d statuses", n)
		}
		// Needs come from communes under 3,500 inhabitants (or their EPCI).
		needs := need.New(need.Options{DB: db, Geo: geo.Default()})
		page, _ := needs.List(ctx, need.Filter{PageSize: 100}, access.System)
		pooled := 0
		for _, n := range page.Needs {
			if c, _ := geo.Default().Commune(n.Commune); c.Population >= 3500 {
				t.Errorf("need %d in %s (%d inhabitants)", n.ID, c.Name, c.Population)
			}
			if near, _ := needs.Nearby(ctx, n.ID, access.System); len(near) > 0 {
				pooled++
			}
		}
		if pooled == 0 {
			t.Error("no need has a pooling candidate")
		}
		pool := expert.New(expert.Options{DB: db, Geo: geo.Default()})
		p, err := pool.List(ctx, expert.Filter{Text: "réindustrialisation", Status: expert.Qualified}, access.System)
		if err != nil || p.Total == 0 {
			t.Errorf("search in the demo pool: %d %v", p.Total, err)
		}
		// A second Fill keeps the demo as it is.
		if _, err := Fill(ctx, db, Options{Seed: 1}); err != nil {
			t.Fatal(err)
		}
		if n := count(`SELECT count(*) FROM experts`); n != experts {
			t.Errorf("%d experts after a second fill", n)
		}
		// Last, as it submits needs of its own.
		checkStory(t, ctx, db)
	})
}
