// Package nltest holds the newsletter tests' harness: Sink, a real SMTP
// server (emersion/go-smtp) on a loopback port that takes every message and
// remembers who got which Message-ID — the relay of the pipeline's tests,
// of the crash test and of the send benchmark.
package nltest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one message the sink took.
type Received struct {
	To        string
	MessageID string
	Header    textproto.MIMEHeader
	Raw       []byte // the whole message, when the sink keeps bodies
}

// Sink is a loopback SMTP relay.
type Sink struct {
	Addr string // host:port
	Host string
	Port int

	mu       sync.Mutex
	received []Received
	count    int
	keep     bool
	only     bool
	delay    time.Duration
	rcpt     func(to string) error
	srv      *smtp.Server
}

// Options tune a Sink.
type Options struct {
	KeepBodies bool                  // keep each message whole (tests that read them)
	CountOnly  bool                  // keep nothing but the count (benchmarks)
	Delay      time.Duration         // wait before answering each message (a slow relay)
	Rcpt       func(to string) error // answers RCPT TO; nil accepts everyone
}

// Start starts a sink; it stops at the end of t.
func Start(t testing.TB, o Options) *Sink {
	t.Helper()
	s := &Sink{keep: o.KeepBodies, only: o.CountOnly, delay: o.Delay, rcpt: o.Rcpt}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "relais.test"
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.MaxRecipients = 10
	srv.MaxMessageBytes = 10 << 20
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0) // a client killed mid-message is what some tests do
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.srv = srv
	s.Addr = ln.Addr().String()
	s.Host = "127.0.0.1"
	s.Port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// URL is the sink as VIVIER_SMTP_URL.
func (s *Sink) URL() string { return fmt.Sprintf("smtp://%s?tls=none", s.Addr) }

// Count is how many messages the sink took.
func (s *Sink) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Messages returns the messages taken, in order.
func (s *Sink) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Reset forgets the messages taken.
func (s *Sink) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received, s.count = nil, 0
}

type backend struct{ s *Sink }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s  *Sink
	to string
}

func (x *session) Mail(string, *smtp.MailOptions) error { return nil }

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.rcpt != nil {
		if err := x.s.rcpt(to); err != nil {
			return err
		}
	}
	x.to = to
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if x.s.delay > 0 {
		time.Sleep(x.s.delay)
	}
	if x.s.only {
		x.s.mu.Lock()
		x.s.count++
		x.s.mu.Unlock()
		return nil
	}
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
	if err != nil && err != io.EOF {
		return err
	}
	m := Received{To: x.to, MessageID: strings.Trim(h.Get("Message-Id"), "<>"), Header: h}
	if x.s.keep {
		m.Raw = raw
	}
	x.s.mu.Lock()
	x.s.received = append(x.s.received, m)
	x.s.count++
	x.s.mu.Unlock()
	return nil
}

func (x *session) Reset()        {}
func (x *session) Logout() error { return nil }
