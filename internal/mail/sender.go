package mail

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"vivier/internal/store"
)

// Options tune a Sender. The zero value gives the defaults.
type Options struct {
	DB        *store.DB // whose outbox is sent
	Transport Transport // how messages leave: SMTP, or a log when no relay is set
	// Name identifies this sender in the outbox's locked_by column; it must
	// differ between instances. Default: host name, process id and a random
	// suffix.
	Name string
	// BatchSize bounds how many messages one claim takes (default 10).
	BatchSize int
	// PollInterval is how often the outbox is checked when nobody calls
	// Notify (default 5 s).
	PollInterval time.Duration
	// SendTimeout bounds one Transport.Send (default 30 s).
	SendTimeout time.Duration
	// Lease is how long a claim holds its messages (default 5 min). A
	// sender that stops without releasing them (a crash) delays them by at
	// most this much; another sender then takes them over.
	Lease time.Duration
	// MaxAttempts is how many attempts a message gets before it is marked
	// failed (default 8: about four hours of retries).
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the wait before a retry: MinBackoff
	// after the first failure, doubling after each, at most MaxBackoff
	// (defaults 1 min and 1 h), each with ±20 % jitter so that instances
	// that failed together do not retry together.
	MinBackoff, MaxBackoff time.Duration
	// Retention is how long sent and failed messages are kept before Run
	// deletes them (default 90 days; negative: never).
	Retention time.Duration
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
	// Logger receives one line per failure (nil discards them).
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		o.Name = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&o.PollInterval, 5*time.Second)
	set(&o.SendTimeout, 30*time.Second)
	set(&o.Lease, 5*time.Minute)
	// A lease shorter than two sends would be handed back before use.
	o.Lease = max(o.Lease, 2*o.SendTimeout)
	set(&o.MinBackoff, time.Minute)
	set(&o.MaxBackoff, time.Hour)
	if o.Retention == 0 {
		o.Retention = 90 * 24 * time.Hour
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 10
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Sender sends the outbox's due messages in the background. Several senders
// — one per `vivier serve` instance — may share one database: a claim is a
// single UPDATE that takes only unleased messages, so no two senders hold
// one message at the same time.
type Sender struct {
	db        *store.DB
	transport Transport
	opts      Options
	wake      chan struct{}
}

// NewSender returns a sender of the outbox of opts.DB through opts.Transport.
func NewSender(opts Options) *Sender {
	return &Sender{db: opts.DB, transport: opts.Transport, opts: opts.withDefaults(), wake: make(chan struct{}, 1)}
}

// Name is the lease holder name of s.
func (s *Sender) Name() string { return s.opts.Name }

// Notify wakes Run to look at the outbox now rather than at the next poll.
// Call it after committing a transaction that enqueued a message. It never
// blocks.
func (s *Sender) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends due messages until ctx ends, then returns nil. A send in flight
// when ctx ends is interrupted; that message and the claimed ones not yet
// tried are released for the next sender (or, if the release cannot be
// written, taken over when their lease expires). A message the SMTP server
// accepted just before the interruption may therefore be sent again: at
// least once, never lost. Run also deletes old messages (see Retention).
func (s *Sender) Run(ctx context.Context) error {
	purge := time.NewTicker(24 * time.Hour)
	defer purge.Stop()
	s.purgeOld(ctx)
	for {
		n, err := s.SendDue(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			s.opts.Logger.Error("outbox: sending failed", "err", err)
		}
		if n == s.opts.BatchSize && err == nil {
			continue // more may be due
		}
		wait := time.NewTimer(s.opts.PollInterval)
		select {
		case <-ctx.Done():
			wait.Stop()
			return nil
		case <-s.wake:
		case <-wait.C:
		case <-purge.C:
			s.purgeOld(ctx)
		}
		wait.Stop()
	}
}

func (s *Sender) purgeOld(ctx context.Context) {
	if s.opts.Retention < 0 {
		return
	}
	n, err := s.Purge(ctx, s.opts.Now().Add(-s.opts.Retention))
	if err != nil {
		s.opts.Logger.Error("outbox: purge failed", "err", err)
	} else if n > 0 {
		s.opts.Logger.Info("outbox: old messages deleted", "count", n)
	}
}

// SendDue claims one batch of due messages, sends them and records each
// outcome; it returns how many it claimed. Run calls it in a loop; a CLI or
// a test may call it directly.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	batch, err := s.claim(ctx)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	for i, e := range batch {
		now := s.opts.Now().UTC()
		if ctx.Err() != nil || now.Add(s.opts.SendTimeout).After(e.leaseEnd) {
			// Stopping, or the lease would end during the send (another
			// sender could then take the message too): hand the rest back.
			return len(batch), s.release(ctx, batch[i:], true)
		}
		err := s.sendOne(ctx, e.Envelope)
		if err != nil && ctx.Err() != nil {
			// Interrupted: the server may or may not have the message.
			return len(batch), errors.Join(s.release(ctx, batch[i:i+1], false), s.release(ctx, batch[i+1:], true))
		}
		// Recorded even when stopping: a message the server accepted must
		// be marked sent if at all possible, to avoid a duplicate.
		recordCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		err = s.record(recordCtx, e.Envelope, err)
		cancel()
		if err != nil {
			return len(batch), errors.Join(err, s.release(ctx, batch[i+1:], true))
		}
	}
	return len(batch), nil
}

func (s *Sender) sendOne(ctx context.Context, e Envelope) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.SendTimeout)
	defer cancel()
	return s.transport.Send(ctx, e)
}

// claimed is a message this sender holds a lease on.
type claimed struct {
	Envelope
	leaseEnd time.Time
}

// claim takes up to BatchSize due, unleased messages, counting an attempt
// for each. The WHERE clause is repeated outside the subquery: on
// PostgreSQL a concurrent claim that locked a row first makes this UPDATE
// re-check the row's new version and skip it (and SKIP LOCKED lets it pick
// other rows rather than wait); on SQLite writers are serialised.
func (s *Sender) claim(ctx context.Context) ([]claimed, error) {
	now := s.opts.Now().UTC()
	until := now.Add(s.opts.Lease)
	const due = `status = 'pending' AND next_attempt_at <= $3 AND (locked_until IS NULL OR locked_until <= $3)`
	var batch []claimed
	// A transaction because the UPDATE … RETURNING must run on the writer
	// connection, and its rows be read before the next statement.
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		batch = batch[:0]
		rows, err := tx.QueryContext(ctx, `
			UPDATE outbox SET locked_by = $1, locked_until = $2, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox WHERE `+due+` ORDER BY next_attempt_at, id LIMIT $4`+s.db.Dialect().SkipLocked()+`)
			AND `+due+`
			RETURNING id, created_at, attempts, to_address, subject, text_body, html_body, attachments`,
			s.opts.Name, until, now, s.opts.BatchSize)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := claimed{leaseEnd: until}
			var files string
			if err := rows.Scan(&c.ID, &c.CreatedAt, &c.Attempt, &c.To, &c.Subject, &c.Text, &c.HTML, &files); err != nil {
				return err
			}
			if c.Attachments, err = decodeAttachments(files); err != nil {
				return err
			}
			c.CreatedAt = c.CreatedAt.UTC()
			batch = append(batch, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox messages: %w", err)
	}
	// RETURNING order is unspecified: keep the oldest first.
	slices.SortFunc(batch, func(a, b claimed) int { return cmp.Compare(a.ID, b.ID) })
	return batch, nil
}

// release hands messages back for an immediate new attempt. untried ones
// get their claimed attempt back. It runs even when ctx has ended.
func (s *Sender) release(ctx context.Context, batch []claimed, untried bool) error {
	if len(batch) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	ids := make([]string, len(batch))
	for i, c := range batch {
		ids[i] = fmt.Sprint(c.ID)
	}
	back := 0
	if untried {
		back = 1
	}
	_, err := s.db.ExecContext(ctx, `
		UPDATE outbox SET locked_by = NULL, locked_until = NULL, attempts = attempts - $2
		WHERE locked_by = $1 AND status = 'pending' AND id IN (`+strings.Join(ids, ",")+`)`,
		s.opts.Name, back)
	if err != nil {
		return fmt.Errorf("release outbox messages: %w", err)
	}
	return nil
}

// record writes the outcome of one attempt: sent, retry later, or failed.
func (s *Sender) record(ctx context.Context, e Envelope, sendErr error) error {
	now := s.opts.Now().UTC()
	if sendErr == nil {
		// Whoever holds the lease now, the message went out.
		_, err := s.db.ExecContext(ctx, `
			UPDATE outbox SET status = 'sent', sent_at = $2, last_error = '', locked_by = NULL, locked_until = NULL
			WHERE id = $1`, e.ID, now)
		if err != nil {
			return fmt.Errorf("mark email %d sent: %w", e.ID, err)
		}
		return nil
	}
	msg := sendErr.Error()
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	status, next := Pending, now.Add(s.backoff(e.Attempt))
	if IsPermanent(sendErr) || e.Attempt >= s.opts.MaxAttempts {
		status, next = Failed, now
	}
	s.opts.Logger.Warn("outbox: email not sent", "outbox_id", e.ID, "to", e.To, "attempt", e.Attempt,
		"status", status, "retry_at", next, "err", msg)
	// Only the lease holder records a failure: if the lease was taken over,
	// the new holder's attempt decides.
	_, err := s.db.ExecContext(ctx, `
		UPDATE outbox SET status = $3, last_error = $4, next_attempt_at = $5, locked_by = NULL, locked_until = NULL
		WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
		e.ID, s.opts.Name, string(status), msg, next)
	if err != nil {
		return fmt.Errorf("record failure of email %d: %w", e.ID, err)
	}
	return nil
}

// backoff is the wait after the attempt-th failure.
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.opts.MinBackoff
	for i := 1; i < attempt && d < s.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.opts.MaxBackoff)
	jitter := 0.8 + 0.4*mrand.Float64()
	return time.Duration(float64(d) * jitter)
}

// Purge deletes the sent and failed messages created before cutoff — emails
// hold personal data — and returns how many it deleted. Pending messages are
// never deleted.
func (s *Sender) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM outbox WHERE status <> 'pending' AND created_at < $1`, cutoff.UTC())
	if err != nil {
		return 0, fmt.Errorf("purge outbox: %w", err)
	}
	return res.RowsAffected()
}

// Retry puts a failed message back in the queue for a new round of
// attempts, e.g. after an administrator fixed the SMTP settings. It returns
// an error wrapping store.ErrNotFound when no failed message has that id.
func Retry(ctx context.Context, q store.Querier, id int64, now time.Time) error {
	res, err := q.ExecContext(ctx, `
		UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, locked_by = NULL, locked_until = NULL
		WHERE id = $1 AND status = 'failed'`, id, now.UTC())
	if err != nil {
		return fmt.Errorf("retry email %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return store.NotFound("failed email %d", id)
	}
	return nil
}
