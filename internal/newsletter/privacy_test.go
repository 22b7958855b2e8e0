package newsletter_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestSubscriberDownloadsThenErasesTheirData: from the page their emails
// link to, a reader downloads what is held about them (consent proof,
// messages, hits), then erases it; the campaign's figures stay, no later
// hit is recorded on them, and an import of an old file does not bring the
// address back.
func TestSubscriberDownloadsThenErasesTheirData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Now().UTC()
		s := newService(db, func() time.Time { return clock })
		ctx := context.Background()
		id, token := oneSent(t, s, true)
		reader := access.Visitor("192.0.2.70")
		clock = clock.Add(time.Hour)
		s.Open(ctx, token, browser, reader)
		if err := s.FlushHits(ctx); err != nil {
			t.Fatal(err)
		}
		leaving, err := s.LeavingOf(ctx, token, reader)
		if err != nil {
			t.Fatal(err)
		}
		prefs := leaving.Preferences
		data, err := s.DataOf(ctx, prefs, reader)
		if err != nil {
			t.Fatal(err)
		}
		if data.Email != "lecteur000000@exemple.fr" || !data.TrackingConsent || len(data.Subscriptions) != 1 ||
			data.Subscriptions[0].ConsentText == "" || len(data.Messages) != 1 || data.Messages[0].SentAt == nil ||
			len(data.Hits) != 1 || data.Hits[0].IP != "192.0.2.70" || data.Hits[0].Link != -1 {
			t.Fatalf("the reader's data: %+v", data)
		}
		before, _ := s.Stats(ctx, id, access.System)

		if err := s.EraseOf(ctx, prefs, reader); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DataOf(ctx, prefs, reader); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("data after erasure: %v, want not found", err)
		}
		if err := s.EraseOf(ctx, prefs, reader); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a second erasure: %v, want not found", err)
		}
		var left int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM campaign_messages WHERE email LIKE '%lecteur%' OR name <> ''`).Scan(&left); err != nil || left != 0 {
			t.Errorf("%d messages still name the reader (%v)", left, err)
		}
		clock = clock.Add(time.Hour)
		s.Open(ctx, token, browser, access.Visitor("192.0.2.71"))
		if _, ok := s.Click(ctx, token, 0, browser, access.Visitor("192.0.2.71")); !ok {
			t.Error("the erased reader's link no longer leads to its page")
		}
		if err := s.FlushHits(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Stats(ctx, id, access.System)
		if after.Counts != before.Counts {
			t.Errorf("figures changed by the erasure or a later hit: %+v, were %+v", after.Counts, before.Counts)
		}
		var hits int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM newsletter_hits`).Scan(&hits); err != nil || hits != 0 {
			t.Errorf("%d hits kept after erasure (%v)", hits, err)
		}
		c, _ := s.Campaign(ctx, id, access.System)
		added, err := s.Import(ctx, c.ListIDs[0], strings.NewReader("email;nom\nlecteur000000@exemple.fr;Zéro\n"), newsletter.Consent, access.System)
		if err != nil || added.Added != 0 || added.Skipped != 1 {
			t.Errorf("import of the erased address: %+v %v, want it skipped", added, err)
		}
	})
}

// TestAccountErasureErasesItsSubscriber: a person with an account finds
// their subscription in their account's export, and erasing the account
// erases it.
func TestAccountErasureErasesItsSubscriber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(db, nil)
		ctx := context.Background()
		var uid int64
		if err := db.QueryRowContext(ctx, `INSERT INTO users (email, name, role, status, created_at, updated_at)
			VALUES ('Claire@Agence.fr', 'Claire', 'member', 'active', $1, $1) RETURNING id`, time.Now().UTC()).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		if section, data, err := (newsletter.Privacy{}).ExportPerson(ctx, db, uid); err != nil || data != nil {
			t.Fatalf("export before any subscription: %s %+v %v", section, data, err)
		}
		list, _ := audience(t, s, 1)
		me := access.Actor{UserID: uid, Role: access.Member, IP: "192.0.2.80"}
		if err := s.SetMyLists(ctx, newsletter.Choice{ListIDs: []int64{list}, Tracking: true}, me); err != nil {
			t.Fatal(err)
		}
		section, data, err := (newsletter.Privacy{}).ExportPerson(ctx, db, uid)
		p, _ := data.(newsletter.PersonData)
		if err != nil || section != "newsletters" || p.Email != "claire@agence.fr" || len(p.Subscriptions) != 1 || p.Subscriptions[0].Source != "account" {
			t.Fatalf("export %s %+v %v", section, data, err)
		}
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return (newsletter.Privacy{}).ErasePerson(ctx, tx, uid) }); err != nil {
			t.Fatal(err)
		}
		if _, data, err := (newsletter.Privacy{}).ExportPerson(ctx, db, uid); err != nil || data != nil {
			t.Errorf("export after erasure: %+v %v", data, err)
		}
		sup, err := s.Suppressions(ctx, 10, access.System)
		if err != nil || len(sup) != 1 || sup[0].Email != "claire@agence.fr" {
			t.Errorf("suppression list after erasure: %+v %v", sup, err)
		}
	})
}

// TestRetentionPeriods: subscriptions never confirmed go after 30 days,
// raw hits after 13 months (figures kept), hits after the measure's
// window are refused, people who left every list are erased after three
// years.
func TestRetentionPeriods(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Now().UTC()
		s := newService(db, func() time.Time { return clock })
		ctx := context.Background()
		id, token := oneSent(t, s, true)
		c, _ := s.Campaign(ctx, id, access.System)
		visitor := access.Visitor("192.0.2.90")
		if err := s.Subscribe(ctx, newsletter.Subscription{Email: "jamais@exemple.fr", ListIDs: c.ListIDs}, visitor); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		s.Open(ctx, token, browser, visitor)
		clock = clock.Add(newsletter.MeasureWindow)
		s.Open(ctx, token, browser, access.Visitor("192.0.2.91")) // too late: refused
		if err := s.FlushHits(ctx); err != nil {
			t.Fatal(err)
		}
		before, _ := s.Stats(ctx, id, access.System)
		if before.HumanOpeners != 1 || before.PixelOpeners != 1 {
			t.Errorf("openers %d, naive %d: want the first open only", before.HumanOpeners, before.PixelOpeners)
		}
		if _, err := s.Retain(ctx, access.Visitor("192.0.2.92")); access.CodeOf(err) != access.Forbidden {
			t.Errorf("retention by a visitor: %v", err)
		}

		clock = clock.Add(newsletter.PendingRetention) // the unconfirmed subscription has expired
		r, err := s.Retain(ctx, access.System)
		if err != nil || r != (newsletter.Retained{Pending: 1}) {
			t.Errorf("after 30 days: %+v %v, want the pending subscription", r, err)
		}
		clock = clock.Add(newsletter.HitRetention)
		if r, err = s.Retain(ctx, access.System); err != nil || r != (newsletter.Retained{Hits: 1}) {
			t.Errorf("after 13 months: %+v %v, want the hit", r, err)
		}
		if after, _ := s.Stats(ctx, id, access.System); after.Counts != before.Counts {
			t.Errorf("figures after the hits' retention: %+v, were %+v", after.Counts, before.Counts)
		}

		leaving, err := s.LeavingOf(ctx, token, visitor)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UnsubscribeAll(ctx, leaving.Preferences, visitor); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(newsletter.InactiveRetention - time.Hour)
		if r, err = s.Retain(ctx, access.System); err != nil || r != (newsletter.Retained{}) {
			t.Errorf("before three years: %+v %v, want nothing", r, err)
		}
		clock = clock.Add(2 * time.Hour)
		if r, err = s.Retain(ctx, access.System); err != nil || r != (newsletter.Retained{Erased: 1}) {
			t.Errorf("after three years: %+v %v, want the reader erased", r, err)
		}
		if _, err := s.DataOf(ctx, leaving.Preferences, visitor); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the erased reader's data: %v", err)
		}
	})
}
