package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/mail"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// confirmationPath returns the path of the newest confirmation link
// emailed to email by the public need form.
func confirmationPath(t *testing.T, db *store.DB, email string) string {
	t.Helper()
	list, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`/confirmer-besoin/[A-Z0-9]+`)
	for _, e := range list {
		if strings.Contains(e.Message.To, email) {
			if m := re.FindString(e.Message.Text); m != "" {
				return m
			}
		}
	}
	t.Fatalf("no confirmation link emailed to %s", email)
	return ""
}

// submitConfirmed submits in through the public form's service as actor
// and confirms it by the link emailed to its contact, as the mayor would.
func submitConfirmed(t *testing.T, ctx context.Context, db *store.DB, needs *need.Service, in need.Input, actor access.Actor) (need.Need, error) {
	t.Helper()
	if _, err := needs.Submit(ctx, in, actor); err != nil {
		return need.Need{}, err
	}
	token := strings.TrimPrefix(confirmationPath(t, db, strings.ToLower(in.Contact.Email)), "/confirmer-besoin/")
	return needs.Confirm(ctx, token, actor)
}

// confirmSubmission follows the newest confirmation link emailed to email,
// as its reader would: the page, then its button.
func (ta *testApp) confirmSubmission(t *testing.T, email string) (*http.Response, string) {
	t.Helper()
	path := confirmationPath(t, ta.DB, email)
	if resp, body := ta.get(t, "", path); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Confirmer et transmettre") {
		t.Fatalf("confirmation page: %d", resp.StatusCode)
	}
	resp, body := ta.postPublic(t, path, url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		return resp, body
	}
	// After the redirect, the page of the used link shows the need; a
	// reload shows it again and creates nothing.
	return ta.get(t, "", resp.Header.Get("Location"))
}

// TestThePublicNeedFormSendsNoEmailForAnyone: a need enters the
// coordinators' queue only from an address that confirmed it; the email
// sent to an address typed by anyone quotes nothing they typed; one
// source cannot send many; the dashboard counts the needs waiting.
func TestThePublicNeedFormSendsNoEmailForAnyone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		v := validNeedForm()
		v.Set("title", "Gagnez un iPhone sur http://arnaque.example")
		v.Set("contact_email", "victime@exemple.fr")
		resp, _ := ta.postPublic(t, "/besoins/nouveau", v)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/besoins/envoye" {
			t.Fatalf("submit: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM needs`); n != 0 {
			t.Errorf("an unconfirmed need entered the queue (%d)", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox WHERE subject LIKE '%arnaque%' OR text_body LIKE '%arnaque%' OR html_body LIKE '%arnaque%'`); n != 0 {
			t.Error("the email sent to the typed address quotes the typed title")
		}
		if _, body := ta.get(t, "coordinator", "/tableau-de-bord"); !strings.Contains(body, "1 besoin déposé attend") {
			t.Errorf("the dashboard does not count the need waiting for its address: %s", between(body, "<main", "</main>"))
		}
		for i := range 10 {
			v.Set("contact_email", "cible"+string(rune('a'+i))+"@exemple.fr")
			resp, body := ta.postPublic(t, "/besoins/nouveau", v)
			if i >= 4 && (resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "réessayez dans une heure")) {
				t.Fatalf("submission %d from one address in an hour: %d", i+2, resp.StatusCode)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox`); n != 5 {
			t.Errorf("%d emails sent from one address in an hour, want 5", n)
		}
	})
}
