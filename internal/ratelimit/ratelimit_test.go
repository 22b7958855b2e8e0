package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/ratelimit"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestHitCountsPerKeyAndWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lim := ratelimit.Limit{Max: 2, Window: time.Hour}
		now := time.Now().UTC()
		for i := range 2 {
			if err := ratelimit.Hit(ctx, db, "a", lim, now, "trop"); err != nil {
				t.Fatalf("hit %d: %v", i+1, err)
			}
		}
		if err := ratelimit.Hit(ctx, db, "a", lim, now, "trop"); access.CodeOf(err) != access.TooMany || access.MessageOf(err, "") != "trop" {
			t.Errorf("a third hit in the window: %v", err)
		}
		if err := ratelimit.Hit(ctx, db, "b", lim, now, "trop"); err != nil {
			t.Errorf("another key: %v", err)
		}
		if err := ratelimit.Hit(ctx, db, "a", lim, now.Add(time.Hour), "trop"); err != nil {
			t.Errorf("the next window: %v", err)
		}
		if err := ratelimit.Purge(ctx, db, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		var n int
		db.QueryRowContext(ctx, "SELECT count(*) FROM rate_limits").Scan(&n)
		if n != 1 {
			t.Errorf("%d counters after the purge, want 1 (the current window of a)", n)
		}
	})
}
