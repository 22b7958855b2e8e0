package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The settings table holds small documents by key, each owned by the
// package that names its key (the matching weights, the reference rates,
// the demo marker…). Store writes it for all of them, so that the table
// has one writer and one way to be written.

// PutSetting stores value under key through q (pass the transaction of the
// change it belongs to), replacing the previous value.
func PutSetting(ctx context.Context, q Querier, key, value string, at time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, value, at.UTC())
	return err
}

// Setting returns the value stored under key, and false when there is none.
func Setting(ctx context.Context, q Querier, key string) (string, bool, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// SettingOnce returns the value stored under key, storing value first when
// there is none: the first instance to ask decides, and every instance on
// the database reads the same value (a signing key shared by all).
func SettingOnce(ctx context.Context, q Querier, key, value string, at time.Time) (string, error) {
	if _, err := q.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO NOTHING`, key, value, at.UTC()); err != nil {
		return "", err
	}
	v, ok, err := Setting(ctx, q, key)
	if err == nil && !ok {
		err = fmt.Errorf("setting %s vanished", key)
	}
	return v, err
}
