package app_test

import (
	"strings"
	"testing"

	"vivier/internal/browsertest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// TestHomePageInBrowser opens the home page in headless Chromium and checks
// what a visitor sees first: the title, the main heading, the language, and
// the stylesheet applied (served from the binary, allowed by the CSP).
func TestHomePageInBrowser(t *testing.T) {
	srv := newTestServer(t, storetest.Open(t, store.SQLite))
	page := browsertest.NewPage(t, srv.URL).Visit("/")
	if got := page.Title(); got != "Accueil · Vivier" {
		t.Errorf("title = %q", got)
	}
	if got := page.Text("h1"); got != "Des experts de terrain pour les territoires" {
		t.Errorf("main heading = %q", got)
	}
	if got := page.Eval(`document.documentElement.lang`); got != "fr" {
		t.Errorf("lang = %v, want fr", got)
	}
	// The stylesheet colours headings dark blue (#123459).
	colour := page.Eval(`getComputedStyle(document.querySelector("h1")).color`).(string)
	if !strings.Contains(colour, "18, 52, 89") {
		t.Errorf("h1 colour = %q: the embedded stylesheet did not apply", colour)
	}
}
