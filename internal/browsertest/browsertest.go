// Package browsertest drives a real headless Chromium for the web journeys'
// tests, through chromedp. Chromium is found as $VIVIER_CHROMIUM, or chromium,
// chromium-browser, google-chrome on PATH; without it the tests skip with one
// clear line, except under CI where that is a failure.
//
// Tests use Page, which reads like what a user does (Visit, Fill, Click,
// Text) and fails the test with the page's address when a step fails.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vivier/internal/testenv"
)

// Browser finds Chromium, or stops the test as testenv says.
func Browser(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("VIVIER_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Missing(t, "Chromium", "no chromium, chromium-browser or google-chrome on PATH and VIVIER_CHROMIUM unset; on Debian: apt-get install chromium")
	return ""
}

// Start launches a fresh headless Chromium for t, with its own profile folder,
// closed at the end of the test, and returns the chromedp context of its
// first tab (already started).
func Start(t testing.TB) context.Context {
	t.Helper()
	exe := Browser(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		// Without these, Chromium tries to reach Google's services, which a
		// closed test network refuses many times over.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first Run starts the browser; it must not carry a timeout, which
	// would stop the whole browser when it expires.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", exe, err)
	}
	return ctx
}

// NewTab opens another tab in the same browser, e.g. a second user (each tab
// of one browser shares cookies: use Start for a separate session).
func NewTab(t testing.TB, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

// stepTimeout bounds every step of a Page, so a broken page fails the test
// quickly with a clear message instead of hanging it.
const stepTimeout = 15 * time.Second
