package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vivier/internal/store"
)

// Throttle limits failed logins per account and per client address. The
// counters live in the database (table login_throttle), so every instance
// on one PostgreSQL counts the same failures.
type Throttle struct {
	Window     time.Duration // a counter covers this long from its first failure
	PerAccount int           // failures allowed per account (known or not) in a window
	PerIP      int           // failures allowed per client address in a window
}

// DefaultThrottle allows 5 failures per account and 50 per address every
// 15 minutes: a person mistyping is never stopped, a guesser is slowed to
// 20 tries an hour on one account.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 5, PerIP: 50}

func accountKey(email string) string { return "account:" + NormaliseEmail(email) }
func ipKey(ip string) string         { return "ip:" + ip }

// ThrottledError says until when logins are refused.
type ThrottledError struct{ Until time.Time }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("trop de tentatives jusqu'à %s", e.Until.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// Check returns a *ThrottledError when the account or the address has used
// up its failures in the current window.
func (t Throttle) Check(ctx context.Context, q store.Querier, email, ip string, now time.Time) error {
	for _, k := range []struct {
		key   string
		limit int
	}{{accountKey(email), t.PerAccount}, {ipKey(ip), t.PerIP}} {
		var start time.Time
		var failures int
		err := q.QueryRowContext(ctx, "SELECT window_start, failures FROM login_throttle WHERE key = $1", k.key).Scan(&start, &failures)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read login throttle: %w", err)
		}
		if end := start.Add(t.Window); failures >= k.limit && now.Before(end) {
			return &ThrottledError{Until: end.UTC()}
		}
	}
	return nil
}

// Fail counts one failure for the account and the address. A counter whose
// window has ended starts again at 1 (one statement, so concurrent failures
// on several instances all count).
func (t Throttle) Fail(ctx context.Context, q store.Querier, email, ip string, now time.Time) error {
	for _, key := range []string{accountKey(email), ipKey(ip)} {
		_, err := q.ExecContext(ctx, `
			INSERT INTO login_throttle (key, window_start, failures) VALUES ($1, $2, 1)
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END,
				window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END`,
			key, now.UTC(), now.Add(-t.Window).UTC())
		if err != nil {
			return fmt.Errorf("count login failure: %w", err)
		}
	}
	return nil
}

// Succeed clears the account's counter after a good login (the address's
// counter stays: one good account must not unlock guessing on others).
func (t Throttle) Succeed(ctx context.Context, q store.Querier, email string) error {
	_, err := q.ExecContext(ctx, "DELETE FROM login_throttle WHERE key = $1", accountKey(email))
	return err
}

// Purge deletes counters whose window ended, for a periodic cleanup.
func (t Throttle) Purge(ctx context.Context, q store.Querier, now time.Time) error {
	_, err := q.ExecContext(ctx, "DELETE FROM login_throttle WHERE window_start < $1", now.Add(-t.Window).UTC())
	return err
}
