package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"vivier/internal/store"
)

// Throttle slows down guessing without letting anyone lock a person out.
// Failures are counted in the database (table login_throttle), so every
// instance on one PostgreSQL counts the same ones, under separate keys:
//
//   - a password's failures per account and source address, so that a
//     stranger's failures stop the stranger, not the account's owner;
//   - a password's failures per account from every address, with a higher
//     limit, against guessing spread over many addresses;
//   - failures per source address over every account;
//   - the second factor's failures per account, counted on their own: only
//     someone who proved the password or received the link reaches it, so
//     wrong passwords typed by strangers never block a correct code, and a
//     login by link (which proves possession of the mailbox) is never
//     stopped by password failures.
//
// Once a key reaches its limit, each further try waits: Backoff after the
// last failure, doubling with every failure beyond the limit, up to Window.
// A counter is forgotten Window after its last failure.
type Throttle struct {
	Window     time.Duration // a counter is forgotten this long after its last failure; the longest wait
	PerAccount int           // password failures per account from every address before waits begin
	PerSource  int           // password failures per account from one address before waits begin
	PerIP      int           // failures per address over every account before waits begin
	PerFactor  int           // second-factor failures per account before waits begin
	Backoff    time.Duration // the first wait once a limit is reached
}

// DefaultThrottle lets a person mistyping never be stopped, slows a guesser
// on one account from one address to a handful of tries an hour, and keeps
// the owner's own address, their magic link and their second factor usable
// while strangers fail on their account.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 20, PerSource: 5, PerIP: 50, PerFactor: 5, Backoff: 30 * time.Second}

// withDefaults fills the settings left zero from DefaultThrottle.
func (t Throttle) withDefaults() Throttle {
	d := DefaultThrottle
	for _, f := range []struct {
		v   *int
		def int
	}{{&t.PerAccount, d.PerAccount}, {&t.PerSource, d.PerSource}, {&t.PerIP, d.PerIP}, {&t.PerFactor, d.PerFactor}} {
		if *f.v == 0 {
			*f.v = f.def
		}
	}
	if t.Window == 0 {
		t.Window = d.Window
	}
	if t.Backoff == 0 {
		t.Backoff = min(d.Backoff, t.Window)
	}
	return t
}

func accountKey(email string) string { return "account:" + NormaliseEmail(email) }
func sourceKey(email, ip string) string {
	return "source:" + NormaliseEmail(email) + "|" + ip
}
func ipKey(ip string) string        { return "ip:" + ip }
func factorKey(userID int64) string { return "factor:" + strconv.FormatInt(userID, 10) }

// ThrottledError says until when logins are refused.
type ThrottledError struct{ Until time.Time }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("trop de tentatives jusqu’à %s", e.Until.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

type limit struct {
	key string
	max int
}

func (t Throttle) passwordLimits(email, ip string) []limit {
	return []limit{{sourceKey(email, ip), t.PerSource}, {accountKey(email), t.PerAccount}, {ipKey(ip), t.PerIP}}
}

// Check returns a *ThrottledError when a password login for email from ip
// must wait.
func (t Throttle) Check(ctx context.Context, q store.Querier, email, ip string, now time.Time) error {
	return t.check(ctx, q, now, t.passwordLimits(email, ip)...)
}

// CheckFactor returns a *ThrottledError when the second factor of userID
// must wait.
func (t Throttle) CheckFactor(ctx context.Context, q store.Querier, userID int64, now time.Time) error {
	return t.check(ctx, q, now, limit{factorKey(userID), t.PerFactor})
}

func (t Throttle) check(ctx context.Context, q store.Querier, now time.Time, limits ...limit) error {
	var until time.Time
	for _, l := range limits {
		var start time.Time
		var last sql.NullTime
		var failures int
		err := q.QueryRowContext(ctx, "SELECT window_start, last_failure_at, failures FROM login_throttle WHERE key = $1", l.key).Scan(&start, &last, &failures)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read login throttle: %w", err)
		}
		if !last.Valid {
			last.Time = start
		}
		if failures < l.max || now.Sub(last.Time) >= t.Window {
			continue
		}
		if end := last.Time.Add(t.wait(failures - l.max)); now.Before(end) && end.After(until) {
			until = end
		}
	}
	if !until.IsZero() {
		return &ThrottledError{Until: until.UTC()}
	}
	return nil
}

// wait is the time to wait after the last failure when a key is beyond
// its limit by n failures: Backoff, doubled n times, at most Window.
func (t Throttle) wait(n int) time.Duration {
	w := t.Backoff
	for range min(n, 30) {
		if w >= t.Window {
			break
		}
		w *= 2
	}
	return min(w, t.Window)
}

// Fail counts one failed password for email from ip.
func (t Throttle) Fail(ctx context.Context, q store.Querier, email, ip string, now time.Time) error {
	return t.fail(ctx, q, now, sourceKey(email, ip), accountKey(email), ipKey(ip))
}

// FailFactor counts one failed second-factor code of userID.
func (t Throttle) FailFactor(ctx context.Context, q store.Querier, userID int64, now time.Time) error {
	return t.fail(ctx, q, now, factorKey(userID))
}

// fail counts a failure under each key, in one statement per key so that
// concurrent failures on several instances all count. A counter whose last
// failure is older than the window starts again at 1.
func (t Throttle) fail(ctx context.Context, q store.Querier, now time.Time, keys ...string) error {
	for _, key := range keys {
		_, err := q.ExecContext(ctx, `
			INSERT INTO login_throttle (key, window_start, failures, last_failure_at) VALUES ($1, $2, 1, $2)
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN coalesce(login_throttle.last_failure_at, login_throttle.window_start) < $3 THEN 1 ELSE login_throttle.failures + 1 END,
				window_start = CASE WHEN coalesce(login_throttle.last_failure_at, login_throttle.window_start) < $3 THEN $2 ELSE login_throttle.window_start END,
				last_failure_at = $2`,
			key, now.UTC(), now.Add(-t.Window).UTC())
		if err != nil {
			return fmt.Errorf("count login failure: %w", err)
		}
	}
	return nil
}

// Succeed clears the counters of the account and of this address on it
// after a good password (the address's counter over every account stays:
// one good account must not unlock guessing on others).
func (t Throttle) Succeed(ctx context.Context, q store.Querier, email, ip string) error {
	_, err := q.ExecContext(ctx, "DELETE FROM login_throttle WHERE key = $1 OR key = $2", accountKey(email), sourceKey(email, ip))
	return err
}

// SucceedFactor clears the second factor's counter after a good code.
func (t Throttle) SucceedFactor(ctx context.Context, q store.Querier, userID int64) error {
	_, err := q.ExecContext(ctx, "DELETE FROM login_throttle WHERE key = $1", factorKey(userID))
	return err
}

// Purge deletes counters whose last failure is older than the window, for
// a periodic cleanup.
func (t Throttle) Purge(ctx context.Context, q store.Querier, now time.Time) error {
	_, err := q.ExecContext(ctx, "DELETE FROM login_throttle WHERE coalesce(last_failure_at, window_start) < $1", now.Add(-t.Window).UTC())
	return err
}
