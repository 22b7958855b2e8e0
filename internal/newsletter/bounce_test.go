package newsletter_test

import (
	"context"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/newsletter/nltest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestRelayRefusalsAreBounces: the relay's answers at send time are
// classified by their codes — a refused mailbox (5.1.1) is a hard bounce
// and goes on the suppression list; a temporary refusal (4.2.2) is a soft
// bounce, retried after 5 then 20 minutes, and the third in a row makes a
// hard one; a refusal by policy (5.7.1) fails the message without blaming
// the address.
func TestRelayRefusalsAreBounces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Now().UTC()
		s := newService(db, func() time.Time { return clock })
		ctx := context.Background()
		_, id := audience(t, s, 6)
		refusals := map[string]*smtp.SMTPError{
			"lecteur000001@exemple.fr": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unknown"},
			"lecteur000002@exemple.fr": {Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"},
			"lecteur000003@exemple.fr": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message refused by policy"},
		}
		sink := nltest.Start(t, nltest.Options{Rcpt: func(to string) error {
			if e, ok := refusals[to]; ok {
				return e
			}
			return nil
		}})
		p := sender(t, s, sink, "rebonds", 10)
		if err := s.Send(ctx, id, nil, access.System); err != nil {
			t.Fatal(err)
		}
		rounds := func() {
			for range 3 {
				if _, err := p.Once(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		suppressed := func() map[string]string {
			list, err := s.Suppressions(ctx, 10, access.System)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, x := range list {
				out[x.Email] = x.Reason
			}
			return out
		}
		rounds()
		st, _ := s.Stats(ctx, id, access.System)
		if st.Delivered != 3 || st.Bounced != 1 || st.Failed != 1 {
			t.Errorf("after the first round: %d delivered, %d bounced, %d failed; want 3, 1, 1", st.Delivered, st.Bounced, st.Failed)
		}
		if got := suppressed(); len(got) != 1 || got["lecteur000001@exemple.fr"] != "hard_bounce" {
			t.Errorf("suppressed after the first round: %v", got)
		}
		// The soft bounce is retried after 5 minutes, then 20: not before.
		clock = clock.Add(4 * time.Minute)
		rounds()
		if got := suppressed(); len(got) != 1 {
			t.Errorf("retried too early: %v", got)
		}
		clock = clock.Add(2 * time.Minute)
		rounds()
		clock = clock.Add(21 * time.Minute)
		rounds()
		got := suppressed()
		if len(got) != 2 || got["lecteur000002@exemple.fr"] != "hard_bounce" {
			t.Errorf("after three soft bounces: %v, want the full mailbox suppressed too", got)
		}
		c, _ := s.Campaign(ctx, id, access.System)
		st, _ = s.Stats(ctx, id, access.System)
		if c.Status != newsletter.Sent || st.Delivered != 3 || st.Bounced != 2 || st.Failed != 1 {
			t.Errorf("at the end: %s, %d delivered, %d bounced, %d failed; want sent, 3, 2, 1", c.Status, st.Delivered, st.Bounced, st.Failed)
		}
	})
}
