package mission

import (
	"context"
	"database/sql"
	"vivier/internal/expert"
)

// The matching engine reads, for each expert, figures that missions change
// (past missions, reviews, active missions, recent proposals, days already
// committed). Every write that changes them tells the engine, inside its
// own transaction, through the expert_changes journal (expert.Touch), so the
// next ranking on any instance sees them.

// touchMissionExpert journals a change of the figures of a mission's expert.
func touchMissionExpert(ctx context.Context, tx *sql.Tx, missionID int64) error {
	var expertID int64
	if err := tx.QueryRowContext(ctx, "SELECT expert_id FROM missions WHERE id = $1", missionID).Scan(&expertID); err != nil {
		return err
	}
	return expert.Touch(ctx, tx, expertID)
}

// thenTouch runs fn, then journals the change of the mission's expert.
func thenTouch(ctx context.Context, missionID func() int64, fn func(tx *sql.Tx) error) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if id := missionID(); id != 0 {
			return touchMissionExpert(ctx, tx, id)
		}
		return nil
	}
}
