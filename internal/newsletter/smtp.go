package newsletter

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"vivier/internal/mail"
)

// smtpConn is one connection to the relay that stays open for many
// messages. When the relay offers PIPELINING (RFC 2920), MAIL, RCPT and DATA
// go in one write and their answers are read together, so a message costs
// two round trips instead of four. It is not safe for concurrent use: each
// of the Sender's connections has its own.
type smtpConn struct {
	conn       net.Conn
	text       *textproto.Conn
	pipelining bool
	from       string
}

// SMTPError is a refusal by the relay: its reply code, its enhanced status
// code (RFC 3463, "5.1.1") when it gave one, and the step refused.
type SMTPError struct {
	Code     int
	Enhanced string
	Step     string // "MAIL", "RCPT", "DATA", "message"
	Message  string
}

func (e *SMTPError) Error() string {
	return fmt.Sprintf("SMTP %s refusé : %d %s", e.Step, e.Code, e.Message)
}

// Temporary reports a 4xx answer: worth retrying later.
func (e *SMTPError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// smtpDefaults fills what mail.NewSMTP would: the port of the TLS mode,
// the timeout, the TLS settings.
func smtpDefaults(cfg mail.SMTPConfig) (mail.SMTPConfig, error) {
	mode, err := mail.ParseTLSMode(string(cfg.TLS))
	if err != nil {
		return cfg, err
	}
	cfg.TLS = mode
	if cfg.Port == 0 {
		cfg.Port = map[mail.TLSMode]int{mail.StartTLS: 587, mail.ImplicitTLS: 465, mail.NoTLS: 25}[mode]
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
	return cfg, nil
}

// dialSMTP connects, greets, secures and authenticates as cfg says.
func dialSMTP(ctx context.Context, cfg mail.SMTPConfig, from, helo string) (*smtpConn, error) {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if cfg.TLS == mail.ImplicitTLS {
		tc := tls.Client(conn, cfg.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		conn = tc
	}
	c := &smtpConn{conn: conn, from: from}
	c.text = newText(conn)
	fail := func(err error) (*smtpConn, error) {
		conn.Close()
		return nil, fmt.Errorf("smtp %s: %w", addr, err)
	}
	c.deadline(cfg.Timeout)
	if _, _, err := c.text.ReadResponse(220); err != nil {
		return fail(err)
	}
	ext, err := c.ehlo(helo)
	if err != nil {
		return fail(err)
	}
	if cfg.TLS == mail.StartTLS {
		if _, ok := ext["STARTTLS"]; !ok {
			return fail(errors.New("the relay does not offer STARTTLS"))
		}
		if _, _, err := c.cmd(220, "STARTTLS"); err != nil {
			return fail(err)
		}
		tc := tls.Client(conn, cfg.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail(err)
		}
		c.conn, c.text = tc, newText(tc)
		if ext, err = c.ehlo(helo); err != nil {
			return fail(err)
		}
	}
	if cfg.Username != "" {
		if cfg.TLS == mail.NoTLS && !loopback(cfg.Host) {
			return fail(errors.New("refusing to send a password in clear"))
		}
		if !strings.Contains(" "+ext["AUTH"]+" ", " PLAIN ") {
			return fail(errors.New("the relay does not offer AUTH PLAIN"))
		}
		cred := base64.StdEncoding.EncodeToString([]byte("\x00" + cfg.Username + "\x00" + cfg.Password))
		if _, _, err := c.cmd(235, "AUTH PLAIN "+cred); err != nil {
			return fail(err)
		}
	}
	_, c.pipelining = ext["PIPELINING"]
	return c, nil
}

func newText(conn net.Conn) *textproto.Conn {
	return &textproto.Conn{Reader: *textproto.NewReader(bufio.NewReaderSize(conn, 4096)), Writer: *textproto.NewWriter(bufio.NewWriterSize(conn, 32<<10))}
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

func (c *smtpConn) deadline(d time.Duration) { c.conn.SetDeadline(time.Now().Add(d)) }

func (c *smtpConn) cmd(expect int, line string) (int, string, error) {
	if err := c.text.PrintfLine("%s", line); err != nil {
		return 0, "", err
	}
	return c.text.ReadResponse(expect)
}

func (c *smtpConn) ehlo(helo string) (map[string]string, error) {
	_, msg, err := c.cmd(250, "EHLO "+helo)
	if err != nil {
		return nil, err
	}
	ext := map[string]string{}
	for _, line := range strings.Split(msg, "\n")[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
		ext[strings.ToUpper(k)] = v
	}
	return ext, nil
}

// refusal turns a reply into an *SMTPError, or returns a connection error
// as it is.
func refusal(step string, err error) error {
	var te *textproto.Error
	if !errors.As(err, &te) {
		return err
	}
	e := &SMTPError{Code: te.Code, Step: step, Message: te.Msg}
	if f := strings.Fields(te.Msg); len(f) > 0 && enhancedCode(f[0]) {
		e.Enhanced = f[0]
	}
	return e
}

func enhancedCode(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || (parts[0] != "2" && parts[0] != "4" && parts[0] != "5") {
		return false
	}
	for _, p := range parts[1:] {
		if _, err := strconv.Atoi(p); err != nil || len(p) > 3 {
			return false
		}
	}
	return true
}

// send delivers one message to one recipient. A refusal is an *SMTPError
// (the connection stays usable); any other error means the connection is
// broken and must be closed.
func (c *smtpConn) send(to string, msg []byte, timeout time.Duration) error {
	c.deadline(timeout)
	w := &c.text.Writer
	if c.pipelining {
		fmt.Fprintf(w.W, "MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n", c.from, to)
		if err := w.W.Flush(); err != nil {
			return err
		}
		_, _, mailErr := c.text.ReadResponse(250)
		_, _, rcptErr := c.text.ReadResponse(25)
		_, _, dataErr := c.text.ReadResponse(354)
		switch {
		case mailErr != nil:
			return c.reset("MAIL", mailErr, dataErr)
		case rcptErr != nil:
			return c.reset("RCPT", rcptErr, dataErr)
		case dataErr != nil:
			return c.reset("DATA", dataErr, nil)
		}
	} else {
		if _, _, err := c.cmd(250, "MAIL FROM:<"+c.from+">"); err != nil {
			return c.reset("MAIL", err, nil)
		}
		if _, _, err := c.cmd(25, "RCPT TO:<"+to+">"); err != nil {
			return c.reset("RCPT", err, nil)
		}
		if _, _, err := c.cmd(354, "DATA"); err != nil {
			return c.reset("DATA", err, nil)
		}
	}
	dw := w.DotWriter()
	if _, err := dw.Write(msg); err != nil {
		return err
	}
	if err := dw.Close(); err != nil {
		return err
	}
	if _, _, err := c.text.ReadResponse(250); err != nil {
		return refusal("message", err)
	}
	return nil
}

// reset answers a refused transaction: when the relay went on to accept
// DATA after a refusal (which a pipelining relay must not), an empty
// message is sent and dropped; then RSET readies the connection.
func (c *smtpConn) reset(step string, err, dataErr error) error {
	e := refusal(step, err)
	var se *SMTPError
	if !errors.As(e, &se) {
		return e
	}
	if step != "DATA" && dataErr == nil && c.pipelining {
		dw := c.text.Writer.DotWriter()
		dw.Close()
		c.text.ReadResponse(0)
	}
	if _, _, rerr := c.cmd(250, "RSET"); rerr != nil {
		var te *textproto.Error
		if !errors.As(rerr, &te) {
			return rerr
		}
	}
	return se
}

// close says QUIT and closes.
func (c *smtpConn) close() {
	c.deadline(2 * time.Second)
	c.text.PrintfLine("QUIT")
	c.conn.Close()
}
