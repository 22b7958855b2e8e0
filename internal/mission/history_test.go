package mission

import (
	"context"
	"testing"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestHistoryOfManyExperts asks for more experts than one batch, as
// matching does for the whole pool, on both engines.
func TestHistoryOfManyExperts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if _, err := f.s.Propose(ctx, f.needID, f.experts, "", system); err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, 0, 2*historyBatch+10)
		for i := int64(1); len(ids) < cap(ids)-2; i++ {
			ids = append(ids, 100000+i)
		}
		ids = append(ids, f.experts...) // the real ones in the last batch
		h, err := HistoryOf(ctx, db, geo.Default(), ids, date.Today())
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != len(ids) || h[f.experts[1]].ProposalsLast90Days != 1 || h[100001].ProposalsLast90Days != 0 {
			t.Errorf("%d histories, expert %d: %+v", len(h), f.experts[1], h[f.experts[1]])
		}
	})
}

// BenchmarkHistoryOf reads the history of 2,000 experts (all without
// missions: the cost is the queries' over the IN lists).
func BenchmarkHistoryOf(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	ids := make([]int64, 2000)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := HistoryOf(ctx, db, geo.Default(), ids, date.Today()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestClosedMissionInAnArrondissementCountsAsItsCity checks that a mission
// in Lyon 1er (69381, 28,717 inhabitants) is experience of a city of Lyon's
// size (50,000 and more), as the engine counts the place of a new need in
// Lyon or any of its arrondissements.
func TestClosedMissionInAnArrondissementCountsAsItsCity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixtureIn(t, db, need.Mission, date.Today(), "69381")
		s := f.s
		if _, err := s.Propose(ctx, f.needID, f.experts[1:], "", system); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.NeedProposals(ctx, f.needID, system)
		if err := s.Answer(ctx, ps[0].ID, true, "", system); err != nil {
			t.Fatal(err)
		}
		id, err := s.Choose(ctx, ps[0].ID, system)
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range []Status{InProgress, Delivered, Closed} {
			if err := s.Move(ctx, id, to, system); err != nil {
				t.Fatal(err)
			}
		}
		h, err := HistoryOf(ctx, db, geo.Default(), f.experts[1:], f.today)
		if err != nil {
			t.Fatal(err)
		}
		lyon, _ := geo.Default().Commune("69123")
		arrondissement, _ := geo.Default().Commune("69381")
		if lyon.SizeClass() == arrondissement.SizeClass() {
			t.Fatal("the test needs an arrondissement of another size class than its city")
		}
		var want [len(History{}.PastMissionsBySizeClass)]int
		want[lyon.SizeClass()-1] = 1
		if got := h[f.experts[1]].PastMissionsBySizeClass; got != want {
			t.Errorf("closed mission in Lyon 1er counted as %v, want %v (Lyon's class)", got, want)
		}
	})
}
