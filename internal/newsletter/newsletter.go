// Package newsletter runs the federation's newsletters: lists and their
// subscribers with the proof of each consent (double opt-in by an emailed,
// expiring link; a separate consent to the measure of opens and clicks),
// the suppression list, imports and exports, campaigns written in Markdown
// and rendered as accessible email, the high-volume send pipeline (Sender),
// RFC 8058 one-click unsubscribe, bounces and complaints, and honest
// figures: hits classified human or machine (package track), rates that
// count readers, with the naive rate beside them.
//
// Who may do what is in access.go. Tokens in links (confirmation,
// preferences, unsubscribe, tracking) are signed with a key kept in the
// settings table, so they are unguessable without being stored.
package newsletter

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Service reads and writes lists, subscribers, campaigns and their figures.
type Service struct {
	db      *store.DB
	baseURL string
	from    string // the sender of campaigns, "Name <address>"
	domain  string // the right-hand side of Message-IDs
	secret  string // the bounce webhook's shared secret; "" turns it off
	now     func() time.Time
	logger  *slog.Logger
	notify  func() // wakes the outbox sender after a confirmation email
	key     keyCache
	hits    *hitBuffer
	metrics *Metrics
	renders renderCache
	cards   CardSource
}

// Options are what the service needs.
type Options struct {
	DB *store.DB
	// BaseURL is the public address of the site, for the links of emails.
	BaseURL string
	// From is the sender of campaigns ("" is mail.DefaultFrom).
	From string
	// WebhookSecret authenticates the relay's bounce reports; "" refuses
	// every report.
	WebhookSecret string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives the pipeline's and the tracker's failures.
	Logger *slog.Logger
	// Notify wakes the outbox's sender after an email was enqueued; nil
	// when none runs.
	Notify func()
	// Cards finds the events and publications that a campaign's blocks
	// name by their number; nil refuses such blocks.
	Cards CardSource
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.Default()
	}
	from, err := mail.ParseFrom(o.From)
	if err != nil {
		from, _ = mail.ParseFrom("")
	}
	s := &Service{db: o.DB, baseURL: strings.TrimRight(o.BaseURL, "/"), from: from.String(), secret: o.WebhookSecret,
		now: func() time.Time { return now().UTC() }, logger: logger, notify: o.Notify, cards: o.Cards,
		metrics: newMetrics()}
	s.domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	s.hits = newHitBuffer()
	return s
}

// keyCache holds the signing key once read.
type keyCache struct {
	mu  sync.Mutex
	key []byte
}

const keySetting = "newsletter.signing_key"

// signingKey returns the key that signs the tokens of links, made and
// stored on first use (the first writer wins when instances race).
func (s *Service) signingKey(ctx context.Context) ([]byte, error) {
	s.key.mu.Lock()
	defer s.key.mu.Unlock()
	if s.key.key != nil {
		return s.key.key, nil
	}
	v, ok, err := store.Setting(ctx, s.db, keySetting)
	if err != nil {
		return nil, err
	}
	if !ok {
		b := make([]byte, 32)
		rand.Read(b)
		fresh := base64.RawStdEncoding.EncodeToString(b)
		if _, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
			keySetting, fresh, s.now()); err != nil {
			return nil, err
		}
		if v, _, err = store.Setting(ctx, s.db, keySetting); err != nil {
			return nil, err
		}
	}
	key, err := base64.RawStdEncoding.DecodeString(v)
	if err != nil || len(key) < 16 {
		return nil, errors.New("newsletter: the stored signing key is malformed")
	}
	s.key.key = key
	return key, nil
}

// sign returns the token of payload: payload, a dot, and its MAC.
func (s *Service) sign(ctx context.Context, payload string) (string, error) {
	key, err := s.signingKey(ctx)
	if err != nil {
		return "", err
	}
	return payload + "." + mac(key, payload), nil
}

func mac(key []byte, payload string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// verify returns the payload of token when its MAC is right and it starts
// with kind.
func (s *Service) verify(ctx context.Context, token, kind string) (string, bool) {
	if len(token) > 200 {
		return "", false
	}
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || !strings.HasPrefix(payload, kind) {
		return "", false
	}
	key, err := s.signingKey(ctx)
	if err != nil {
		return "", false
	}
	return payload, hmac.Equal([]byte(sig), []byte(mac(key, payload)))
}

// ids reads the numbers of a payload "k1-2-3" after its kind.
func ids(payload, kind string, n int) ([]int64, bool) {
	parts := strings.Split(strings.TrimPrefix(payload, kind), "-")
	if len(parts) != n {
		return nil, false
	}
	out := make([]int64, n)
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 36, 64)
		if err != nil || v < 0 {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

func b36(n int64) string { return strconv.FormatInt(n, 36) }

// messageToken is the token of a campaign message's links.
func (s *Service) messageToken(ctx context.Context, id int64) (string, error) {
	return s.sign(ctx, "m"+b36(id))
}

// messageOf returns the message id of a valid message token.
func (s *Service) messageOf(ctx context.Context, token string) (int64, bool) {
	p, ok := s.verify(ctx, token, "m")
	if !ok {
		return 0, false
	}
	v, ok := ids(p, "m", 1)
	if !ok {
		return 0, false
	}
	return v[0], true
}

// subscriberToken is the token of a subscriber's preferences page.
func (s *Service) subscriberToken(ctx context.Context, id int64) (string, error) {
	return s.sign(ctx, "s"+b36(id))
}

// fieldErr is one validation error.
func fieldErr(field, format string, args ...any) error {
	var e valid.Errors
	e.Add(field, format, args...)
	return e
}

// rowsAffected returns how many rows res changed.
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// normEmail is an address as stored: trimmed, lower case.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
