package mission

import (
	"context"
	"testing"

	"vivier/internal/date"
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
		h, err := HistoryFor(ctx, db, ids, date.Today())
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != len(ids) || h[f.experts[1]].ProposalsLast90Days != 1 || h[100001].ProposalsLast90Days != 0 {
			t.Errorf("%d histories, expert %d: %+v", len(h), f.experts[1], h[f.experts[1]])
		}
	})
}

// BenchmarkHistoryFor reads the history of 2,000 experts (all without
// missions: the cost is the queries' over the IN lists).
func BenchmarkHistoryFor(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	ids := make([]int64, 2000)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := HistoryFor(ctx, db, ids, date.Today()); err != nil {
			b.Fatal(err)
		}
	}
}
