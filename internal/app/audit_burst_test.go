package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// auditEvents counts the events of action in the audit log once the
// anonymous bursts are flushed: each entry, plus the repeats a summary
// entry stands for.
func auditEvents(t *testing.T, db *store.DB, action string) (events, entries int) {
	t.Helper()
	ctx := context.Background()
	if _, err := audit.FlushBursts(ctx, db, time.Now().Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	list, n, err := audit.List(ctx, db, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	events = n
	for _, e := range list {
		if r, ok := e.Details["repeated"]; ok {
			var k int
			fmt.Sscan(fmt.Sprint(r), &k)
			events += k - 1 // the summary entry itself was counted once
		}
	}
	return events, n
}

// TestAnonymousSecurityEventsAreAggregated sends 40 forged forms from one
// anonymous address: the undeletable audit log grows by two entries (the
// first refusal, and a summary of the 39 others for that minute), not 40.
func TestAnonymousSecurityEventsAreAggregated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		for range 40 {
			resp, _ := do(t, form(t, ta.srv.URL, "/connexion", url.Values{"email": {"x@vivier.test"}, "password": {"x"}}))
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("a forged form: %d", resp.StatusCode)
			}
		}
		events, entries := auditEvents(t, db, "security.csrf_refused")
		if entries > 2 || events != 40 {
			t.Errorf("40 refusals from one address in a minute: %d entries standing for %d events, want at most 2 for 40", entries, events)
		}
	})
}
