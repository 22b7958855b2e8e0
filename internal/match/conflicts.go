package match

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/expert"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Conflict is a conflict of interest an expert declared with an
// organisation, by its SIREN; Name is the organisation's when Vivier knows
// it.
type Conflict struct {
	SIREN string
	Name  string
}

// conflicts returns the SIRENs expert expertID declared, in order.
func conflicts(ctx context.Context, q store.Querier, expertID int64) ([]Conflict, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.siren, coalesce(o.name, '') FROM expert_conflicts c
		LEFT JOIN organisations o ON o.siren = c.siren WHERE c.expert_id = $1 ORDER BY c.siren`, expertID)
	if err != nil {
		return nil, fmt.Errorf("match: conflicts: %w", err)
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		if err := rows.Scan(&c.SIREN, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// declareConflict records that expert expertID has a conflict of interest
// with the organisation whose SIREN is siren (spaces allowed): matching
// excludes them from the needs of that organisation, its EPCI or commune,
// from the next query of every engine (expert.Touch). A bad SIREN is a valid.Errors
// on "siren"; declaring it twice is harmless. The change is audited.
func declareConflict(ctx context.Context, db *store.DB, expertID int64, siren string, actor access.Actor) error {
	siren = organisation.NormalizeSIREN(siren)
	if msg := organisation.CheckSIREN(siren); msg != "" {
		var errs valid.Errors
		errs.Add("siren", "%s", msg)
		return errs
	}
	return changeConflict(ctx, db, expertID, siren, "expert.conflict_declared", actor,
		`INSERT INTO expert_conflicts (expert_id, siren) VALUES ($1, $2) ON CONFLICT DO NOTHING`)
}

// removeConflict withdraws a declared conflict; one not declared is
// store.ErrNotFound.
func removeConflict(ctx context.Context, db *store.DB, expertID int64, siren string, actor access.Actor) error {
	return changeConflict(ctx, db, expertID, organisation.NormalizeSIREN(siren), "expert.conflict_removed", actor,
		`DELETE FROM expert_conflicts WHERE expert_id = $1 AND siren = $2`)
}

func changeConflict(ctx context.Context, db *store.DB, expertID int64, siren, action string, actor access.Actor, stmt string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var user sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT user_id FROM experts WHERE id = $1`, expertID).Scan(&user); err != nil {
			if err == sql.ErrNoRows {
				return store.NotFound("expert %d", expertID)
			}
			return err
		}
		res, err := tx.ExecContext(ctx, stmt, expertID, siren)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if action == "expert.conflict_removed" {
				return store.NotFound("conflict %s", siren)
			}
			return nil // already declared
		}
		if err := expert.Touch(ctx, tx, expertID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: time.Now().UTC(), Actor: actor, Action: action,
			SubjectUserID: user.Int64, Subject: "expert:" + strconv.FormatInt(expertID, 10), Details: map[string]any{"siren": siren}})
	})
}
