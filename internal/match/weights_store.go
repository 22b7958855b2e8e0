package match

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// loadWeights returns the weights stored in the settings table, or the
// defaults when none are.
func loadWeights(ctx context.Context, q store.Querier) (Weights, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, SettingsKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultWeights(), nil
	}
	if err != nil {
		return Weights{}, fmt.Errorf("match: read weights: %w", err)
	}
	return ParseWeights([]byte(v))
}

// saveWeights validates and stores w for every instance (each applies them
// from its next query, through the journal trigger on settings) and
// records who changed them in the audit log. Invalid weights are a
// valid.Errors naming each bad component.
func saveWeights(ctx context.Context, db *store.DB, w Weights, actor access.Actor) error {
	if err := w.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			SettingsKey, string(b), time.Now().UTC())
		if err != nil {
			return fmt.Errorf("match: save weights: %w", err)
		}
		var details map[string]any
		if err := json.Unmarshal(b, &details); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "match.weights_changed", Subject: "settings:" + SettingsKey, Details: details})
	})
}
