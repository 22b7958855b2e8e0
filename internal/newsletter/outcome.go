package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Outcomes of sends are written in groups: every 100 ms or 256 messages,
// one transaction marks the delivered ones sent, so that the database
// follows a relay taking thousands of messages a second.
const (
	recordEvery = 100 * time.Millisecond
	recordBatch = 256
)

// SoftBouncesMakeHard is how many soft bounces in a row make an address a
// hard bounce.
const SoftBouncesMakeHard = 3

// softRetry is the wait before retrying a soft bounce, after the n-th.
func softRetry(n int) time.Duration { return time.Duration(n*n) * 5 * time.Minute }

type recorder struct {
	p       *Sender
	pending []outcome
}

func (p *Sender) newRecorder() *recorder { return &recorder{p: p} }

// run records the outcomes until results is closed, then the rest. It
// writes even after ctx ended: a message the relay accepted must be marked
// sent if at all possible.
func (r *recorder) run(ctx context.Context, results <-chan outcome) error {
	tick := time.NewTicker(recordEvery)
	defer tick.Stop()
	var errs []error
	flush := func() {
		if len(r.pending) == 0 {
			return
		}
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		if err := r.flush(wctx); err != nil {
			errs = append(errs, err)
		}
		cancel()
		r.pending = r.pending[:0]
	}
	for {
		select {
		case o, ok := <-results:
			if !ok {
				flush()
				return errors.Join(errs...)
			}
			r.pending = append(r.pending, o)
			if len(r.pending) >= recordBatch {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// flush writes the pending outcomes in one transaction.
func (r *recorder) flush(ctx context.Context) error {
	s := r.p.s
	now := s.now()
	var sent, subs []string
	var others []outcome
	for _, o := range r.pending {
		if o.err == nil {
			sent = append(sent, strconv.FormatInt(o.m.id, 10))
			subs = append(subs, strconv.FormatInt(o.m.subscriber, 10))
		} else {
			others = append(others, o)
		}
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if len(sent) > 0 {
			// Whoever holds the lease now, these went out. The ids are
			// integers written by this code, not input.
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'sent', sent_at = $1, locked_by = NULL, locked_until = NULL,
				bounce = '', last_error = '' WHERE id IN (`+strings.Join(sent, ",")+`)`, now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET soft_bounces = 0 WHERE soft_bounces > 0 AND id IN (`+strings.Join(subs, ",")+`)`); err != nil {
				return err
			}
		}
		for _, o := range others {
			if err := r.failure(ctx, tx, o, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.metrics.sent(len(sent), now)
	return nil
}

// failure records one refused or failed send.
func (r *recorder) failure(ctx context.Context, tx *sql.Tx, o outcome, now time.Time) error {
	s := r.p.s
	var se *SMTPError
	if !errors.As(o.err, &se) || se.Step == "MAIL" {
		// The relay or the connection failed, not the recipient: try again
		// soon, without counting a bounce.
		s.metrics.failed("retry")
		s.logger.Warn("newsletter: message not sent, retrying", "message", o.m.id, "err", o.err)
		_, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'queued', locked_by = NULL, locked_until = NULL,
			last_error = $2, next_attempt_at = $3 WHERE id = $1 AND status = 'sending'`, o.m.id, truncate(o.err.Error(), 500), now.Add(30*time.Second))
		return err
	}
	detail := truncate(se.Error(), 500)
	if se.Temporary() {
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE subscribers SET soft_bounces = soft_bounces + 1 WHERE id = $1 RETURNING soft_bounces`, o.m.subscriber).Scan(&n); err != nil {
			return err
		}
		if n < SoftBouncesMakeHard {
			s.metrics.failed("soft")
			_, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'queued', bounce = 'soft', smtp_status = $2, last_error = $3,
				locked_by = NULL, locked_until = NULL, next_attempt_at = $4 WHERE id = $1`, o.m.id, se.Enhanced, detail, now.Add(softRetry(n)))
			return err
		}
		detail = "trois rejets temporaires de suite ; dernier : " + detail
	} else if !recipientRefused(se) {
		// Refused for its content or by policy (5.7.x…): the message
		// failed, the address is not to blame.
		s.metrics.failed("rejected")
		_, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'failed', smtp_status = $2, last_error = $3, locked_by = NULL, locked_until = NULL
			WHERE id = $1`, o.m.id, se.Enhanced, detail)
		return err
	}
	s.metrics.failed("hard")
	if _, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'bounced', bounce = 'hard', smtp_status = $2, last_error = $3,
		locked_by = NULL, locked_until = NULL WHERE id = $1`, o.m.id, se.Enhanced, detail); err != nil {
		return err
	}
	return suppress(ctx, tx, o.m.email, "hard_bounce", detail, now)
}

// recipientRefused reports whether a permanent refusal is about the
// recipient's address (a hard bounce): a refused RCPT, or an enhanced code
// of the address or mailbox classes (5.1.x, 5.2.x).
func recipientRefused(se *SMTPError) bool {
	if se.Enhanced != "" {
		return strings.HasPrefix(se.Enhanced, "5.1.") || strings.HasPrefix(se.Enhanced, "5.2.")
	}
	return se.Step == "RCPT"
}
