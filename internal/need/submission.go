package need

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/mail"
	"vivier/internal/ratelimit"
)

// The public form is open to anyone, and each submission sends an email to
// the address typed in it. So that it cannot be used to send email to
// anyone, nor flood the coordinators' queue:
//   - a submission is checked like any need, then kept apart (table
//     need_submissions) and a link is emailed to its address; the need enters
//     the queue only when that link is followed (Confirm), so only from an
//     address its sender reads;
//   - the confirmation email quotes nothing the sender typed: its subject
//     is fixed, its text names the commune and the dates from the reference
//     and the calendar, never the title or the description;
//   - submissions are limited per source address and per recipient
//     (SubmissionsPerSource, SubmissionsPerRecipient);
//   - an unconfirmed submission is deleted after SubmissionLifetime
//     (ExpireSubmissions, run hourly); the coordinators' dashboard counts
//     those waiting (Unconfirmed).

// SubmissionLifetime is how long a confirmation link stays valid.
const SubmissionLifetime = 7 * 24 * time.Hour

// The limits of the public form.
var (
	SubmissionsPerSource    = ratelimit.Limit{Max: 5, Window: time.Hour}
	SubmissionsPerRecipient = ratelimit.Limit{Max: 3, Window: 24 * time.Hour}
)

// Submission is a need submitted through the public form and waiting for
// the confirmation of its email address.
type Submission struct {
	ID          int64
	Email       string
	CommuneName string
	Window      string // « du 4 janvier 2027 au 26 mars 2027 »
	ExpiresAt   time.Time
}

// ErrSubmissionLink is a confirmation link that is unknown, used or expired.
var ErrSubmissionLink = errors.New("ce lien de confirmation n’est plus valable")

// ConfirmData is what the need_confirm email template reads: nothing the
// sender typed.
type ConfirmData struct {
	Place, Window, URL string
	Expires            time.Time
}

// Submit checks a need from the public form, where the contact is
// required, keeps it apart and emails its address a link to confirm it.
// Anyone may submit a need, within the limits per source address and per
// recipient (an access.TooMany error beyond them).
func (s *Service) Submit(ctx context.Context, in Input, actor access.Actor) (Submission, error) {
	in, errs, err := s.checkSubmission(ctx, in)
	if err != nil {
		return Submission{}, err
	}
	if err := errs.Err(); err != nil {
		return Submission{}, err
	}
	data, err := json.Marshal(in)
	if err != nil {
		return Submission{}, err
	}
	token := newSecret()
	now := s.now()
	place, _ := s.geo.Commune(in.Commune)
	sub := Submission{Email: in.Contact.Email, CommuneName: place.Name, Window: window(in), ExpiresAt: now.Add(SubmissionLifetime)}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := ratelimit.Hit(ctx, tx, "need-source:"+source(actor), SubmissionsPerSource, now,
			"Plusieurs besoins ont déjà été déposés depuis votre connexion : réessayez dans une heure."); err != nil {
			return err
		}
		if err := ratelimit.Hit(ctx, tx, "need-recipient:"+sub.Email, SubmissionsPerRecipient, now,
			"Cette adresse a déjà reçu plusieurs demandes de confirmation aujourd’hui : suivez le lien reçu, ou réessayez demain."); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO need_submissions (token_hash, contact_email, input, consent, ip, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, hashSecret(token), sub.Email, string(data), in.ConsentWording, actor.IP, now, sub.ExpiresAt).Scan(&sub.ID)
		if err != nil {
			return fmt.Errorf("keep submission: %w", err)
		}
		m, err := mail.Compose(sub.Email, "need-confirm:"+hashSecret(token), "need_confirm",
			ConfirmData{Place: sub.CommuneName, Window: sub.Window, URL: s.baseURL + "/confirmer-besoin/" + token, Expires: sub.ExpiresAt})
		if err != nil {
			return err
		}
		if err := mail.Enqueue(ctx, tx, m); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "need.submission", Subject: fmt.Sprintf("need_submission:%d", sub.ID)})
	})
	return sub, err
}

// source is who submits, for the limit per source: the account of a
// signed-in person, else the address.
func source(actor access.Actor) string {
	if actor.UserID != 0 {
		return fmt.Sprintf("user:%d", actor.UserID)
	}
	return "ip:" + actor.IP
}

func window(in Input) string { return "du " + fr.Date(in.Start) + " au " + fr.Date(in.End) }

// Submission returns the submission waiting behind a confirmation link,
// for the page that asks to confirm it (a click: mail scanners that open
// links must not confirm).
func (s *Service) Submission(ctx context.Context, token string) (Submission, error) {
	var sub Submission
	var data string
	if token == "" || len(token) > 100 {
		return sub, ErrSubmissionLink
	}
	err := s.db.QueryRowContext(ctx, `SELECT id, contact_email, input, expires_at FROM need_submissions
		WHERE token_hash = $1 AND expires_at > $2 AND need_id IS NULL`,
		hashSecret(token), s.now()).Scan(&sub.ID, &sub.Email, &data, &sub.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, ErrSubmissionLink
	}
	if err != nil {
		return sub, err
	}
	var in Input
	if err := json.Unmarshal([]byte(data), &in); err != nil {
		return sub, fmt.Errorf("submission %d: %w", sub.ID, err)
	}
	place, _ := s.geo.Commune(in.Commune)
	sub.CommuneName, sub.Window = place.Name, window(in)
	return sub, nil
}

// Confirm turns the submission behind a confirmation link into a need of
// the coordinators' queue, as submitted, and emails the contact that it is
// received. The link is used up: from then on it leads to the need
// received (Receipt), and the submission forgets the contact it held.
func (s *Service) Confirm(ctx context.Context, token string, actor access.Actor) (Need, error) {
	if token == "" || len(token) > 100 {
		return Need{}, ErrSubmissionLink
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var data, consent string
		var subID int64
		err := tx.QueryRowContext(ctx, `SELECT id, input, consent FROM need_submissions
			WHERE token_hash = $1 AND expires_at > $2 AND need_id IS NULL`, hashSecret(token), s.now()).Scan(&subID, &data, &consent)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrSubmissionLink
		}
		if err != nil {
			return err
		}
		var in Input
		if err := json.Unmarshal([]byte(data), &in); err != nil {
			return fmt.Errorf("submission %d: %w", subID, err)
		}
		in.ConsentWording = consent
		if id, err = s.create(ctx, tx, in, true, actor, "need.submit"); err != nil {
			return err
		}
		// Claimed here rather than read with a lock: of two clicks at
		// once, the second changes no row and its need is rolled back.
		res, err := tx.ExecContext(ctx, `UPDATE need_submissions SET need_id = $1, input = '{}', contact_email = '', ip = ''
			WHERE id = $2 AND need_id IS NULL`, id, subID)
		if err != nil {
			return fmt.Errorf("use submission %d: %w", subID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ErrSubmissionLink
		}
		n, err := get(ctx, tx, s.geo, id)
		if err != nil {
			return err
		}
		return s.confirm(ctx, tx, n)
	})
	if err != nil {
		return Need{}, err
	}
	return get(ctx, s.db, s.geo, id)
}

// Receipt returns the need that the confirmation link token created, for
// the page shown after confirming (and on every reload until the link
// expires): the holder of the link sent that need, so may read it back.
func (s *Service) Receipt(ctx context.Context, token string) (Need, error) {
	if token == "" || len(token) > 100 {
		return Need{}, ErrSubmissionLink
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT need_id FROM need_submissions WHERE token_hash = $1 AND expires_at > $2 AND need_id IS NOT NULL`,
		hashSecret(token), s.now()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Need{}, ErrSubmissionLink
	}
	if err != nil {
		return Need{}, err
	}
	return get(ctx, s.db, s.geo, id)
}

// Unconfirmed counts the submissions waiting for their confirmation, for
// the coordinators' dashboard.
func (s *Service) Unconfirmed(ctx context.Context, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM need_submissions WHERE expires_at > $1 AND need_id IS NULL`, s.now()).Scan(&n)
	return n, err
}

// ExpireSubmissions deletes the submissions whose link expired, with the
// contact they hold, and returns how many; the scheduler runs it hourly.
func (s *Service) ExpireSubmissions(ctx context.Context, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	var n int64
	now := s.now()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM need_submissions WHERE expires_at <= $1`, now)
		if err != nil {
			return err
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		if err := ratelimit.Purge(ctx, tx, now.Add(-SubmissionsPerRecipient.Window)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "need.submissions_expired", Subject: "need_submissions",
			Details: map[string]any{"count": n}})
	})
	return int(n), err
}

// newSecret returns a random secret of 256 bits for a link.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return strings.TrimRight(base32.StdEncoding.EncodeToString(b), "=")
}

func hashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
