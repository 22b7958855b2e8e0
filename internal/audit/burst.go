package audit

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"vivier/internal/store"
)

// Anonymous events are aggregated: anyone may cause them (send a forged
// form, guess a password), and the log is append-only, so writing each one
// would let a visitor grow it without bound. RecordAnonymous writes the first
// event of an action from one address in a minute and counts the others
// (table audit_bursts); FlushBursts writes one summary entry per finished
// minute that had repeats, {"repeated": n, "minute": …}.

// RecordAnonymous records e, an event of an anonymous visitor (e.Actor has
// no user), at most once per action, address and minute.
func RecordAnonymous(ctx context.Context, tx *sql.Tx, e Entry) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	minute := e.At.UTC().Truncate(time.Minute)
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO audit_bursts (action, source, minute, events) VALUES ($1, $2, $3, 1)
		ON CONFLICT (action, source, minute) DO UPDATE SET events = audit_bursts.events + 1
		RETURNING events`, e.Action, e.Actor.IP, minute).Scan(&n)
	if err != nil {
		return fmt.Errorf("audit: count %s: %w", e.Action, err)
	}
	if n > 1 {
		return nil
	}
	return Record(ctx, tx, e)
}

// FlushBursts writes a summary entry for every minute before until whose
// anonymous events repeated, and forgets those minutes. The scheduler runs
// it every few minutes; it returns how many summaries it wrote.
func FlushBursts(ctx context.Context, db *store.DB, until time.Time) (int, error) {
	written := 0
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT action, source, minute, events FROM audit_bursts
			WHERE minute < $1 AND events > 1 ORDER BY minute, action, source`, until.UTC().Truncate(time.Minute))
		if err != nil {
			return err
		}
		var list []Entry
		for rows.Next() {
			var e Entry
			var minute time.Time
			var n int
			if err := rows.Scan(&e.Action, &e.Actor.IP, &minute, &n); err != nil {
				rows.Close()
				return err
			}
			e.At = minute.UTC().Add(time.Minute)
			e.Details = map[string]any{"repeated": n - 1, "minute": minute.UTC().Format(time.RFC3339)}
			list = append(list, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, e := range list {
			if err := Record(ctx, tx, e); err != nil {
				return err
			}
		}
		written = len(list)
		_, err = tx.ExecContext(ctx, "DELETE FROM audit_bursts WHERE minute < $1", until.UTC().Truncate(time.Minute))
		return err
	})
	return written, err
}
