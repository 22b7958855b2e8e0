// Package mail sends Vivier's transactional emails (invitations, magic links,
// password resets, notifications) through an outbox table, so that an email
// exists exactly when the change that caused it committed and is never lost
// when the process stops.
//
// Callers build a Message — usually from a French template with Render — and
// call Enqueue inside their own transaction. A Sender, running in the
// background of every `vivier serve`, claims due messages with a lease (one
// instance sends a given message at a time), hands them to a Transport
// (SMTP, or a log when no SMTP server is configured) and marks them sent, or
// schedules a retry with exponential backoff, or gives up after MaxAttempts.
//
// Delivery is at least once: a process that stops after the SMTP server
// accepted a message but before the outbox row was marked sent sends that
// message again when it (or another instance) resumes. The message keeps the
// same Message-ID, derived from its outbox id, so receivers can recognise the
// duplicate. The alternative — marking sent before sending — could lose a
// message silently, which is worse for a magic link or an invitation.
//
// Stopping: when Run's context ends, the send in flight is interrupted (its
// connection closed) and the messages of the current claim are released at
// once for the next sender; if the process dies without releasing them,
// their lease (Options.Lease, 5 minutes) expires and another sender takes
// them over. Leases and retry times are compared with each instance's clock,
// so instances sharing a database need clocks within seconds of each other.
//
// Failures: a temporary failure (SMTP 4xx, network, TLS, authentication) is
// retried after 1, 2, 4… minutes (at most an hour, ±20 % jitter) until
// MaxAttempts (8) attempts have failed; the message is then "failed" with
// its last error kept. A permanent refusal (SMTP 5xx on MAIL, RCPT or DATA:
// unknown recipient, message refused) fails the message at once, since the
// server said retrying cannot help; Retry puts a failed message back once
// the cause is fixed. Sent and failed messages are deleted after
// Options.Retention (90 days), because they hold personal data.
package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"vivier/internal/store"
)

// Message is one email to one recipient.
type Message struct {
	// To is the recipient: "a@b.fr" or "Name <a@b.fr>".
	To string
	// Subject is the subject line, in French, accents allowed.
	Subject string
	// Text is the plain-text body (required: every message has one).
	Text string
	// HTML is the optional HTML alternative of Text.
	HTML string
	// Key de-duplicates: enqueuing a second message with the same Key does
	// nothing, so a retried operation cannot send twice. Build it from what
	// makes the message unique, e.g. "invite:42:2026-11-25T10:00:00Z" or
	// "magic-link:<token id>". Empty means no de-duplication.
	Key string
	// Attachments are files sent with the message (an event's .ics
	// invitation, a certificate); small ones: they are kept in the outbox.
	Attachments []Attachment
}

// Attachment is a file attached to a message.
type Attachment struct {
	Name        string `json:"name"`         // the file name the recipient sees, e.g. "invitation.ics"
	ContentType string `json:"content_type"` // e.g. "text/calendar; charset=utf-8; method=REQUEST"
	Data        []byte `json:"data"`
}

// encodeAttachments writes a message's files for the outbox's attachments
// column ("" when none).
func encodeAttachments(list []Attachment) (string, error) {
	if len(list) == 0 {
		return "", nil
	}
	b, err := json.Marshal(list)
	return string(b), err
}

// decodeAttachments reads the outbox's attachments column.
func decodeAttachments(s string) ([]Attachment, error) {
	if s == "" {
		return nil, nil
	}
	var list []Attachment
	err := json.Unmarshal([]byte(s), &list)
	return list, err
}

// Validate checks that m can be sent, naming the field at fault.
func (m Message) Validate() error {
	if strings.TrimSpace(m.To) == "" {
		return errors.New("mail: To is empty")
	}
	if _, err := mail.ParseAddress(m.To); err != nil {
		return fmt.Errorf("mail: To %q is not an email address: %w", m.To, err)
	}
	if strings.TrimSpace(m.Subject) == "" {
		return errors.New("mail: Subject is empty")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return errors.New("mail: Subject contains a line break")
	}
	if strings.TrimSpace(m.Text) == "" {
		return errors.New("mail: Text is empty")
	}
	return nil
}

// Enqueue adds m to the outbox through q — pass the caller's *sql.Tx so the
// message is sent exactly when the caller's transaction commits, and never
// when it rolls back. A message whose Key is already in the outbox is ignored
// (no error). The background Sender sends it within seconds.
func Enqueue(ctx context.Context, q store.Querier, m Message) error {
	_, err := enqueue(ctx, q, m, time.Now().UTC())
	return err
}

// enqueue inserts m due at now and reports whether it was new (false: a
// message with the same Key was already there).
func enqueue(ctx context.Context, q store.Querier, m Message, now time.Time) (bool, error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	var key any
	if m.Key != "" {
		key = m.Key
	}
	files, err := encodeAttachments(m.Attachments)
	if err != nil {
		return false, err
	}
	// ON CONFLICT DO NOTHING rather than catching the unique violation: on
	// PostgreSQL a failed statement would abort the caller's transaction.
	res, err := q.ExecContext(ctx, `
		INSERT INTO outbox (dedup_key, to_address, subject, text_body, html_body, next_attempt_at, created_at, attachments)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
		ON CONFLICT (dedup_key) DO NOTHING`,
		key, m.To, m.Subject, m.Text, m.HTML, now, files)
	if err != nil {
		return false, fmt.Errorf("enqueue email to %s: %w", m.To, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 1, nil
}
