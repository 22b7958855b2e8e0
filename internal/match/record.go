package match

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"vivier/internal/store"
)

// Record is what the ranking log kept about one expert in one ranking of a
// need: it lets an expert see, for a proposal they received, why they were
// chosen — the record a human decision was made on, not a new computation.
type Record struct {
	At         time.Time
	Rank       int
	Score      float64
	Components Components
	Weights    Weights
}

// Parts lists the record's components with their French labels, in the
// order of ComponentList, for display.
func (r Record) Parts() []RecordPart {
	parts := make([]RecordPart, 0, len(ComponentList()))
	for _, c := range ComponentList() {
		parts = append(parts, RecordPart{Label: c.Label(), Value: r.Components.Get(c)})
	}
	return parts
}

// RecordPart is one component of a Record.
type RecordPart struct {
	Label string
	Value float64
}

// recordSearch bounds how many rankings of a need are read to find an
// expert's latest one.
const recordSearch = 50

// latestRecord returns the most recent logged ranking of the need in which
// the expert appeared, and whether there is one.
func latestRecord(ctx context.Context, q store.Querier, needID, expertID int64) (Record, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT created_at, weights, results FROM match_log
		WHERE need_id = $1 ORDER BY id DESC LIMIT $2`, needID, recordSearch)
	if err != nil {
		return Record{}, false, fmt.Errorf("read the ranking log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		var weights, results string
		if err := rows.Scan(&at, &weights, &results); err != nil {
			return Record{}, false, err
		}
		var ms []loggedMatch
		if err := json.Unmarshal([]byte(results), &ms); err != nil {
			return Record{}, false, fmt.Errorf("ranking log of need %d: %w", needID, err)
		}
		for _, m := range ms {
			if m.ExpertID != expertID {
				continue
			}
			rec := Record{At: at.UTC(), Rank: m.Rank, Score: m.Score, Components: m.Components}
			if err := json.Unmarshal([]byte(weights), &rec.Weights); err != nil {
				return Record{}, false, err
			}
			return rec, true, nil
		}
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Record{}, false, err
	}
	return Record{}, false, nil
}
