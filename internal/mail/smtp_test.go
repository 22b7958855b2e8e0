package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vivier/internal/mail"
)

func envelope() mail.Envelope {
	return mail.Envelope{ID: 7, CreatedAt: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), Attempt: 1, Message: message("")}
}

func TestSMTPTLSModes(t *testing.T) {
	tests := []struct {
		name   string
		server serverMode
		mode   mail.TLSMode
		user   string
	}{
		{"starttls with a password", startTLSServer, mail.StartTLS, "vivier"},
		{"implicit tls with a password", implicitServer, mail.ImplicitTLS, "vivier"},
		{"none on a local relay", plainServer, mail.NoTLS, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSMTPServer(t, tt.server, tt.user, "secret")
			if err := srv.transport(t, tt.mode).Send(context.Background(), envelope()); err != nil {
				t.Fatal(err)
			}
			got := srv.messages()
			if len(got) != 1 || got[0].Subject != "Invitation à rejoindre Vivier" {
				t.Fatalf("received %+v", got)
			}
			if !strings.HasPrefix(got[0].MessageID, "<vivier.7.") {
				t.Errorf("Message-ID %q", got[0].MessageID)
			}
		})
	}
}

func TestSMTPRefusesToSendInClearWhenStartTLSIsMissing(t *testing.T) {
	srv := newSMTPServer(t, plainServer, "", "")
	err := srv.transport(t, mail.StartTLS).Send(context.Background(), envelope())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("sent without STARTTLS: %v", err)
	}
	if mail.IsPermanent(err) {
		t.Error("a missing STARTTLS is a configuration problem, retried once fixed, not a refused message")
	}
	if len(srv.messages()) != 0 {
		t.Fatal("the server received the message in clear")
	}
}

func TestSMTPWrongPasswordIsRetried(t *testing.T) {
	srv := newSMTPServer(t, startTLSServer, "vivier", "secret")
	tr := srv.transport(t, mail.StartTLS)
	srv.password = "another" // what the server now expects
	err := tr.Send(context.Background(), envelope())
	if err == nil || mail.IsPermanent(err) {
		t.Fatalf("wrong password: %v (permanent %v)", err, mail.IsPermanent(err))
	}
	if len(srv.messages()) != 0 {
		t.Fatal("the server took a message without authentication")
	}
}

func TestSMTPSendStopsWhenContextEnds(t *testing.T) {
	srv := newSMTPServer(t, plainServer, "", "")
	srv.answer = func(int) error { srv.hangLocked(); return nil }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- srv.transport(t, mail.NoTLS).Send(ctx, envelope()) }()
	eventually(t, "the server to receive the message", func() bool { return len(srv.messages()) == 1 })
	cancel()
	if err := <-done; err == nil {
		t.Fatal("an interrupted send reported success")
	}
}

func TestMessageIDIsStable(t *testing.T) {
	e := envelope()
	a, b := e.MessageID("vivier.test"), e.MessageID("vivier.test")
	e.Attempt = 5
	if c := e.MessageID("vivier.test"); a != b || a != c || !strings.HasSuffix(a, "@vivier.test") {
		t.Fatalf("Message-IDs %q %q %q", a, b, c)
	}
	other := envelope()
	other.CreatedAt = other.CreatedAt.Add(time.Microsecond)
	if other.MessageID("vivier.test") == a {
		t.Fatal("two messages with one id but different creation share a Message-ID")
	}
}
