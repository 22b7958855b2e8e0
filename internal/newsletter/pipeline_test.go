package newsletter_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/newsletter/nltest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestCampaignReachesEveryRecipientOnce sends a campaign through the
// pipeline to a real SMTP relay: every subscriber gets one message, with
// RFC 8058's headers, a text part, and the measure only when they accepted
// it.
func TestCampaignReachesEveryRecipientOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(db, nil)
		_, id := audience(t, s, 250)
		ctx := context.Background()
		if err := s.Send(ctx, id, nil, access.System); err != nil {
			t.Fatal(err)
		}
		sink := nltest.Start(t, nltest.Options{KeepBodies: true})
		sendAll(t, s, sender(t, s, sink, "seul", 40), id)
		got := sink.Messages()
		if len(got) != 250 {
			t.Fatalf("%d messages, want 250", len(got))
		}
		seen := map[string]bool{}
		for _, m := range got {
			if seen[m.To] {
				t.Errorf("%s got two messages", m.To)
			}
			seen[m.To] = true
			if !strings.HasPrefix(m.Header.Get("List-Unsubscribe"), "<https://vivier.test/lettres/desinscription/") ||
				!strings.Contains(m.Header.Get("List-Unsubscribe"), "mailto:lettre@vivier.test") ||
				m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Fatalf("unsubscribe headers: %v", m.Header)
			}
			raw := string(m.Raw)
			if !strings.Contains(raw, "Content-Type: text/plain; charset=utf-8") || !strings.Contains(raw, "Content-Type: text/html; charset=utf-8") {
				t.Fatalf("not a text and HTML message:\n%s", raw)
			}
		}
		st, err := s.Stats(ctx, id, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if st.Campaign.Status != newsletter.Sent || st.Delivered != 250 || st.Recipients != 250 || st.Tracked != 167 {
			t.Errorf("stats after sending: %+v", st)
		}
	})
}

// TestTwoInstancesShareACampaign runs two pipelines, each with its own
// connections to the database, on one campaign on PostgreSQL: every
// recipient gets exactly one message.
func TestTwoInstancesShareACampaign(t *testing.T) {
	src := storetest.Source(t, store.Postgres)
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(ctx, src, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	one, two := open(), open()
	if _, err := one.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s1, s2 := newService(one, nil), newService(two, nil)
	_, id := audience(t, s1, 1200)
	if err := s1.Send(ctx, id, nil, access.System); err != nil {
		t.Fatal(err)
	}
	sink := nltest.Start(t, nltest.Options{})
	var wg sync.WaitGroup
	for i, p := range []*newsletter.Sender{sender(t, s1, sink, "instance-1", 50), sender(t, s2, sink, "instance-2", 50)} {
		s := []*newsletter.Service{s1, s2}[i]
		wg.Go(func() { sendAll(t, s, p, id) })
	}
	wg.Wait()
	got := sink.Messages()
	count := map[string]int{}
	for _, m := range got {
		count[m.To]++
	}
	for to, n := range count {
		if n != 1 {
			t.Errorf("%s received %d messages", to, n)
		}
	}
	if len(count) != 1200 {
		t.Errorf("%d recipients reached, want 1200", len(count))
	}
	_ = time.Second
}
