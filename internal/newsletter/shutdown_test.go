package newsletter_test

import (
	"context"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestNoHitLostAtShutdown: hits come while the tracker writes them in
// batches, as in the server; when the server stops, the tracker writes
// those still in memory: every hit is stored, once.
func TestNoHitLostAtShutdown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Now().UTC()
		s := newService(db, func() time.Time { return clock })
		tokens := sentCampaign(t, s, 30) // 20 recipients accepted the measure
		clock = clock.Add(time.Hour)
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.RunTracker(ctx); close(done) }()
		const n = 5000
		for i := range n {
			s.Open(context.Background(), tokens[i%len(tokens)], browser, access.Visitor("192.0.2.99"))
		}
		stop()
		<-done
		var stored, fetches int
		if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM newsletter_hits`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(context.Background(), `SELECT coalesce(sum(pixel_fetches), 0) FROM newsletter_engagement`).Scan(&fetches); err != nil {
			t.Fatal(err)
		}
		if stored != n || fetches != n {
			t.Errorf("%d hits stored, %d pixel fetches counted; want %d", stored, fetches, n)
		}
	})
}
