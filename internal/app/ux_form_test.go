package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// summaryLinks returns the fields the error summary of body links to, in
// its order.
func summaryLinks(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<li><a href="#f-([a-z_]+)">`).FindAllStringSubmatch(between(body, `id="erreurs"`, "</div>"), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestPublicFormTellsEverythingOnceInFieldOrder: an empty form gets every
// error in one answer, summarised in the order of the fields; « x » titles,
// « 12 » phones and windows already begun are refused.
func TestPublicFormTellsEverythingOnceInFieldOrder(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	resp, body := ta.postPublic(t, "/besoins/nouveau", url.Values{})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an empty form: %d", resp.StatusCode)
	}
	want := []string{"title", "commune", "skills", "kind", "start", "end", "days_per_week", "format", "contact_name", "contact_email", "consent"}
	if got := summaryLinks(body); !slices.Equal(got, want) {
		t.Errorf("summary of an empty form: %v, want %v", got, want)
	}
	v := validNeedForm()
	v.Set("title", "x")
	v.Set("contact_phone", "12")
	v.Set("start", "2026-01-05")
	resp, body = ta.postPublic(t, "/besoins/nouveau", v)
	if got := summaryLinks(body); resp.StatusCode != http.StatusUnprocessableEntity || !slices.Equal(got, []string{"title", "start", "contact_phone"}) {
		t.Errorf("a short title, a short phone, a past start: %d %v", resp.StatusCode, got)
	}
	for _, msg := range []string{"10 caractères et 2 mots au moins", "est passé", "n’est pas un numéro de téléphone français"} {
		if !strings.Contains(body, msg) {
			t.Errorf("no message %q", msg)
		}
	}
	v.Set("title", "Un chargé de mission commerce")
	v.Set("contact_phone", "04 74 00 00 00")
	v.Set("start", "2027-01-04")
	if resp, _ := ta.postPublic(t, "/besoins/nouveau", v); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the corrected form: %d", resp.StatusCode)
	}
}

// TestPostsRedirect: the public form, its confirmation and its reload
// follow POST/redirect/GET: reloading the page after confirming shows the
// need again and creates no other.
func TestPostsRedirect(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	resp, _ := ta.postPublic(t, "/besoins/nouveau", validNeedForm())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	path := confirmationPath(t, db, "mairie@exemple.fr")
	resp, _ = ta.postPublic(t, path, url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path {
		t.Fatalf("confirm: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	for range 2 { // the page, then its reload
		if resp, body := ta.get(t, "", path); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Merci, votre besoin est enregistré") {
			t.Errorf("the used link's page: %d", resp.StatusCode)
		}
	}
	if resp, _ := ta.postPublic(t, path, url.Values{}); resp.StatusCode != http.StatusGone {
		t.Errorf("the confirmation sent again: %d", resp.StatusCode)
	}
	if n := count(t, db, `SELECT count(*) FROM needs`); n != 1 {
		t.Errorf("%d needs after confirming and reloading, want 1", n)
	}
}
