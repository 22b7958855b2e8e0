package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// A subscriber's data (GDPR): what they may download — their address and
// name, the proof of each consent, the messages sent to them and every hit
// recorded on them — and its erasure. Erasure keeps the campaigns' figures
// (the messages and their aggregated engagement stay, without name or
// address) and deletes the raw hits (addresses and user agents). The
// address itself stays on the suppression list, where it only serves to
// honour the person's objection: without it, the next import of an old
// file would write to them again.

// erasedDomain ends the address left in place of an erased subscriber's.
const erasedDomain = "@efface.invalid"

// erasures counts erasures made by this process: the tracker's cache of
// messages is dropped when it changes, so that no hit is recorded on an
// erased person's message (other instances' caches are cleared of them by
// the daily retention pass, which deletes any hit on an erased message).
var erasures atomic.Int64

// PersonData is everything Vivier holds about one subscriber.
type PersonData struct {
	Email               string                 `json:"email"`
	Name                string                 `json:"name"`
	TrackingConsent     bool                   `json:"tracking_consent"`
	TrackingConsentAt   *time.Time             `json:"tracking_consent_at,omitempty"`
	TrackingConsentText string                 `json:"tracking_consent_text,omitempty"`
	CreatedAt           time.Time              `json:"created_at"`
	Suppressed          string                 `json:"suppressed,omitempty"` // the reason, when on the suppression list
	Subscriptions       []ExportedSubscription `json:"subscriptions"`
	Messages            []ExportedMessage      `json:"messages"`
	Hits                []ExportedHit          `json:"hits"`
}

// ExportedSubscription is one subscription and its proof of consent.
type ExportedSubscription struct {
	List           string     `json:"list"`
	Status         string     `json:"status"`
	Basis          string     `json:"basis"`
	Source         string     `json:"source"`
	ConsentText    string     `json:"consent_text"`
	ConsentAt      time.Time  `json:"consent_at"`
	ConsentIP      string     `json:"consent_ip,omitempty"`
	ConfirmedAt    *time.Time `json:"confirmed_at,omitempty"`
	UnsubscribedAt *time.Time `json:"unsubscribed_at,omitempty"`
}

// ExportedMessage is one campaign message sent to the person.
type ExportedMessage struct {
	Campaign string     `json:"campaign"`
	Status   string     `json:"status"`
	Tracked  bool       `json:"tracked"`
	SentAt   *time.Time `json:"sent_at,omitempty"`
}

// ExportedHit is one fetch of a message's pixel or links.
type ExportedHit struct {
	Campaign  string    `json:"campaign"`
	Link      int       `json:"link"` // -1: the open pixel
	At        time.Time `json:"at"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// personData reads what is held about subscriber id.
func personData(ctx context.Context, q store.Querier, id int64) (PersonData, error) {
	var p PersonData
	var at sql.NullTime
	var reason sql.NullString
	err := q.QueryRowContext(ctx, `SELECT s.email, s.name, s.tracking_consent, s.tracking_consent_at, s.tracking_consent_text, s.created_at, x.reason
		FROM subscribers s LEFT JOIN newsletter_suppressions x ON x.email = s.email WHERE s.id = $1`, id).
		Scan(&p.Email, &p.Name, &p.TrackingConsent, &at, &p.TrackingConsentText, &p.CreatedAt, &reason)
	if errors.Is(err, sql.ErrNoRows) || err == nil && isErased(p.Email) {
		return PersonData{}, store.NotFound("subscriber %d", id)
	}
	if err != nil {
		return p, err
	}
	p.TrackingConsentAt, p.CreatedAt, p.Suppressed = utcPtr(at), p.CreatedAt.UTC(), reason.String
	rows, err := q.QueryContext(ctx, `SELECT l.name, x.status, x.basis, x.source, x.consent_text, x.consent_at, x.consent_ip, x.confirmed_at, x.unsubscribed_at
		FROM subscriptions x JOIN newsletter_lists l ON l.id = x.list_id WHERE x.subscriber_id = $1 ORDER BY l.name`, id)
	if err != nil {
		return p, err
	}
	for rows.Next() {
		var x ExportedSubscription
		var confirmed, left sql.NullTime
		if err := rows.Scan(&x.List, &x.Status, &x.Basis, &x.Source, &x.ConsentText, &x.ConsentAt, &x.ConsentIP, &confirmed, &left); err != nil {
			rows.Close()
			return p, err
		}
		x.ConsentAt, x.ConfirmedAt, x.UnsubscribedAt = x.ConsentAt.UTC(), utcPtr(confirmed), utcPtr(left)
		p.Subscriptions = append(p.Subscriptions, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	rows, err = q.QueryContext(ctx, `SELECT c.subject, m.status, m.tracked, m.sent_at FROM campaign_messages m JOIN campaigns c ON c.id = m.campaign_id
		WHERE m.subscriber_id = $1 ORDER BY m.id`, id)
	if err != nil {
		return p, err
	}
	for rows.Next() {
		var m ExportedMessage
		var sent sql.NullTime
		if err := rows.Scan(&m.Campaign, &m.Status, &m.Tracked, &sent); err != nil {
			rows.Close()
			return p, err
		}
		m.SentAt = utcPtr(sent)
		p.Messages = append(p.Messages, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	rows, err = q.QueryContext(ctx, `SELECT c.subject, h.link_idx, h.at, h.ip, h.user_agent FROM newsletter_hits h
		JOIN campaign_messages m ON m.id = h.message_id JOIN campaigns c ON c.id = h.campaign_id
		WHERE m.subscriber_id = $1 ORDER BY h.at, h.id`, id)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var h ExportedHit
		if err := rows.Scan(&h.Campaign, &h.Link, &h.At, &h.IP, &h.UserAgent); err != nil {
			return p, err
		}
		h.At = h.At.UTC()
		p.Hits = append(p.Hits, h)
	}
	return p, rows.Err()
}

// DataOf returns what is held about the subscriber of a preferences token:
// the link to their page is the proof that the address is theirs.
func (s *Service) DataOf(ctx context.Context, token string, actor access.Actor) (PersonData, error) {
	id, err := s.subscriberOfToken(ctx, token)
	if err != nil {
		return PersonData{}, err
	}
	return personData(ctx, s.db, id)
}

// EraseOf erases the subscriber of a preferences token (GDPR right to
// erasure), at their request from their page.
func (s *Service) EraseOf(ctx context.Context, token string, actor access.Actor) error {
	id, err := s.subscriberOfToken(ctx, token)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := eraseSubscriber(ctx, tx, id, "effacement demandé par la personne", now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.subscriber_erased", Subject: fmt.Sprintf("subscriber:%d", id)})
	})
}

// eraseSubscriber puts subscriber id's address on the suppression list,
// then removes their identity: their address and name (on the subscriber
// and its messages), their subscriptions and proofs of consent, the raw
// hits of their messages. An erased subscriber is not found again.
func eraseSubscriber(ctx context.Context, tx *sql.Tx, id int64, detail string, now time.Time) error {
	var email string
	err := tx.QueryRowContext(ctx, `SELECT email FROM subscribers WHERE id = $1`, id).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) || err == nil && isErased(email) {
		return store.NotFound("subscriber %d", id)
	}
	if err != nil {
		return err
	}
	if err := suppress(ctx, tx, email, "unsubscribed", detail, now); err != nil {
		return err
	}
	gone := erasedAddress(id)
	if _, err := tx.ExecContext(ctx, `DELETE FROM newsletter_hits WHERE message_id IN (SELECT id FROM campaign_messages WHERE subscriber_id = $1)`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE subscriber_id = $1`, id); err != nil {
		return err
	}
	// A message still queued is never sent: there is no one to send it to.
	if _, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
		email = $2, name = '', last_error = '' WHERE subscriber_id = $1`, id, gone); err != nil {
		return err
	}
	n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE subscribers SET email = $2, name = '', organisation_id = NULL, tracking_consent = FALSE,
		tracking_consent_at = NULL, tracking_consent_text = '', updated_at = $3 WHERE id = $1`, id, gone, now))
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("erase subscriber %d: %d rows changed", id, n)
	}
	erasures.Add(1)
	return nil
}

func erasedAddress(id int64) string { return fmt.Sprintf("efface-%d%s", id, erasedDomain) }

func isErased(email string) bool {
	return len(email) > len(erasedDomain) && email[len(email)-len(erasedDomain):] == erasedDomain
}

// Privacy is the newsletters' part of the data of a person with an account
// (account.PersonalData): the subscriber with the account's address.
type Privacy struct{}

// ExportPerson returns, under "newsletters", what is held about the
// subscriber with the address of account userID; nil when there is none.
func (Privacy) ExportPerson(ctx context.Context, q store.Querier, userID int64) (string, any, error) {
	const section = "newsletters"
	id, err := subscriberOfAccount(ctx, q, userID)
	if err != nil || id == 0 {
		return section, nil, err
	}
	p, err := personData(ctx, q, id)
	if err != nil {
		return section, nil, err
	}
	return section, p, nil
}

// ErasePerson erases, inside the account's erasure transaction (before the
// account loses its address), the subscriber with the account's address.
func (Privacy) ErasePerson(ctx context.Context, tx *sql.Tx, userID int64) error {
	id, err := subscriberOfAccount(ctx, tx, userID)
	if err != nil || id == 0 {
		return err
	}
	return eraseSubscriber(ctx, tx, id, "effacement du compte", time.Now().UTC())
}

func subscriberOfAccount(ctx context.Context, q store.Querier, userID int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT s.id FROM subscribers s JOIN users u ON lower(u.email) = s.email WHERE u.id = $1`, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
