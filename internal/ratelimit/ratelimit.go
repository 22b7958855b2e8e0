// Package ratelimit counts the actions anyone may do that cost something —
// an email sent by the public need form — per key (a source address, a
// recipient), in fixed windows kept in the database (table rate_limits),
// so that every instance on one PostgreSQL counts the same actions.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Limit is at most Max actions per key in each Window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Hit counts one action under key at now, within q (the transaction of the
// action: a refused or failed action counts nothing), and refuses it with
// an access.TooMany error carrying message when key already had lim.Max
// actions in the current window.
func Hit(ctx context.Context, q store.Querier, key string, lim Limit, now time.Time, message string) error {
	var hits int
	var start time.Time
	err := q.QueryRowContext(ctx, `
		INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
			window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
		RETURNING hits, window_start`, key, now.UTC(), now.Add(-lim.Window).UTC()).Scan(&hits, &start)
	if err != nil {
		return fmt.Errorf("rate limit %s: %w", key, err)
	}
	if hits > lim.Max {
		return access.Errorf(access.TooMany, "%s", message)
	}
	return nil
}

// Purge deletes the counters whose window began before before.
func Purge(ctx context.Context, q store.Querier, before time.Time) error {
	_, err := q.ExecContext(ctx, "DELETE FROM rate_limits WHERE window_start < $1", before.UTC())
	return err
}
