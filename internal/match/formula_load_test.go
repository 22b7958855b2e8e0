package match_test

import (
	"math"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestFormulasAfterLoad: an engine loaded from the database, on SQLite and
// PostgreSQL, gives the hand-computed components and totals of
// TestWeightedTotal. What the round trip could change is the input, not the
// formula: the profile's timestamp (stored near midnight in Paris, where a
// lost time zone would move it a day), the history, the declared conflicts
// and the weights saved in settings.
func TestFormulasAfterLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		x := seasoned()
		// 4 November 23:30 UTC is 5 November 00:30 in Paris: 20 days before
		// the query, so freshness 180/200 = 0.9; read as a UTC day it would
		// be 21 days and 180/201 = 0.895522.
		x.UpdatedAt = time.Date(2026, 11, 4, 23, 30, 0, 0, time.UTC)
		id := insertExpert(t, db, x)
		declared := baseExpert(0, "D")
		declared.Conflicts = []string{otherSIREN}
		insertExpert(t, db, declared)
		o := opts()
		o.History = &memHistory{h: map[int64]match.History{id: x.History}}
		e, err := match.Load(ctx, db, geo.Default(), o)
		if err != nil {
			t.Fatal(err)
		}
		req := baseRequest()
		req.RequesterSIREN = otherSIREN
		check := func(want float64) {
			t.Helper()
			res, err := e.Rank(ctx, req, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Matches) != 1 || res.Matches[0].Reference != "S" || res.Excluded.Get(match.ConflictOfInterest) != 1 || res.Excluded.Total() != 1 {
				t.Fatalf("ranked %v, excluded %v; want S, and D for its declared conflict", refs(res), res.Excluded)
			}
			m := res.Matches[0]
			for _, k := range match.ComponentList() {
				if got, want := m.Components.Get(k), seasonedComponents.Get(k); math.Abs(got-want) > tolerance {
					t.Errorf("%s = %.9f, want %.9f", k, got, want)
				}
			}
			if math.Abs(m.Score-want) > tolerance {
				t.Errorf("score = %.10f, want %.10f", m.Score, want)
			}
		}
		check(0.75145285) // default weights; arithmetic in TestWeightedTotal
		equal := match.Weights{Skills: 1, Availability: 1, Proximity: 1, Experience: 1, Reviews: 1, Rate: 1, Load: 1, Freshness: 1}
		if err := match.SaveWeights(ctx, db, equal, access.System); err != nil {
			t.Fatal(err)
		}
		check(0.709283625) // 5.674269/8; arithmetic in TestWeightedTotal
	})
}
