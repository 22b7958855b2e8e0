package newsletter

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"vivier/internal/mail"
)

// The send pipeline. Every instance runs a Sender; for each campaign that
// is sending, it materialises the messages a batch at a time (one row per
// recipient, the cursor on the campaign), claims a batch of queued messages
// with a lease, hands them to several SMTP connections kept open and
// pipelined, under one rate limit per relay, and records the outcomes in
// grouped transactions. Memory holds one batch, whatever the campaign's
// size.
//
// Delivery is at least once, exactly once in the normal case: a message is
// 'sending' from its claim until its outcome is recorded (within 100 ms of
// the relay's answer); a process killed in between leaves exactly those
// messages 'sending', and once their lease ends (Lease, renewed while the
// sender lives) any instance sends them again under the same Message-ID.
// A stopping sender finishes the sends in progress, records them and hands
// back the messages it had not tried. Instances share a campaign without
// sending a message twice: a claim takes only queued rows (on PostgreSQL
// with SKIP LOCKED), so no two instances hold one message.

// SenderOptions tune a Sender. The zero value gives the defaults.
type SenderOptions struct {
	// Relay is the SMTP relay (mail.SMTPConfig, as app.SMTP builds it);
	// without one (HasRelay false) messages are counted and logged, not
	// sent, as transactional emails are.
	Relay    mail.SMTPConfig
	HasRelay bool
	// Connections is how many SMTP connections send at once (default 4).
	Connections int
	// Rate bounds the messages per second handed to the relay (0: no bound).
	Rate float64
	// BatchSize is how many messages one claim (and one materialisation)
	// takes (default 500).
	BatchSize int
	// Lease is how long a claim holds its messages without renewal
	// (default 15 s): a crashed instance's messages wait this long.
	Lease time.Duration
	// Poll is how often the campaigns are looked at when idle (default 2 s).
	Poll time.Duration
	// Name identifies the instance in the leases (default: host, process,
	// random suffix).
	Name string
}

// Sender sends the campaigns' messages; Run it in the background.
type Sender struct {
	s     *Service
	o     SenderOptions
	limit *limiter
	wake  chan struct{}
}

// NewSender returns the pipeline of s's campaigns.
func (s *Service) NewSender(o SenderOptions) (*Sender, error) {
	if o.Connections <= 0 {
		o.Connections = 4
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.Lease <= 0 {
		o.Lease = 15 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	if o.Name == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		o.Name = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.HasRelay {
		var err error
		if o.Relay, err = smtpDefaults(o.Relay); err != nil {
			return nil, err
		}
	}
	return &Sender{s: s, o: o, limit: newLimiter(o.Rate), wake: make(chan struct{}, 1)}, nil
}

// Wake makes Run look at the campaigns now.
func (p *Sender) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx ends, then returns once the sends in progress are
// recorded and the untried messages handed back.
func (p *Sender) Run(ctx context.Context) error {
	for {
		worked, err := p.Once(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			p.s.logger.Error("newsletter: sending failed", "err", err)
		}
		if worked {
			continue
		}
		t := time.NewTimer(p.o.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-p.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// Once starts the scheduled campaigns that are due and works on every
// sending campaign until it has nothing left to claim; it reports whether
// it sent anything.
func (p *Sender) Once(ctx context.Context) (bool, error) {
	if err := p.s.startDue(ctx); err != nil {
		return false, err
	}
	ids, err := column[int64](ctx, p.s.db, `SELECT id FROM campaigns WHERE status = 'sending' ORDER BY id`)
	if err != nil {
		return false, err
	}
	worked := false
	for _, id := range ids {
		n, err := p.campaign(ctx, id)
		if err != nil {
			return worked, fmt.Errorf("campaign %d: %w", id, err)
		}
		worked = worked || n > 0
		if ctx.Err() != nil {
			return worked, nil
		}
	}
	return worked, nil
}

// startDue moves the scheduled campaigns whose time came to sending.
func (s *Service) startDue(ctx context.Context) error {
	ids, err := column[int64](ctx, s.db, `SELECT id FROM campaigns WHERE status = 'scheduled' AND scheduled_at <= $1`, s.now())
	if err != nil || len(ids) == 0 {
		return err
	}
	for _, id := range ids {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE campaigns SET status = 'sending', started_at = $2, updated_at = $2
				WHERE id = $1 AND status = 'scheduled'`, id, s.now()))
			if err != nil || n == 0 {
				return err
			}
			return storeLinks(ctx, tx, id)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// claimed is a message this sender holds.
type claimed struct {
	id, subscriber, list int64
	email, name          string
	tracked              bool
	created              time.Time
}

// outcome is what the relay made of one message.
type outcome struct {
	m   claimed
	err error
}

// campaign sends what it can of campaign id and returns how many messages
// it handed to the relay.
func (p *Sender) campaign(ctx context.Context, id int64) (int, error) {
	r, err := p.s.renders.get(ctx, p.s.db, id)
	if err != nil {
		return 0, err
	}
	run := p.s.newRun(id, r)
	jobs := make(chan claimed, p.o.BatchSize)
	results := make(chan outcome, p.o.BatchSize)
	var workers sync.WaitGroup
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	for range p.o.Connections {
		workers.Go(func() { p.connection(stop, run, jobs, results) })
	}
	rec := p.newRecorder()
	recorded := make(chan error, 1)
	go func() { recorded <- rec.run(ctx, results) }()
	// The leases of the messages held are renewed until they are all
	// recorded or handed back.
	beatDone := make(chan struct{})
	defer close(beatDone)
	go func() {
		beat := time.NewTicker(p.o.Lease / 3)
		defer beat.Stop()
		for {
			select {
			case <-beatDone:
				return
			case <-beat.C:
				p.renew(context.WithoutCancel(ctx), id)
			}
		}
	}()
	sent := 0
	var loopErr error
	for ctx.Err() == nil {
		status, materialised, err := p.s.campaignState(ctx, id)
		if err != nil || status != Sending {
			loopErr = err
			break
		}
		if !materialised {
			if err := p.s.materialise(ctx, id, p.o.BatchSize); err != nil {
				loopErr = err
				break
			}
		}
		batch, err := p.claim(ctx, id)
		if err != nil {
			loopErr = err
			break
		}
		if len(batch) == 0 {
			if materialised {
				break
			}
			continue
		}
		sent += len(batch)
		for _, m := range batch {
			select {
			case jobs <- m:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				break
			}
		}
	}
	close(jobs)
	workers.Wait()
	close(results)
	err = errors.Join(loopErr, <-recorded, p.release(id))
	if ctx.Err() == nil && err == nil {
		err = p.s.finish(ctx, id)
	}
	if !p.o.HasRelay && sent > 0 {
		p.s.logger.Info("newsletter: no SMTP relay configured; campaign messages counted, not sent", "campaign", id, "messages", sent)
	}
	return sent, err
}

// connection sends the jobs over one SMTP connection, dialled on first use
// and again after a broken one. When stop ends, the jobs left are not
// tried: release hands them back.
func (p *Sender) connection(stop context.Context, run *campaignRun, jobs <-chan claimed, results chan<- outcome) {
	var conn *smtpConn
	defer func() {
		if conn != nil {
			conn.close()
		}
	}()
	var buf bytes.Buffer
	ctx := stop
	for m := range jobs {
		if stop.Err() != nil || p.limit.wait(stop) != nil {
			continue
		}
		if !p.o.HasRelay {
			// Without a relay the message is only counted.
			results <- outcome{m, nil}
			continue
		}
		token, err := p.s.messageToken(ctx, m.id)
		var prefs string
		if err == nil {
			prefs, err = p.s.subscriberToken(ctx, m.subscriber)
		}
		if err != nil {
			results <- outcome{m, err}
			continue
		}
		buf.Reset()
		run.write(&buf, m, token, prefs)
		if conn == nil {
			if conn, err = dialSMTP(ctx, p.o.Relay, run.fromAddr, run.domain); err != nil {
				results <- outcome{m, fmt.Errorf("connexion au relais : %w", err)}
				time.Sleep(200 * time.Millisecond)
				continue
			}
		}
		err = conn.send(m.email, buf.Bytes(), p.o.Relay.Timeout)
		var se *SMTPError
		if err != nil && !errors.As(err, &se) {
			conn.conn.Close()
			conn = nil
		}
		results <- outcome{m, err}
	}
}

// campaignState reads a campaign's status and whether its messages are all
// materialised.
func (s *Service) campaignState(ctx context.Context, id int64) (Status, bool, error) {
	var st Status
	var m bool
	err := s.db.QueryRowContext(ctx, `SELECT status, materialised FROM campaigns WHERE id = $1`, id).Scan(&st, &m)
	return st, m, err
}

var errMaterialiseRace = errors.New("another instance materialised this batch")

// materialise writes the messages of the next batch of recipients: the
// subscribers of the campaign's lists, each once, in id order after the
// cursor, leaving out the suppressed.
func (s *Service) materialise(ctx context.Context, id int64, batch int) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var cursor int64
		var done bool
		if err := tx.QueryRowContext(ctx, `SELECT materialised_through, materialised FROM campaigns WHERE id = $1`, id).Scan(&cursor, &done); err != nil || done {
			return err
		}
		next, err := column[int64](ctx, tx, `SELECT DISTINCT x.subscriber_id FROM subscriptions x
			JOIN campaign_lists cl ON cl.list_id = x.list_id AND cl.campaign_id = $1
			WHERE x.status = 'subscribed' AND x.subscriber_id > $2 ORDER BY x.subscriber_id LIMIT `+strconv.Itoa(batch), id, cursor)
		if err != nil {
			return err
		}
		var n int64
		last := cursor
		if len(next) > 0 {
			last = next[len(next)-1]
			// One message per subscriber, through the first of the
			// campaign's lists they are on.
			n, err = rowsAffected(tx.ExecContext(ctx, `INSERT INTO campaign_messages (campaign_id, subscriber_id, list_id, email, name, tracked, next_attempt_at, created_at)
				SELECT $1, s.id, min(x.list_id), s.email, s.name, s.tracking_consent, $4, $4
				FROM subscribers s
				JOIN subscriptions x ON x.subscriber_id = s.id AND x.status = 'subscribed'
				JOIN campaign_lists cl ON cl.list_id = x.list_id AND cl.campaign_id = $1
				WHERE s.id > $2 AND s.id <= $3 AND NOT EXISTS (SELECT 1 FROM newsletter_suppressions z WHERE z.email = s.email)
				GROUP BY s.id, s.email, s.name, s.tracking_consent
				ON CONFLICT (campaign_id, subscriber_id) DO NOTHING`, id, cursor, last, s.now()))
			if err != nil {
				return err
			}
		}
		changed, err := rowsAffected(tx.ExecContext(ctx, `UPDATE campaigns SET materialised_through = $2, recipients = recipients + $3, materialised = $4
			WHERE id = $1 AND materialised_through = $5 AND NOT materialised`, id, last, n, len(next) < batch, cursor))
		if err != nil {
			return err
		}
		if changed == 0 {
			return errMaterialiseRace
		}
		return nil
	})
	if errors.Is(err, errMaterialiseRace) {
		return nil
	}
	return err
}

// claim takes up to a batch of the campaign's due messages, after handing
// back those whose lease ended (their sender died).
func (p *Sender) claim(ctx context.Context, id int64) ([]claimed, error) {
	now := p.s.now()
	var out []claimed
	err := p.s.db.Tx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'queued', locked_by = NULL, locked_until = NULL
			WHERE campaign_id = $1 AND status = 'sending' AND locked_until < $2`, id, now); err != nil {
			return err
		}
		const due = `campaign_id = $4 AND status = 'queued' AND next_attempt_at <= $3`
		rows, err := tx.QueryContext(ctx, `UPDATE campaign_messages SET status = 'sending', locked_by = $1, locked_until = $2,
				attempts = attempts + 1, handed_at = coalesce(handed_at, $3)
			WHERE id IN (SELECT id FROM campaign_messages WHERE `+due+` ORDER BY id LIMIT $5`+p.s.db.Dialect().SkipLocked()+`)
			AND `+due+`
			RETURNING id, subscriber_id, list_id, email, name, tracked, created_at`, p.o.Name, now.Add(p.o.Lease), now, id, p.o.BatchSize)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m claimed
			if err := rows.Scan(&m.id, &m.subscriber, &m.list, &m.email, &m.name, &m.tracked, &m.created); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	// RETURNING's order is unspecified: send in id order.
	sortClaimed(out)
	return out, err
}

func sortClaimed(ms []claimed) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].id < ms[j-1].id; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// renew extends the lease of the messages this sender holds.
func (p *Sender) renew(ctx context.Context, id int64) {
	if _, err := p.s.db.ExecContext(ctx, `UPDATE campaign_messages SET locked_until = $1
		WHERE campaign_id = $2 AND status = 'sending' AND locked_by = $3`, p.s.now().Add(p.o.Lease), id, p.o.Name); err != nil {
		p.s.logger.Warn("newsletter: renewing leases failed", "campaign", id, "err", err)
	}
}

// release hands back the messages this sender claimed but never tried.
func (p *Sender) release(id int64) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := p.s.db.ExecContext(ctx, `UPDATE campaign_messages SET status = 'queued', locked_by = NULL, locked_until = NULL, attempts = attempts - 1
		WHERE campaign_id = $1 AND status = 'sending' AND locked_by = $2`, id, p.o.Name)
	return err
}

// finish marks a campaign sent once no message waits.
func (s *Service) finish(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE campaigns SET status = 'sent', finished_at = $2, updated_at = $2
		WHERE id = $1 AND status = 'sending' AND materialised
		AND NOT EXISTS (SELECT 1 FROM campaign_messages m WHERE m.campaign_id = $1 AND m.status IN ('queued', 'sending'))`, id, s.now())
	return err
}

// limiter hands out sends at most rate per second (virtual scheduling with
// a burst of a tenth of a second).
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newLimiter(rate float64) *limiter {
	if rate <= 0 {
		return &limiter{}
	}
	return &limiter{interval: time.Duration(float64(time.Second) / rate)}
}

func (l *limiter) wait(ctx context.Context) error {
	if l.interval == 0 {
		return nil
	}
	l.mu.Lock()
	now := time.Now()
	burst := max(l.interval, 100*time.Millisecond)
	if l.next.Before(now.Add(-burst)) {
		l.next = now.Add(-burst)
	}
	l.next = l.next.Add(l.interval)
	at := l.next
	l.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
