package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestListsOfferedOnTheirOwnPage: an expert and a member agency's staff
// find the public lists on their own page (a link of their navigation),
// not the staff's private ones; ticking one subscribes the address of
// their account at once — the account is the confirmation — with the
// proof of consent, and the member's subscription is attributed to their
// agency (the engagement per member counts it).
func TestListsOfferedOnTheirOwnPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		public, err := ta.Newsletter.CreateList(ctx, newsletter.ListInput{Name: "La lettre des agences", Public: true, DoubleOptIn: true}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ta.Newsletter.CreateList(ctx, newsletter.ListInput{Name: "Liste interne du bureau"}, access.System); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"expert", "member"} {
			_, home := ta.get(t, key, "/")
			if !strings.Contains(home, `href="/mes-lettres"`) {
				t.Errorf("%s: no link to their lists in the navigation", key)
			}
			resp, page := ta.get(t, key, "/mes-lettres")
			if resp.StatusCode != 200 || !strings.Contains(page, "La lettre des agences") || strings.Contains(page, "Liste interne du bureau") ||
				!strings.Contains(page, ta.emails[key]) {
				t.Fatalf("%s's page: %d %s", key, resp.StatusCode, excerptOf([]byte(page)))
			}
			resp, _ = ta.post(t, key, "/mes-lettres", url.Values{"lists": {strconv.FormatInt(public.ID, 10)}, "tracking": {"oui"}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mes-lettres?ok=lettre-preferences" {
				t.Fatalf("%s subscribes: %d %s", key, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		people, err := ta.Newsletter.Subscribers(ctx, public.ID, 0, access.System)
		if err != nil || len(people) != 2 {
			t.Fatalf("subscribers: %+v %v", people, err)
		}
		for _, p := range people {
			if p.Status != "subscribed" {
				t.Errorf("%s: %s, want subscribed without waiting for a confirmation", p.Email, p.Status)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM subscriptions WHERE source = 'account' AND consent_text <> '' AND confirmed_at IS NOT NULL`); n != 2 {
			t.Errorf("%d subscriptions with their proof of consent, want 2", n)
		}
		if n := count(t, db, `SELECT count(*) FROM subscribers s JOIN users u ON lower(u.email) = s.email
			WHERE u.role = 'member' AND s.organisation_id = u.organisation_id AND s.tracking_consent`); n != 1 {
			t.Errorf("the member's subscription is not attributed to their agency with the measure (%d)", n)
		}
	})
}
