package match

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// loadWeights returns the weights stored in the settings table, or the
// defaults when none are.
func loadWeights(ctx context.Context, q store.Querier) (Weights, error) {
	v, ok, err := store.Setting(ctx, q, SettingsKey)
	if err != nil {
		return Weights{}, fmt.Errorf("match: read weights: %w", err)
	}
	if !ok {
		return DefaultWeights(), nil
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
		if err := store.PutSetting(ctx, tx, SettingsKey, string(b), time.Now()); err != nil {
			return fmt.Errorf("match: save weights: %w", err)
		}
		var details map[string]any
		if err := json.Unmarshal(b, &details); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "match.weights_changed", Subject: "settings:" + SettingsKey, Details: details})
	})
}
