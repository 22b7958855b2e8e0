package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// List is a newsletter list.
type List struct {
	ID          int64
	Name        string
	Description string
	Public      bool // offered on the site's form and on people's own pages
	DoubleOptIn bool // a form subscription waits for the emailed confirmation
	Subscribed  int  // subscribers confirmed (staff views)
	Pending     int  // awaiting their confirmation
	CreatedAt   time.Time
}

// ListInput is what creates a list.
type ListInput struct {
	Name, Description string
	Public            bool
	DoubleOptIn       bool
}

func (in ListInput) validate() error {
	var e valid.Errors
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		e.Add("name", "donnez un nom à la liste")
	case utf8.RuneCountInString(name) > 120 || !cleanText(name):
		e.Add("name", "le nom doit tenir en 120 caractères, sans caractère de contrôle")
	}
	if len(in.Description) > 2000 || !cleanText(in.Description) {
		e.Add("description", "la description doit tenir en 2 000 caractères, sans caractère de contrôle")
	}
	return e.Err()
}

// cleanText reports whether s is valid UTF-8 without NUL or other control
// characters but line breaks and tabs.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}

// CreateList makes a list.
func (s *Service) CreateList(ctx context.Context, in ListInput, actor access.Actor) (List, error) {
	if err := staffOnly(actor); err != nil {
		return List{}, err
	}
	if err := in.validate(); err != nil {
		return List{}, err
	}
	now := s.now()
	l := List{Name: strings.TrimSpace(in.Name), Description: strings.TrimSpace(in.Description), Public: in.Public, DoubleOptIn: in.DoubleOptIn, CreatedAt: now}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO newsletter_lists (name, description, public, double_opt_in, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (name) DO NOTHING RETURNING id`, l.Name, l.Description, l.Public, l.DoubleOptIn, now).Scan(&l.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return fieldErr("name", "une liste porte déjà ce nom")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.list_created", Subject: fmt.Sprintf("newsletter_list:%d", l.ID),
			Details: map[string]any{"public": l.Public, "double_opt_in": l.DoubleOptIn}})
	})
	return l, err
}

const listColumns = `l.id, l.name, l.description, l.public, l.double_opt_in, l.created_at,
	(SELECT count(*) FROM subscriptions x WHERE x.list_id = l.id AND x.status = 'subscribed'),
	(SELECT count(*) FROM subscriptions x WHERE x.list_id = l.id AND x.status = 'pending')`

func scanList(row interface{ Scan(...any) error }) (List, error) {
	var l List
	err := row.Scan(&l.ID, &l.Name, &l.Description, &l.Public, &l.DoubleOptIn, &l.CreatedAt, &l.Subscribed, &l.Pending)
	return l, err
}

// Lists returns the lists actor may see, by name: staff all, others the
// public ones (without their counts).
func (s *Service) Lists(ctx context.Context, actor access.Actor) ([]List, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+listColumns+` FROM newsletter_lists l WHERE l.public OR $1 ORDER BY l.name`, actor.Staff())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []List
	for rows.Next() {
		l, err := scanList(rows)
		if err != nil {
			return nil, err
		}
		if !actor.Staff() {
			l.Subscribed, l.Pending = 0, 0
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// GetList returns list id if actor may see it.
func (s *Service) GetList(ctx context.Context, id int64, actor access.Actor) (List, error) {
	l, err := getList(ctx, s.db, id)
	if err == nil && !mayViewList(actor, l) {
		err = store.NotFound("newsletter list %d", id)
	}
	return l, err
}

func getList(ctx context.Context, q store.Querier, id int64) (List, error) {
	l, err := scanList(q.QueryRowContext(ctx, `SELECT `+listColumns+` FROM newsletter_lists l WHERE l.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return List{}, store.NotFound("newsletter list %d", id)
	}
	return l, err
}

// checkEmail validates an address as a person types it.
func checkEmail(e *valid.Errors, field, email string) string {
	email = normEmail(email)
	switch {
	case email == "":
		e.Add(field, "indiquez une adresse électronique")
	case len(email) > 254 || !utf8.ValidString(email) || strings.ContainsAny(email, " <>\"\x00,;"):
		e.Add(field, "cette adresse électronique n’est pas valide")
	default:
		a, err := mail.ParseAddress(email)
		if err != nil || a.Address != email || !strings.Contains(email[strings.IndexByte(email, '@')+1:], ".") {
			e.Add(field, "cette adresse électronique n’est pas valide")
		}
	}
	return email
}

// checkName validates a person's name (optional).
func checkName(e *valid.Errors, field, name string) string {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 200 || !cleanText(name) || strings.ContainsAny(name, "\r\n") {
		e.Add(field, "le nom doit tenir en 200 caractères, sur une ligne")
	}
	return name
}

// subscriberID returns the id of the subscriber of email through q,
// creating them (name and organisation kept when given) when new.
func (s *Service) subscriberID(ctx context.Context, q store.Querier, email, name string, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO subscribers (email, name, created_at, updated_at) VALUES ($1, $2, $3, $3)
		ON CONFLICT (email) DO UPDATE SET name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE subscribers.name END
		RETURNING id`, email, name, now).Scan(&id)
	return id, err
}

// setTracking records a person's answer to the measure of opens and clicks,
// with the text they were shown.
func setTracking(ctx context.Context, q store.Querier, id int64, consent bool, now time.Time) error {
	text := ""
	var at any
	if consent {
		text, at = TrackingConsent, now
	}
	_, err := q.ExecContext(ctx, `UPDATE subscribers SET tracking_consent = $2, tracking_consent_at = $3, tracking_consent_text = $4, updated_at = $5
		WHERE id = $1 AND tracking_consent <> $2`, id, consent, at, text, now)
	return err
}

// suppressed reports whether email is on the suppression list.
func suppressed(ctx context.Context, q store.Querier, email string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM newsletter_suppressions WHERE email = $1`, email).Scan(&n)
	return n > 0, err
}

// suppress puts email on the suppression list (the first reason stays).
func suppress(ctx context.Context, q store.Querier, email, reason, detail string, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO newsletter_suppressions (email, reason, detail, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (email) DO NOTHING`, email, reason, truncate(detail, 500), now)
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Suppression is an address no import brings back.
type Suppression struct {
	Email, Reason, Detail string
	At                    time.Time
}

// Suppressions lists the suppression list, newest first, at most limit.
func (s *Service) Suppressions(ctx context.Context, limit int, actor access.Actor) ([]Suppression, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`SELECT email, reason, detail, created_at FROM newsletter_suppressions ORDER BY created_at DESC, email LIMIT %d`, max(1, limit)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Suppression
	for rows.Next() {
		var x Suppression
		if err := rows.Scan(&x.Email, &x.Reason, &x.Detail, &x.At); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
