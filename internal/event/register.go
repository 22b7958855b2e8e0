package event

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// ErrAlreadyRegistered is the conflict of an email registered twice to one
// event.
var ErrAlreadyRegistered = access.Errorf(access.Conflict, "cette adresse électronique est déjà inscrite à cet événement : retrouvez l’inscription dans le courriel reçu")

const selectRegistration = `SELECT id, event_id, email, name, organisation, coalesce(organisation_id, 0), status,
	coalesce(position, 0), token, present, attended_minutes, checked_in_at, created_at FROM event_registrations`

func scanRegistration(sc interface{ Scan(...any) error }) (Registration, error) {
	var r Registration
	var minutes sql.NullInt64
	var checked sql.NullTime
	err := sc.Scan(&r.ID, &r.EventID, &r.Email, &r.Name, &r.Organisation, &r.OrganisationID, &r.Status,
		&r.Position, &r.Token, &r.Present, &minutes, &checked, &r.CreatedAt)
	if minutes.Valid {
		m := int(minutes.Int64)
		r.Minutes = &m
	}
	if checked.Valid {
		t := checked.Time.UTC()
		r.CheckedInAt = &t
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

func queryRegistrations(ctx context.Context, q store.Querier, where string, args ...any) ([]Registration, error) {
	rows, err := q.QueryContext(ctx, selectRegistration+" WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read registrations: %w", err)
	}
	defer rows.Close()
	var out []Registration
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Register registers a person to event eventID: confirmed while seats
// remain, on the waiting list otherwise, with the next position. The same
// email twice (while the first registration stands) is ErrAlreadyRegistered.
// The person receives a confirmation with an .ics invitation, or a
// waitlist notice.
func (s *Service) Register(ctx context.Context, eventID int64, in RegistrationInput, actor access.Actor) (Registration, error) {
	e, err := s.visible(ctx, s.db, eventID, actor)
	if err != nil {
		return Registration{}, err
	}
	if in, err = normaliseRegistration(in); err != nil {
		return Registration{}, err
	}
	if !s.now().Before(e.Deadline) {
		return Registration{}, access.Errorf(access.Conflict, "les inscriptions à cet événement sont closes depuis le %s", fmtTime(e.Deadline))
	}
	var orgID any
	if actor.SignedIn() && actor.OrganisationID != 0 {
		orgID = actor.OrganisationID
	}
	var userID any
	if actor.SignedIn() {
		userID = actor.UserID
	}
	var reg Registration
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockEvent(ctx, tx, s.db.Dialect(), eventID); err != nil {
			return err
		}
		var taken, confirmed, last int
		err := tx.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN email = $2 AND status <> 'cancelled' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0),
			coalesce(max(position), 0)
			FROM event_registrations WHERE event_id = $1`, eventID, in.Email).Scan(&taken, &confirmed, &last)
		if err != nil {
			return err
		}
		if taken > 0 {
			return ErrAlreadyRegistered
		}
		var capacity int
		if err := tx.QueryRowContext(ctx, `SELECT capacity FROM events WHERE id = $1`, eventID).Scan(&capacity); err != nil {
			return err
		}
		status, position := Confirmed, any(nil)
		if confirmed >= capacity {
			status, position = Waitlisted, last+1
		}
		now := s.now()
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO event_registrations (event_id, email, name, organisation, organisation_id, user_id,
			status, position, token, consent, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			eventID, in.Email, in.Name, in.Organisation, orgID, userID, string(status), position, newToken(), in.Consent, now).Scan(&id)
		if store.IsUniqueViolation(err) {
			return ErrAlreadyRegistered
		}
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "event.registered", Subject: fmt.Sprintf("event:%d", eventID),
			Details: map[string]any{"registration": id, "status": string(status)}}); err != nil {
			return err
		}
		list, err := queryRegistrations(ctx, tx, "id = $1", id)
		if err != nil {
			return err
		}
		reg = list[0]
		if status == Confirmed {
			return s.tellConfirmed(ctx, tx, e, reg, "confirm")
		}
		return s.tellWaitlisted(ctx, tx, e, reg)
	})
	return reg, err
}

// ByToken returns the registration of a registrant's link and its event.
func (s *Service) ByToken(ctx context.Context, token string) (Registration, Event, error) {
	if token == "" || len(token) > 64 {
		return Registration{}, Event{}, store.NotFound("registration")
	}
	list, err := queryRegistrations(ctx, s.db, "token = $1", token)
	if err != nil {
		return Registration{}, Event{}, err
	}
	if len(list) == 0 {
		return Registration{}, Event{}, store.NotFound("registration")
	}
	e, err := getEvent(ctx, s.db, list[0].EventID)
	return list[0], e, err
}

// Registrations lists the registrations of an event for staff: confirmed
// first, then the waiting list in order, then the cancelled.
func (s *Service) Registrations(ctx context.Context, eventID int64, actor access.Actor) ([]Registration, error) {
	if _, err := s.staffEvent(ctx, eventID, actor); err != nil {
		return nil, err
	}
	return queryRegistrations(ctx, s.db, `event_id = $1 ORDER BY CASE status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END,
		coalesce(position, 0), lower(name), id`, eventID)
}

// Cancel cancels registration id, by staff or by the registrant with the
// token of their link (token "" for staff). A confirmed seat freed before
// the deadline goes at once to the first on the waiting list, who is told
// by email. Cancelling again does nothing.
func (s *Service) Cancel(ctx context.Context, id int64, token string, actor access.Actor) error {
	list, err := queryRegistrations(ctx, s.db, "id = $1", id)
	if err != nil {
		return err
	}
	if len(list) == 0 || token != "" && list[0].Token != token {
		return store.NotFound("registration %d", id)
	}
	r := list[0]
	if token == "" {
		if _, err := s.staffEvent(ctx, r.EventID, actor); err != nil {
			if access.CodeOf(err) == access.Forbidden {
				return store.NotFound("registration %d", id)
			}
			return err
		}
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockEvent(ctx, tx, s.db.Dialect(), r.EventID); err != nil {
			return err
		}
		var status Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM event_registrations WHERE id = $1`, id).Scan(&status); err != nil {
			return err
		}
		if status == Cancelled {
			return nil
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE event_registrations SET status = 'cancelled', cancelled_at = $1, updated_at = $1
			WHERE id = $2 AND status <> 'cancelled'`, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "event.cancelled", Subject: fmt.Sprintf("event:%d", r.EventID),
			Details: map[string]any{"registration": id, "by_link": token != ""}}); err != nil {
			return err
		}
		e, err := getEvent(ctx, tx, r.EventID)
		if err != nil {
			return err
		}
		if err := s.tellCancelled(ctx, tx, e, r); err != nil {
			return err
		}
		_, err = s.promote(ctx, tx, r.EventID, actor)
		return err
	})
}

// promote confirms the first ones of the waiting list while seats remain,
// until the registration deadline, inside tx which holds the event's lock.
// It returns how many it promoted.
func (s *Service) promote(ctx context.Context, tx *sql.Tx, eventID int64, actor access.Actor) (int, error) {
	e, err := getEvent(ctx, tx, eventID)
	if err != nil {
		return 0, err
	}
	now := s.now()
	if !now.Before(e.Deadline) || e.Seats() == 0 || e.Waitlisted == 0 {
		return 0, nil
	}
	next, err := queryRegistrations(ctx, tx, fmt.Sprintf("event_id = $1 AND status = 'waitlisted' ORDER BY position LIMIT %d", e.Seats()), eventID)
	if err != nil {
		return 0, err
	}
	for _, r := range next {
		res, err := tx.ExecContext(ctx, `UPDATE event_registrations SET status = 'confirmed', promoted_at = $1, updated_at = $1
			WHERE id = $2 AND status = 'waitlisted'`, now, r.ID)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return 0, errors.New("event: promoted registration changed under the lock")
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "event.promoted", Subject: fmt.Sprintf("event:%d", eventID),
			Details: map[string]any{"registration": r.ID, "position": r.Position}}); err != nil {
			return 0, err
		}
		r.Status = Confirmed
		if err := s.tellConfirmed(ctx, tx, e, r, "promote"); err != nil {
			return 0, err
		}
	}
	return len(next), nil
}
