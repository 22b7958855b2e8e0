package need

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// confirmationLink returns the secret of the newest confirmation link
// emailed to email.
func confirmationLink(t *testing.T, db *store.DB, email string) string {
	t.Helper()
	list, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`/confirmer-besoin/([A-Z0-9]+)`)
	for _, e := range list {
		if strings.Contains(e.Message.To, email) {
			if m := re.FindStringSubmatch(e.Message.Text); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no confirmation link emailed to %s", email)
	return ""
}

// TestPublicSubmissionsWaitForTheirAddressAndAreLimited: a need sent
// through the public form enters the coordinators' queue only once its
// address confirmed it; the confirmation email quotes nothing the sender
// typed; submissions are limited per source and per recipient; the
// unconfirmed ones are counted, then deleted after 7 days.
func TestPublicSubmissionsWaitForTheirAddressAndAreLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		s := New(Options{DB: db, Geo: geo.Default(), BaseURL: "https://vivier.example", Now: func() time.Time { return now }})
		in := input("01004", "entreprises.foncier", "2027-01-04", "2027-03-26")
		in.Title = "GAGNEZ 1000 € : cliquez sur http://arnaque.example"
		in.Contact = &Contact{Name: "Victime", Email: "victime@exemple.fr"}
		if _, err := s.Submit(ctx, in, visitor); err != nil {
			t.Fatal(err)
		}
		if page, err := s.List(ctx, Filter{Page: 1}, access.System); err != nil || page.Total != 0 {
			t.Fatalf("an unconfirmed need is in the queue: %d, %v", page.Total, err)
		}
		if n, _ := s.Unconfirmed(ctx, access.System); n != 1 {
			t.Errorf("%d unconfirmed, want 1", n)
		}
		msgs, _ := mail.List(ctx, db, "", 0)
		if len(msgs) != 1 || msgs[0].Message.Subject != "Confirmez votre demande sur Vivier" ||
			strings.Contains(msgs[0].Message.Text, "arnaque") || strings.Contains(msgs[0].Message.HTML, "arnaque") {
			t.Fatalf("the confirmation email: %+v", msgs)
		}
		// Per recipient: 3 a day, from any address.
		for i := range 2 {
			if _, err := s.Submit(ctx, in, access.Actor{IP: "198.51.100." + string(rune('1'+i))}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Submit(ctx, in, access.Actor{IP: "198.51.100.9"}); access.CodeOf(err) != access.TooMany {
			t.Errorf("a 4th confirmation to one address in a day: %v, want too many", err)
		}
		// Per source: 5 an hour, to any address.
		for i := range 5 {
			in.Contact.Email = "maire" + string(rune('a'+i)) + "@exemple.fr"
			_, err := s.Submit(ctx, in, access.Actor{IP: "203.0.113.5"})
			if i < 5 && err != nil {
				t.Fatalf("submission %d from one address: %v", i+1, err)
			}
		}
		in.Contact.Email = "encore@exemple.fr"
		if _, err := s.Submit(ctx, in, access.Actor{IP: "203.0.113.5"}); access.CodeOf(err) != access.TooMany {
			t.Errorf("a 6th submission from one address in an hour: %v, want too many", err)
		}
		// A link is used once; after 7 days the others are gone.
		token := confirmationLink(t, db, "victime@exemple.fr")
		if _, err := s.Confirm(ctx, token, visitor); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Confirm(ctx, token, visitor); !errors.Is(err, ErrSubmissionLink) {
			t.Errorf("a link used twice: %v", err)
		}
		// The used link leads to the need it created, and holds no contact.
		if n, err := s.Receipt(ctx, token); err != nil || n.Title != in.Title {
			t.Errorf("the used link's receipt: %+v, %v", n, err)
		}
		if n := countRows(t, db, `SELECT count(*) FROM need_submissions WHERE need_id IS NOT NULL AND (contact_email <> '' OR ip <> '' OR input <> '{}')`); n != 0 {
			t.Errorf("%d used links still hold a contact", n)
		}
		if n, _ := s.Unconfirmed(ctx, access.System); n != 7 {
			t.Errorf("%d unconfirmed after one confirmed, want 7", n)
		}
		now = now.Add(SubmissionLifetime + time.Minute)
		// The 7 unconfirmed, and the used link's receipt.
		if n, err := s.ExpireSubmissions(ctx, access.System); err != nil || n != 8 {
			t.Errorf("expired %d, %v; want 8", n, err)
		}
		if _, err := s.Receipt(ctx, token); !errors.Is(err, ErrSubmissionLink) {
			t.Errorf("a receipt after 7 days: %v", err)
		}
		if _, err := s.Confirm(ctx, confirmationLink(t, db, "mairea@exemple.fr"), visitor); !errors.Is(err, ErrSubmissionLink) {
			t.Errorf("a link after 7 days: %v", err)
		}
		if n, _ := s.Unconfirmed(ctx, access.System); n != 0 {
			t.Errorf("%d unconfirmed after expiry", n)
		}
	})
}
