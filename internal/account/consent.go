package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Consent is a consent a person gave, with the exact wording they saw.
type Consent struct {
	ID          int64      `json:"id"`
	Purpose     string     `json:"purpose"`
	Wording     string     `json:"wording"`
	GivenAt     time.Time  `json:"given_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

// Consent purposes.
const (
	ConsentPoolProfile = "pool.profile" // keeping an expert's profile in the pool
	ConsentNewsletter  = "newsletter"
)

// RecordConsent records, through q (the caller's transaction), that the user
// gave consent for purpose after reading wording.
func RecordConsent(ctx context.Context, q store.Querier, userID int64, purpose, wording, ip string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO consents (user_id, purpose, wording, given_at, ip) VALUES ($1, $2, $3, $4, $5)`,
		userID, purpose, wording, time.Now().UTC(), ip)
	if err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return nil
}

// WithdrawConsent dates the withdrawal of the user's live consents for
// purpose; the rows stay as proof of what was agreed and when.
func (s *Service) WithdrawConsent(ctx context.Context, userID int64, purpose string, client Client) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE consents SET withdrawn_at = $1 WHERE user_id = $2 AND purpose = $3 AND withdrawn_at IS NULL",
			s.now(), userID, purpose); err != nil {
			return err
		}
		return record(ctx, tx, client.actor(userID), "account.consent_withdrawn", userID, map[string]any{"purpose": purpose})
	})
}

// Consents lists the consents of actor's own account, oldest first.
func (s *Service) Consents(ctx context.Context, actor access.Actor) ([]Consent, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, purpose, wording, given_at, withdrawn_at FROM consents WHERE user_id = $1 ORDER BY given_at, id", actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("list consents: %w", err)
	}
	defer rows.Close()
	out := []Consent{}
	for rows.Next() {
		var c Consent
		var w sql.NullTime
		if err := rows.Scan(&c.ID, &c.Purpose, &c.Wording, &c.GivenAt, &w); err != nil {
			return nil, err
		}
		c.GivenAt = c.GivenAt.UTC()
		c.WithdrawnAt = timePtr(w)
		out = append(out, c)
	}
	return out, rows.Err()
}

// MailDigest reports whether actor chose one daily digest of the emails
// about proposals and missions rather than each at once.
func (s *Service) MailDigest(ctx context.Context, actor access.Actor) (bool, error) {
	var digest bool
	err := s.db.QueryRowContext(ctx, `SELECT mail_digest FROM users WHERE id = $1`, actor.UserID).Scan(&digest)
	if errors.Is(err, sql.ErrNoRows) {
		return false, store.NotFound("user %d", actor.UserID)
	}
	return digest, err
}

// SetMailDigest records actor's choice: one daily digest (true) or each
// email at once (false).
func (s *Service) SetMailDigest(ctx context.Context, digest bool, actor access.Actor) error {
	if !actor.SignedIn() {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET mail_digest = $1, updated_at = $2 WHERE id = $3`, digest, now, actor.UserID); err != nil {
			return err
		}
		return record(ctx, tx, actor, "account.mail_preference", actor.UserID, map[string]any{"digest": digest})
	})
}
