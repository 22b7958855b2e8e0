package app_test

import (
	"fmt"
	"strings"
	"testing"

	"vivier/internal/browsertest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestShortlistInBrowser: in headless Chromium, a coordinator opens a need,
// sees the shortlist with its bars and the excluded counts, asks « pourquoi
// pas » for an excluded expert and reads the reason.
func TestShortlistInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	id := seedMatchPool(t, ta)
	page := browsertest.NewPage(t, ta.srv.URL)
	page.Visit("/connexion").Fill("#f-email", "coordinator@vivier.test").Fill("#f-password", testPassword).
		Submit(`form[action="/connexion"] button[type=submit]`)
	page.Visit(fmt.Sprintf("/besoins/%d", id))

	if n := page.Count("#shortlist tbody tr[data-reference]"); n != 2 {
		t.Fatalf("%d experts in the shortlist, want 2", n)
	}
	if first := page.Text("#shortlist tbody tr:first-child"); !strings.Contains(first, "Claire Arnaud") || !strings.Contains(first, "Points forts") {
		t.Errorf("first row: %q", first)
	}
	if n := page.Count("#shortlist meter.bar"); n != 16 {
		t.Errorf("%d bars, want 8 per expert", n)
	}
	if drawn, _ := page.Eval(`Array.from(document.querySelectorAll("#shortlist meter.bar")).every(function (m) { return m.getBoundingClientRect().width > 20 })`).(bool); !drawn {
		t.Error("the component bars are not drawn")
	}
	if got := page.Text(`#excluded tr[data-reason="out_of_zone"]`); !strings.Contains(got, "hors zone") || !strings.Contains(got, "2") {
		t.Errorf("excluded out of zone: %q", got)
	}
	if got := page.Text("#matching-summary"); !strings.Contains(got, "8 exclus") {
		t.Errorf("summary: %q", got)
	}

	page.Fill("#f-pourquoi", "Jean Fabre").Submit(`#why-form button[type=submit]`)
	answer := page.Text("#why-answer")
	if !strings.Contains(answer, "Jean Fabre (M-06)") || !strings.Contains(answer, "ne couvrent ni le département 69") {
		t.Errorf("pourquoi pas Jean Fabre: %q", answer)
	}
	if v := page.Value("#f-pourquoi"); v != "Jean Fabre" {
		t.Errorf("the box lost the name asked: %q", v)
	}
}
