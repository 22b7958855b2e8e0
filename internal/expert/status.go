package expert

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// SetStatus moves expert id to status to, with the coordinator's comment,
// and records who, when and why in the status history. A move that CanMove
// refuses, or a suspension or an archiving without a comment, is a
// validation error on the field "status" or "comment".
func (s *Service) SetStatus(ctx context.Context, id int64, to Status, comment string, actor access.Actor) error {
	if err := staffOn(ctx, s.db, id, actor); err != nil {
		return err
	}
	comment = strings.TrimSpace(comment)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var from Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM experts WHERE id = $1`, id).Scan(&from); err != nil {
			if err == sql.ErrNoRows {
				return store.NotFound("expert %d", id)
			}
			return err
		}
		if err := checkMove(from, to, comment); err != nil {
			return err
		}
		return s.move(ctx, tx, id, from, to, comment, actor, "coordination")
	})
}

func checkMove(from, to Status, comment string) error {
	var errs valid.Errors
	switch {
	case !to.valid():
		errs.Add("status", "statut %s inconnu : candidate, qualified, suspended ou archived", fr.Quote(string(to)))
	case from == to:
		errs.Add("status", "l’expert est déjà %s", to.Label())
	case !CanMove(from, to):
		errs.Add("status", "un expert %s ne peut pas devenir %s directement (possible : %s)", from.Label(), to.Label(), movesLabel(from))
	}
	if (to == Suspended || to == Archived) && comment == "" {
		errs.Add("comment", "dites pourquoi l’expert est %s : le motif reste dans son historique", to.Label())
	}
	if len(comment) > 2000 {
		errs.Add("comment", "2 000 caractères au plus")
	}
	return errs.Err()
}

func movesLabel(from Status) string {
	var labels []string
	for _, s := range moves[from] {
		labels = append(labels, s.Label())
	}
	return strings.Join(labels, ", ")
}

// move writes a checked status change: the row (with updated_at, which the
// matching engine watches), the history and the audit log.
func (s *Service) move(ctx context.Context, tx *sql.Tx, id int64, from, to Status, comment string, actor access.Actor, fallback string) error {
	now := s.now()
	var archived any
	if to == Archived {
		archived = now
	}
	if _, err := tx.ExecContext(ctx, `UPDATE experts SET status = $1, updated_at = $2,
		archived_at = CASE WHEN $3 THEN $4 ELSE archived_at END WHERE id = $5`,
		string(to), now, to == Archived, archived, id); err != nil {
		return fmt.Errorf("set status of expert %d: %w", id, err)
	}
	name, err := audit.ActorName(ctx, tx, actor, fallback)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO expert_status_history (expert_id, from_status, to_status, comment, actor_id, actor, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, string(from), string(to), comment, nullID(actor.UserID), name, now); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "expert.status", Subject: subject(id),
		Details: map[string]any{"from": string(from), "to": string(to)}})
}

// History returns the status changes of expert id, oldest first, if actor
// may see the expert.
func (s *Service) History(ctx context.Context, id int64, actor access.Actor) ([]StatusChange, error) {
	if _, err := s.Get(ctx, id, actor); err != nil {
		return nil, err
	}
	return history(ctx, s.db, id)
}

// LinkUser links expert id to the account userID (the expert's own login),
// so that ByUser finds the profile the account may edit. Linking an expert
// already linked to another account, or an account already linked to
// another expert, is refused.
func (s *Service) LinkUser(ctx context.Context, id, userID int64, actor access.Actor) error {
	if err := staffOn(ctx, s.db, id, actor); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE experts SET user_id = $1, updated_at = $2
			WHERE id = $3 AND user_id IS NULL`, userID, s.now(), id)
		if store.IsUniqueViolation(err) {
			return valid.FieldError{Field: "user_id", Message: "ce compte est déjà lié à un autre expert"}
		}
		if err != nil {
			return fmt.Errorf("link expert %d to user %d: %w", id, userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var linked sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT user_id FROM experts WHERE id = $1`, id).Scan(&linked)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return store.NotFound("expert %d", id)
			case err != nil:
				return err
			case linked.Int64 == userID:
				return nil // linked already: a replay changes nothing
			}
			return valid.FieldError{Field: "user_id", Message: "cet expert est déjà lié à un autre compte"}
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "expert.link_user", Subject: subject(id), SubjectUserID: userID})
	})
}

// Touch journals a change that affects the matching of expert id outside
// the experts tables (a mission, a proposal, a review, a declared
// conflict), in the caller's transaction: every matching engine reloads the
// expert, and its history, on its next sync. It rewrites the expert's
// updated_at with itself, which fires the journal trigger (and its ordering
// lock on PostgreSQL) — so that the experts table keeps one writer.
func Touch(ctx context.Context, q store.Querier, id int64) error {
	if _, err := q.ExecContext(ctx, `UPDATE experts SET updated_at = updated_at WHERE id = $1`, id); err != nil {
		return fmt.Errorf("touch expert %d: %w", id, err)
	}
	return nil
}
