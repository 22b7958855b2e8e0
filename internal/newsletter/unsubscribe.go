package newsletter

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/store"
)

// Leaving is what the unsubscribe page of a message shows.
type Leaving struct {
	Email, Subject string
	Lists          []string // the campaign's lists the person receives
	Done           bool     // already unsubscribed through this message
	Preferences    string   // the token of their preferences page
}

// messageOfToken reads a message token, « not found » when bad.
func (s *Service) messageOfToken(ctx context.Context, token string) (int64, error) {
	id, ok := s.messageOf(ctx, token)
	if !ok {
		return 0, store.NotFound("unsubscribe link")
	}
	return id, nil
}

// LeavingOf returns what the unsubscribe link of token would do.
func (s *Service) LeavingOf(ctx context.Context, token string, actor access.Actor) (Leaving, error) {
	id, err := s.messageOfToken(ctx, token)
	if err != nil {
		return Leaving{}, err
	}
	camp, sub, email, subject, err := s.messageByID(ctx, s.db, id)
	if err != nil {
		return Leaving{}, err
	}
	l := Leaving{Email: email, Subject: subject}
	var done sql.NullTime
	if err := s.db.QueryRowContext(ctx, `SELECT unsubscribed_at FROM campaign_messages WHERE id = $1`, id).Scan(&done); err != nil {
		return l, err
	}
	l.Done = done.Valid
	if l.Lists, err = column[string](ctx, s.db, `SELECT l.name FROM campaign_lists cl JOIN newsletter_lists l ON l.id = cl.list_id
		JOIN subscriptions x ON x.list_id = cl.list_id AND x.subscriber_id = $2 AND x.status = 'subscribed'
		WHERE cl.campaign_id = $1 ORDER BY l.name`, camp, sub); err != nil {
		return l, err
	}
	l.Preferences, err = s.subscriberToken(ctx, sub)
	return l, err
}

// Unsubscribe is RFC 8058's one-click unsubscribe: the person who received
// the message of token leaves the campaign's lists at once. The token is
// the proof: no account, cookie or form token is needed. A second use
// changes nothing and succeeds.
func (s *Service) Unsubscribe(ctx context.Context, token string, actor access.Actor) error {
	id, err := s.messageOfToken(ctx, token)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		camp, sub, _, _, err := s.messageByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = $3, updated_at = $3
			WHERE subscriber_id = $1 AND status <> 'unsubscribed' AND list_id IN (SELECT list_id FROM campaign_lists WHERE campaign_id = $2)`,
			sub, camp, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE campaign_messages SET unsubscribed_at = $2 WHERE id = $1 AND unsubscribed_at IS NULL`, id, now)
		return err
	})
}

// Event is one report of the relay about a message sent earlier.
type Event struct {
	Type      string // "hard", "soft", "complaint" or "unsubscribe"
	Email     string
	MessageID string // the Message-ID the relay saw, with or without <>
	Status    string // the enhanced status code, if any
	Detail    string
}

// ErrBadSecret refuses a bounce report without the shared secret.
var ErrBadSecret = access.Deny("secret du relais absent ou invalide")

// MaxEvents bounds one report.
const MaxEvents = 1000

// Report applies the relay's asynchronous reports (authenticated by the
// shared secret): a hard bounce or a complaint suppresses the address (a
// complaint also ends its subscriptions, as does an unsubscribe by mail),
// a soft bounce counts towards the three in a row that make a hard one.
// It returns how many events matched a known address.
func (s *Service) Report(ctx context.Context, secret string, events []Event, actor access.Actor) (int, error) {
	if s.secret == "" || !constantEqual(secret, s.secret) {
		return 0, ErrBadSecret
	}
	if len(events) > MaxEvents {
		return 0, fieldErr("events", "au plus %s événements par envoi", fr.Int(MaxEvents))
	}
	for i, e := range events {
		switch e.Type {
		case "hard", "soft", "complaint", "unsubscribe":
		default:
			return 0, fieldErr(fmt.Sprintf("events[%d].type", i), "type inconnu : hard, soft, complaint ou unsubscribe")
		}
		if e.Email == "" && e.MessageID == "" {
			return 0, fieldErr(fmt.Sprintf("events[%d].email", i), "donnez l’adresse ou le Message-ID")
		}
	}
	now := s.now()
	matched := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		matched = 0
		for _, e := range events {
			ok, err := s.applyEvent(ctx, tx, e, now)
			if err != nil {
				return err
			}
			if ok {
				matched++
			}
		}
		return nil
	})
	return matched, err
}

// applyEvent applies one event; false when it names nobody known.
func (s *Service) applyEvent(ctx context.Context, tx *sql.Tx, e Event, now time.Time) (bool, error) {
	var msg int64
	var camp int64
	email := normEmail(e.Email)
	if id := strings.Trim(strings.TrimSpace(e.MessageID), "<>"); id != "" {
		// vivier-lettre.<campaign>.<message>.<created>@domain
		var c, m int64
		if _, err := fmt.Sscanf(id, "vivier-lettre.%d.%d.", &c, &m); err == nil {
			var got string
			if err := tx.QueryRowContext(ctx, `SELECT email FROM campaign_messages WHERE id = $1 AND campaign_id = $2`, m, c).Scan(&got); err == nil {
				msg, camp, email = m, c, got
			}
		}
	}
	if email == "" {
		return false, nil
	}
	var sub int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM subscribers WHERE email = $1`, email).Scan(&sub); err == sql.ErrNoRows {
		return false, nil
	} else if err != nil {
		return false, err
	}
	detail := strings.TrimSpace(e.Status + " " + e.Detail)
	switch e.Type {
	case "hard":
		if msg != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'bounced', bounce = 'hard', smtp_status = $2, last_error = $3
				WHERE id = $1 AND status = 'sent'`, msg, truncate(e.Status, 20), truncate(detail, 500)); err != nil {
				return false, err
			}
		}
		return true, suppress(ctx, tx, email, "hard_bounce", "signalé par le relais : "+detail, now)
	case "soft":
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE subscribers SET soft_bounces = soft_bounces + 1 WHERE id = $1 RETURNING soft_bounces`, sub).Scan(&n); err != nil {
			return false, err
		}
		if n >= SoftBouncesMakeHard {
			return true, suppress(ctx, tx, email, "hard_bounce", "trois rejets temporaires de suite ; dernier signalé par le relais : "+detail, now)
		}
		return true, nil
	case "complaint":
		if msg != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET complained_at = $2 WHERE id = $1 AND complained_at IS NULL`, msg, now); err != nil {
				return false, err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = $2, updated_at = $2
			WHERE subscriber_id = $1 AND status <> 'unsubscribed'`, sub, now); err != nil {
			return false, err
		}
		return true, suppress(ctx, tx, email, "complaint", "plainte pour indésirable signalée par le relais", now)
	default: // unsubscribe, by the List-Unsubscribe mailto
		if msg != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = $3, updated_at = $3
				WHERE subscriber_id = $1 AND status <> 'unsubscribed' AND list_id IN (SELECT list_id FROM campaign_lists WHERE campaign_id = $2)`,
				sub, camp, now); err != nil {
				return false, err
			}
			_, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET unsubscribed_at = $2 WHERE id = $1 AND unsubscribed_at IS NULL`, msg, now)
			return true, err
		}
		_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = $2, updated_at = $2
			WHERE subscriber_id = $1 AND status <> 'unsubscribed'`, sub, now)
		return true, err
	}
}

func constantEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}
