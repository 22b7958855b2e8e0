package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Envelope is one outbox message handed to a Transport: the message and the
// outbox identity that every attempt to send it shares.
type Envelope struct {
	ID        int64     // outbox id
	CreatedAt time.Time // when the message was enqueued
	Attempt   int       // 1 for the first attempt, 2 for the first retry…
	Message
}

// MessageID returns the Message-ID of e (without angle brackets) in domain:
// the same for every attempt, so that a message sent twice is recognisably
// one message. The creation instant is part of it so that two databases (a
// demo recreated, a restored backup) never give one id to two messages.
func (e Envelope) MessageID(domain string) string {
	if domain == "" {
		domain = "localhost"
	}
	return "vivier." + strconv.FormatInt(e.ID, 10) + "." +
		strconv.FormatInt(e.CreatedAt.UTC().UnixMicro(), 36) + "@" + domain
}

// Transport delivers one message. Send returns nil once the message is
// accepted (by the SMTP server, or the log); an error wrapped with Permanent
// means that retrying cannot help, any other error is retried later.
// Send must give up when ctx ends.
type Transport interface {
	Send(ctx context.Context, e Envelope) error
}

// permanentError marks a failure that retrying will not cure.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent wraps err to say that sending again will fail the same way (an
// SMTP 5xx answer: unknown recipient, message refused). The Sender then
// marks the message failed at once instead of retrying it.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was wrapped with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// LogTransport is the Transport used when no SMTP server is configured (the
// default, and `vivier demo`): it writes one log line per message — the
// recipient and the subject, never the body — and reports it sent.
// Administrators read the whole message on the outbox page.
type LogTransport struct {
	Logger *slog.Logger // nil discards the lines
}

// Send logs e and succeeds.
func (t LogTransport) Send(ctx context.Context, e Envelope) error {
	logger := t.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger.InfoContext(ctx, "email not sent: no SMTP server configured; read it on the outbox page",
		"outbox_id", e.ID, "to", e.To, "subject", e.Subject)
	return nil
}

// TLSMode says how the SMTP connection is encrypted.
type TLSMode string

// The TLS modes of an SMTP relay.
const (
	// StartTLS connects in clear and upgrades with STARTTLS, refusing to go
	// on if the server does not offer it (port 587). The default.
	StartTLS TLSMode = "starttls"
	// ImplicitTLS speaks TLS from the first byte (port 465).
	ImplicitTLS TLSMode = "tls"
	// NoTLS sends in clear: only for tests and relays on the same host.
	NoTLS TLSMode = "none"
)

// ParseTLSMode reads a TLS mode ("" is StartTLS).
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return StartTLS, nil
	case StartTLS, ImplicitTLS, NoTLS:
		return m, nil
	}
	return "", fmt.Errorf("unknown tls mode %q: want starttls, tls or none", s)
}
