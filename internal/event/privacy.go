package event

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"vivier/internal/store"
)

// Privacy is the events' part of a person's data (account.PersonalData):
// the registrations made with the account's email address or while signed
// in. Erasure anonymises them as the yearly retention pass does — the
// counts of an event stay, the name, address and typed organisation go.
type Privacy struct{}

// ExportedRegistration is a registration as the person's export shows it.
type ExportedRegistration struct {
	Event        string    `json:"event"`
	StartsAt     time.Time `json:"starts_at"`
	Status       string    `json:"status"`
	Organisation string    `json:"organisation,omitempty"`
	Present      bool      `json:"present"`
	CreatedAt    time.Time `json:"created_at"`
}

// mine selects the registrations of the account $1: by its user id, or by
// its email address (a registration needs no account).
const mine = `(r.user_id = $1 OR r.email = (SELECT email FROM users WHERE id = $1))`

// ExportPerson returns, under the section name "event_registrations", the
// registrations of the account userID; nil when there are none.
func (Privacy) ExportPerson(ctx context.Context, q store.Querier, userID int64) (string, any, error) {
	const section = "event_registrations"
	rows, err := q.QueryContext(ctx, `SELECT e.title, e.starts_at, r.status, r.organisation, r.present, r.created_at
		FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE `+mine+` ORDER BY r.created_at`, userID)
	if err != nil {
		return section, nil, fmt.Errorf("export registrations: %w", err)
	}
	defer rows.Close()
	var out []ExportedRegistration
	for rows.Next() {
		var r ExportedRegistration
		if err := rows.Scan(&r.Event, &r.StartsAt, &r.Status, &r.Organisation, &r.Present, &r.CreatedAt); err != nil {
			return section, nil, err
		}
		r.StartsAt, r.CreatedAt = r.StartsAt.UTC(), r.CreatedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return section, nil, err
	}
	return section, out, nil
}

// ErasePerson anonymises, inside the account's erasure transaction, the
// registrations of the account userID. It runs before the account loses
// its address, which is how registrations without account are found.
func (Privacy) ErasePerson(ctx context.Context, tx *sql.Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE event_registrations SET email = 'anonyme-' || id || '@invalid',
		name = 'Participant anonymisé', organisation = '', consent = '', user_id = NULL
		WHERE id IN (SELECT r.id FROM event_registrations r WHERE `+mine+`)`, userID)
	if err != nil {
		return fmt.Errorf("erase registrations: %w", err)
	}
	return nil
}
