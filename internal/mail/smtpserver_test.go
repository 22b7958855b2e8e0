package mail_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"vivier/internal/mail"
)

// smtpServer is a real SMTP server (emersion/go-smtp) on a loopback port
// that records what it receives and can be told to refuse or to hang.
type smtpServer struct {
	t        *testing.T
	host     string
	port     int
	user     string
	password string
	roots    *x509.CertPool // trusts the server's certificate

	mu       sync.Mutex
	datas    int // DATA commands seen
	received []received
	// answer, when set, is called for each DATA after the message is read
	// (n counts DATA commands from 1); a non-nil error is the server's answer.
	answer func(n int) error
	// rcptAnswer, when set, answers each RCPT TO.
	rcptAnswer func(to string) error
	// gate, when set, makes DATA wait for it to be closed after recording
	// the message and before answering: the server "hangs".
	gate chan struct{}
}

// received is one message as the SMTP server got it, parsed.
type received struct {
	From, To           string // envelope
	Header             netmail.Header
	Subject            string // decoded
	Text, HTML         string // decoded parts
	MessageID, Content string
}

type serverMode int

const (
	plainServer    serverMode = iota // no TLS at all
	startTLSServer                   // offers STARTTLS
	implicitServer                   // TLS from the first byte
)

// newSMTPServer starts a server in mode, requiring user/password when user
// is set; it stops at the end of t.
func newSMTPServer(t *testing.T, mode serverMode, user, password string) *smtpServer {
	t.Helper()
	srv := &smtpServer{t: t, host: "127.0.0.1", user: user, password: password}
	s := smtp.NewServer(srv)
	s.Domain = "smtp.test"
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.AllowInsecureAuth = mode == plainServer
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode != plainServer {
		cert, roots := selfSigned(t)
		srv.roots = roots
		s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		if mode == implicitServer {
			ln = tls.NewListener(ln, s.TLSConfig)
		}
	}
	srv.port = ln.Addr().(*net.TCPAddr).Port
	go s.Serve(ln)
	t.Cleanup(func() {
		srv.mu.Lock()
		if srv.gate != nil {
			select {
			case <-srv.gate:
			default:
				close(srv.gate)
			}
		}
		srv.mu.Unlock()
		s.Close()
	})
	return srv
}

// transport returns an SMTP transport pointed at srv.
func (srv *smtpServer) transport(t *testing.T, mode mail.TLSMode) *mail.SMTP {
	t.Helper()
	tr, err := mail.NewSMTP(mail.SMTPConfig{
		Host: srv.host, Port: srv.port, TLS: mode,
		Username: srv.user, Password: srv.password,
		From:      "no-reply@vivier.test",
		Timeout:   20 * time.Second,
		TLSConfig: &tls.Config{RootCAs: srv.roots},
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func (srv *smtpServer) messages() []received {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return append([]received(nil), srv.received...)
}

// hangLocked makes this and the next DATA answers wait until release is
// called. The caller holds srv.mu (answer functions do).
func (srv *smtpServer) hangLocked() (release func()) {
	gate := make(chan struct{})
	srv.gate = gate
	var once sync.Once
	return func() { once.Do(func() { close(gate) }) }
}

// NewSession implements smtp.Backend.
func (srv *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &session{srv: srv}, nil
}

type session struct {
	srv      *smtpServer
	authed   bool
	from, to string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.srv.user || password != s.srv.password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	answer := s.srv.rcptAnswer
	s.srv.mu.Unlock()
	if answer != nil {
		if err := answer(to); err != nil {
			return err
		}
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	s.srv.datas++
	n := s.srv.datas
	var answerErr error
	if s.srv.answer != nil {
		answerErr = s.srv.answer(n)
	}
	if answerErr == nil {
		s.srv.received = append(s.srv.received, s.srv.parse(s.from, s.to, raw))
	}
	gate := s.srv.gate
	s.srv.mu.Unlock()
	if gate != nil && answerErr == nil {
		<-gate
	}
	return answerErr
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

// parse decodes a received message; it fails the test on malformed MIME.
func (srv *smtpServer) parse(from, to string, raw []byte) received {
	t := srv.t
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Errorf("server received an unreadable message: %v\n%s", err, raw)
		return received{}
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Errorf("bad Subject header %q: %v", m.Header.Get("Subject"), err)
	}
	rec := received{From: from, To: to, Header: m.Header, Subject: subject,
		MessageID: m.Header.Get("Message-Id"), Content: string(raw)}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Errorf("bad Content-Type: %v", err)
		return rec
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		rec.Text = decodePart(t, m.Header.Get("Content-Transfer-Encoding"), m.Body)
		return rec
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("bad multipart body: %v", err)
			break
		}
		body := decodePart(t, p.Header.Get("Content-Transfer-Encoding"), p)
		switch ct := p.Header.Get("Content-Type"); {
		case strings.HasPrefix(ct, "text/plain"):
			rec.Text = body
		case strings.HasPrefix(ct, "text/html"):
			rec.HTML = body
		}
	}
	return rec
}

func decodePart(t *testing.T, encoding string, r io.Reader) string {
	if strings.EqualFold(encoding, "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Errorf("decode part: %v", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// selfSigned returns a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtp.test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, roots
}

// smtpErr is an SMTP error answer with code.
func smtpErr(code int, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: msg}
}
