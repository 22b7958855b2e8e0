// Package audit keeps Vivier's audit log: who changed a person's data or an
// account, when, what, and from which address — plus the security events
// around accounts (failed logins, refused links). The log is append-only (the
// database refuses UPDATE and DELETE on it) and entries are written with
// Record inside the same transaction as the change they describe, so a change
// and its entry exist together or not at all.
//
// Entries name people by user id, never by email or name: erasing a person
// anonymises their account row, and the log then shows "personne effacée"
// without ever being edited. Details hold field names and codes, not the
// personal values that changed.
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Entry is one line of the audit log.
type Entry struct {
	ID            int64
	At            time.Time
	Actor         access.Actor
	Action        string         // dotted code, e.g. "account.login_failed"
	SubjectUserID int64          // the person concerned, 0 when none
	Subject       string         // what was touched, e.g. "user:12"
	Details       map[string]any // codes and field names, never personal values
}

// Record appends e to the log through q; pass the transaction that makes the
// change. At defaults to now.
func Record(ctx context.Context, q store.Querier, e Entry) error {
	row, err := Row(e)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO audit_log (`+Columns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, row...); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Columns are the columns of audit_log that Row gives values for, in order.
// With Row, they let a bulk writer append entries by multi-row statements
// (an import of 100,000 experts records as many entries).
const Columns = "at, actor_id, action, subject_user_id, subject, details, ip"

// Row returns the values of e's row in audit_log, in the order of Columns.
// At defaults to now.
func Row(e Entry) ([]any, error) {
	if e.Action == "" {
		return nil, fmt.Errorf("audit: entry without action")
	}
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	if e.Subject == "" && e.SubjectUserID != 0 {
		e.Subject = fmt.Sprintf("user:%d", e.SubjectUserID)
	}
	details := []byte("{}")
	if len(e.Details) > 0 {
		var err error
		if details, err = json.Marshal(e.Details); err != nil {
			return nil, fmt.Errorf("audit: details of %s: %w", e.Action, err)
		}
	}
	return []any{e.At.UTC(), nullID(e.Actor.UserID), e.Action, nullID(e.SubjectUserID), e.Subject, string(details), e.Actor.IP}, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// ActorName is the name a status history shows for actor, kept with the
// line so that it survives the person's erasure: the user's name, or
// fallback ("système", "import…") for the system and anonymous visitors.
func ActorName(ctx context.Context, q store.Querier, actor access.Actor, fallback string) (string, error) {
	if actor.UserID == 0 {
		return fallback, nil
	}
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, actor.UserID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return fallback, nil
	}
	return name, err
}
