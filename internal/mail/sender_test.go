package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// clock is a time source tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

// newClock starts a minute ahead of the real time, so that messages
// enqueued (at the real time) during the test are due.
func newClock() *clock { return &clock{now: time.Now().UTC().Add(time.Minute)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func enqueue(t *testing.T, db *store.DB, m mail.Message) int64 {
	t.Helper()
	if err := mail.Enqueue(context.Background(), db, m); err != nil {
		t.Fatal(err)
	}
	list := mustList(t, db)
	return list[0].ID
}

func sendDue(t *testing.T, s *mail.Sender) int {
	t.Helper()
	n, err := s.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func mustGet(t *testing.T, db *store.DB, id int64) mail.Entry {
	t.Helper()
	e, err := mail.Get(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// eventually waits for cond, failing after a generous bound (not a timing
// assertion: the bound only stops a hung test).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAnEnqueuedMessageArrivesAtTheSMTPServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t, startTLSServer, "vivier", "mot de passe sûr")
		id := enqueue(t, db, message("invite:1"))
		s := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.StartTLS), Logger: quietLogger()})
		if n := sendDue(t, s); n != 1 {
			t.Fatalf("claimed %d messages, want 1", n)
		}
		got := srv.messages()
		if len(got) != 1 {
			t.Fatalf("server received %d messages, want 1", len(got))
		}
		m := got[0]
		if m.From != "no-reply@vivier.test" || m.To != "elodie@example.org" {
			t.Errorf("envelope from %q to %q", m.From, m.To)
		}
		from, err := m.Header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Name != "Vivier" || from[0].Address != "no-reply@vivier.test" {
			t.Errorf("From header %q: %v %v", m.Header.Get("From"), from, err)
		}
		to, err := m.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Name != "Élodie Martin" || to[0].Address != "elodie@example.org" {
			t.Errorf("To header %q: %v %v", m.Header.Get("To"), to, err)
		}
		if m.Subject != "Invitation à rejoindre Vivier" {
			t.Errorf("subject %q", m.Subject)
		}
		if m.Text != "Bonjour Élodie,\n\nVous êtes invitée." {
			t.Errorf("text part %q", m.Text)
		}
		if m.HTML != "<p>Bonjour Élodie,</p><p>Vous êtes invitée.</p>" {
			t.Errorf("HTML part %q", m.HTML)
		}
		e := mustGet(t, db, id)
		wantID := fmt.Sprintf("<vivier.%d.", id)
		if !strings.HasPrefix(m.MessageID, wantID) || !strings.HasSuffix(m.MessageID, "@vivier.test>") {
			t.Errorf("Message-ID %q, want %s…@vivier.test>", m.MessageID, wantID)
		}
		if e.Status != mail.Sent || e.SentAt == nil || e.Attempts != 1 {
			t.Errorf("outbox after sending: %+v", e)
		}
		if n := sendDue(t, s); n != 0 || len(srv.messages()) != 1 {
			t.Errorf("a sent message was claimed again")
		}
	})
}

func TestATemporaryFailureIsRetriedLater(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t, plainServer, "", "")
		srv.answer = func(n int) error {
			if n == 1 {
				return smtpErr(451, "greylisted, try again later")
			}
			return nil
		}
		clk := newClock()
		id := enqueue(t, db, message("invite:1"))
		s := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.NoTLS), Now: clk.Now, Logger: quietLogger()})
		sendDue(t, s)
		e := mustGet(t, db, id)
		if e.Status != mail.Pending || e.Attempts != 1 || !strings.Contains(e.LastError, "451") {
			t.Fatalf("after a 451: %+v", e)
		}
		if wait := e.NextAttemptAt.Sub(clk.Now()); wait < 45*time.Second || wait > 75*time.Second {
			t.Errorf("first retry in %v, want about a minute", wait)
		}
		if n := sendDue(t, s); n != 0 {
			t.Fatal("retried before its time")
		}
		clk.Add(2 * time.Minute)
		if n := sendDue(t, s); n != 1 {
			t.Fatalf("claimed %d after the wait, want 1", n)
		}
		if got := srv.messages(); len(got) != 1 || got[0].Subject != "Invitation à rejoindre Vivier" {
			t.Fatalf("server received %+v", got)
		}
		if e := mustGet(t, db, id); e.Status != mail.Sent || e.Attempts != 2 || e.LastError != "" {
			t.Fatalf("after the retry: %+v", e)
		}
	})
}

func TestAMessageFailsAfterMaxAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t, plainServer, "", "")
		srv.answer = func(int) error { return smtpErr(452, "mailbox full") }
		clk := newClock()
		id := enqueue(t, db, message("invite:1"))
		s := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.NoTLS), Now: clk.Now, MaxAttempts: 4, Logger: quietLogger()})
		var waits []time.Duration
		for range 4 {
			if n := sendDue(t, s); n != 1 {
				t.Fatalf("claimed %d, want 1", n)
			}
			e := mustGet(t, db, id)
			waits = append(waits, e.NextAttemptAt.Sub(clk.Now()))
			clk.Add(2 * time.Hour)
		}
		e := mustGet(t, db, id)
		if e.Status != mail.Failed || e.Attempts != 4 || !strings.Contains(e.LastError, "mailbox full") {
			t.Fatalf("after 4 refusals: %+v", e)
		}
		// Exponential: about 1, 2, 4 minutes (±20 %), then failed at once.
		for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 0} {
			if w := waits[i]; float64(w) < 0.79*float64(want)-float64(time.Second) || float64(w) > 1.21*float64(want)+float64(time.Second) {
				t.Errorf("wait after attempt %d: %v, want about %v", i+1, w, want)
			}
		}
		if n := sendDue(t, s); n != 0 {
			t.Error("a failed message was claimed again")
		}
		if err := mail.Retry(context.Background(), db, id, clk.Now()); err != nil {
			t.Fatal(err)
		}
		srv.answer = nil
		sendDue(t, s)
		if e := mustGet(t, db, id); e.Status != mail.Sent || len(srv.messages()) != 1 {
			t.Fatalf("a retried message was not sent: %+v", e)
		}
	})
}

func TestAPermanentRefusalFailsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t, plainServer, "", "")
		srv.rcptAnswer = func(to string) error {
			if strings.HasPrefix(to, "nobody@") {
				return smtpErr(550, "no such user")
			}
			return nil
		}
		bad := message("invite:1")
		bad.To = "nobody@example.org"
		badID := enqueue(t, db, bad)
		goodID := enqueue(t, db, message("invite:2"))
		s := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.NoTLS), Logger: quietLogger()})
		sendDue(t, s)
		e := mustGet(t, db, badID)
		if e.Status != mail.Failed || e.Attempts != 1 || !strings.Contains(e.LastError, "550") {
			t.Fatalf("after a 550: %+v", e)
		}
		if e := mustGet(t, db, goodID); e.Status != mail.Sent {
			t.Fatalf("the next message was not sent: %+v", e)
		}
	})
}

func TestTwoSendersNeverSendOneMessageTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t, plainServer, "", "")
		const total = 40
		for i := range total {
			m := message(fmt.Sprint("invite:", i))
			m.Subject = fmt.Sprint("Message ", i)
			enqueue(t, db, m)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var wg sync.WaitGroup
		for _, name := range []string{"instance-a", "instance-b"} {
			s := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.NoTLS),
				Name: name, BatchSize: 3, PollInterval: 5 * time.Millisecond, Logger: quietLogger()})
			wg.Go(func() { s.Run(ctx) })
		}
		eventually(t, "every message sent", func() bool {
			counts, err := mail.Counts(context.Background(), db)
			return err == nil && counts[mail.Sent] == total
		})
		cancel()
		wg.Wait()
		seen := map[string]int{}
		for _, m := range srv.messages() {
			seen[m.MessageID]++
		}
		if len(seen) != total {
			t.Errorf("server received %d distinct messages, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("message %s received %d times", id, n)
			}
		}
	})
}

// A sender stopped while the SMTP server hangs in the middle of a batch: a
// new sender delivers every message; the one interrupted may arrive twice,
// with one Message-ID.
func TestARestartInTheMiddleOfSendingLosesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t, startTLSServer, "", "")
		const total = 6
		var ids []int64
		for i := range total {
			m := message(fmt.Sprint("invite:", i))
			m.Subject = fmt.Sprint("Message ", i)
			ids = append(ids, enqueue(t, db, m))
		}
		clk := newClock()
		// The server takes the first two, then hangs after reading the
		// third (before saying OK).
		var release func()
		srv.answer = func(n int) error {
			if n == 3 {
				release = srv.hangLocked()
			}
			return nil
		}
		first := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.StartTLS),
			Name: "before-restart", Now: clk.Now, Lease: time.Minute, SendTimeout: 10 * time.Second, Logger: quietLogger()})
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { first.Run(ctx); close(done) }()
		eventually(t, "the server to hang on the third message", func() bool { return len(srv.messages()) == 3 })
		stop()
		<-done
		release()
		counts, err := mail.Counts(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if counts[mail.Sent] != 2 || counts[mail.Pending] != total-2 {
			t.Fatalf("after the stop: %v, want 2 sent and %d pending", counts, total-2)
		}

		second := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.StartTLS),
			Name: "after-restart", Now: clk.Now, Lease: time.Minute, Logger: quietLogger()})
		for sendDue(t, second) > 0 {
		}
		for _, id := range ids {
			if e := mustGet(t, db, id); e.Status != mail.Sent {
				t.Errorf("message %d not sent after the restart: %+v", id, e)
			}
		}
		bySubject := map[string][]string{}
		for _, m := range srv.messages() {
			bySubject[m.Subject] = append(bySubject[m.Subject], m.MessageID)
		}
		for i := range total {
			got := bySubject[fmt.Sprint("Message ", i)]
			if len(got) == 0 {
				t.Errorf("message %d never reached the server", i)
			}
			for _, id := range got {
				if id != got[0] {
					t.Errorf("message %d arrived with two Message-IDs: %v", i, got)
				}
			}
		}
		if n := len(bySubject["Message 2"]); n != 2 {
			t.Errorf("the interrupted message arrived %d times, want 2 (once before, once after the restart)", n)
		}
	})
}

// A sender that dies holding a lease (no chance to release it): once the
// lease expires another sender takes the messages over.
func TestAnExpiredLeaseIsTakenOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := newSMTPServer(t, plainServer, "", "")
		clk := newClock()
		for i := range 3 {
			enqueue(t, db, message(fmt.Sprint("invite:", i)))
		}
		crashed := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.NoTLS), Name: "crashed", Now: clk.Now, Lease: time.Minute})
		if n, err := mail.ClaimOnly(context.Background(), crashed); err != nil || n != 3 {
			t.Fatalf("claim: %d, %v", n, err)
		}
		other := mail.NewSender(mail.Options{DB: db, Transport: srv.transport(t, mail.NoTLS), Name: "other", Now: clk.Now, Lease: time.Minute, Logger: quietLogger()})
		if n := sendDue(t, other); n != 0 {
			t.Fatalf("took %d leased messages", n)
		}
		clk.Add(time.Minute + time.Second)
		if n := sendDue(t, other); n != 3 {
			t.Fatalf("took %d messages after the lease expired, want 3", n)
		}
		if len(srv.messages()) != 3 {
			t.Fatalf("server received %d messages, want 3", len(srv.messages()))
		}
	})
}

func TestNotifyWakesTheSender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var logs bytes.Buffer
		var mu sync.Mutex
		logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
		s := mail.NewSender(mail.Options{DB: db, Transport: mail.LogTransport{Logger: logger}, PollInterval: time.Hour, Logger: logger})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		// Run first looks at the empty outbox, then sleeps for an hour.
		time.Sleep(50 * time.Millisecond)
		id := enqueue(t, db, message("invite:1"))
		s.Notify()
		eventually(t, "the message marked sent", func() bool { return mustGet(t, db, id).Status == mail.Sent })
		mu.Lock()
		out := logs.String()
		mu.Unlock()
		if !strings.Contains(out, "Invitation à rejoindre Vivier") || !strings.Contains(out, "elodie@example.org") {
			t.Errorf("log lacks the recipient or subject:\n%s", out)
		}
		if strings.Contains(out, "Vous êtes invitée") {
			t.Errorf("log holds the body:\n%s", out)
		}
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestPurgeDeletesOldSentMessagesOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sent := enqueue(t, db, message("invite:1"))
		s := mail.NewSender(mail.Options{DB: db, Transport: mail.LogTransport{Logger: quietLogger()}, Logger: quietLogger()})
		sendDue(t, s)
		pending := enqueue(t, db, message("invite:2"))
		if n, err := s.Purge(ctx, time.Now().Add(-90*24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("purge of recent messages: %d, %v", n, err)
		}
		n, err := s.Purge(ctx, time.Now().Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("purge: %d, %v", n, err)
		}
		if _, err := mail.Get(ctx, db, sent); err == nil {
			t.Error("the old sent message is still there")
		}
		if e := mustGet(t, db, pending); e.Status != mail.Pending {
			t.Errorf("pending message: %+v", e)
		}
	})
}
