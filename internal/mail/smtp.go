package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultFrom is the sender address used when none is configured.
const DefaultFrom = "Vivier <no-reply@localhost>"

// SMTPConfig says how to reach an SMTP relay.
type SMTPConfig struct {
	Host     string
	Port     int // 0: 587, or 465 with ImplicitTLS, or 25 with NoTLS
	Username string
	Password string
	TLS      TLSMode // "" is StartTLS
	// From is the sender, "Name <address>"; without a name the name is
	// "Vivier". Empty: DefaultFrom.
	From string
	// Domain is the right-hand side of Message-IDs; empty: From's domain.
	Domain string
	// Timeout bounds the connection and each SMTP command (default 30 s).
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (a private CA in tests); its
	// ServerName defaults to Host.
	TLSConfig *tls.Config
}

// SMTP is the Transport that sends through an SMTP relay, one connection per
// message: UTF-8 headers and bodies, multipart/alternative when the message
// has HTML, and a Message-ID derived from the outbox id.
type SMTP struct {
	cfg  SMTPConfig
	from *netmail.Address
	addr string
}

// NewSMTP checks cfg and returns the transport. It does not connect.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if strings.TrimSpace(cfg.Host) == "" {
		return nil, errors.New("smtp: no host")
	}
	mode, err := ParseTLSMode(string(cfg.TLS))
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	cfg.TLS = mode
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{StartTLS: 587, ImplicitTLS: 465, NoTLS: 25}[mode]
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("smtp: port %d out of range", cfg.Port)
	}
	from, err := ParseFrom(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	if cfg.Domain == "" {
		cfg.Domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.TLSConfig == nil {
		cfg.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	} else {
		cfg.TLSConfig = cfg.TLSConfig.Clone()
	}
	if cfg.TLSConfig.ServerName == "" {
		cfg.TLSConfig.ServerName = cfg.Host
	}
	return &SMTP{cfg: cfg, from: from, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}, nil
}

// ParseFrom reads a sender address ("" is DefaultFrom); an address without a
// display name gets "Vivier".
func ParseFrom(s string) (*netmail.Address, error) {
	if strings.TrimSpace(s) == "" {
		s = DefaultFrom
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("sender %q is not an email address: %w", s, err)
	}
	if a.Name == "" {
		a.Name = "Vivier"
	}
	return a, nil
}

// Domain is the domain of the Message-IDs this transport writes.
func (t *SMTP) Domain() string { return t.cfg.Domain }

// Send delivers e. An SMTP 5xx answer is returned wrapped with Permanent.
func (t *SMTP) Send(ctx context.Context, e Envelope) error {
	msg, err := t.compose(e)
	if err != nil {
		return Permanent(err)
	}
	// The connection is closed when Send returns or ctx ends, whichever
	// comes first.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client, err := gomail.NewClient(t.cfg.Host, t.options(ctx)...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil || msg.IsDelivered() {
		// Delivered: a failure after the server's "250 OK" (closing the
		// connection) must not cause a second copy.
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("smtp %s: interrupted: %w", t.addr, ctx.Err())
	}
	err = fmt.Errorf("smtp %s: %w", t.addr, err)
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) && sendErr.ErrorCode() >= 500 && sendErr.ErrorCode() < 600 {
		return Permanent(err)
	}
	return err
}

// options are the go-mail client options for one connection bound to ctx.
func (t *SMTP) options(ctx context.Context) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(t.cfg.Port),
		gomail.WithTimeout(t.cfg.Timeout),
		gomail.WithTLSConfig(t.cfg.TLSConfig),
		gomail.WithDialContextFunc(t.dialer(ctx)),
	}
	switch t.cfg.TLS {
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case ImplicitTLS:
		// The dialer does the TLS handshake; WithSSL stops go-mail from
		// also trying STARTTLS.
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if t.cfg.Username != "" {
		// PLAIN and LOGIN are only used on an encrypted connection (or to
		// localhost): go-mail refuses to send a password in clear.
		opts = append(opts, gomail.WithUsername(t.cfg.Username), gomail.WithPassword(t.cfg.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	return opts
}

// dialer connects to the relay and closes the connection when ctx ends, so
// that a stopping Sender is never stuck behind a server that stopped
// answering (go-mail only watches its context while dialling).
func (t *SMTP) dialer(ctx context.Context) gomail.DialContextFunc {
	return func(dialCtx context.Context, network, address string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(dialCtx, network, address)
		if err != nil {
			return nil, err
		}
		if t.cfg.TLS == ImplicitTLS {
			tconn := tls.Client(conn, t.cfg.TLSConfig)
			if err := tconn.HandshakeContext(dialCtx); err != nil {
				conn.Close()
				return nil, err
			}
			conn = tconn
		}
		context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}
}

// compose builds the MIME message of e.
func (t *SMTP) compose(e Envelope) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(t.from)
	if err := msg.To(e.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", e.To, err)
	}
	msg.Subject(e.Subject)
	msg.SetMessageIDWithValue(e.MessageID(t.cfg.Domain))
	msg.SetDateWithValue(e.CreatedAt)
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	for _, a := range e.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("attachment %q: %w", a.Name, err)
		}
	}
	return msg, nil
}
