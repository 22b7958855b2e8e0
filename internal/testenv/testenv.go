// Package testenv decides what a test does when a component it needs
// (PostgreSQL, Chromium, an SMTP server binary…) is missing on the machine:
// skip with one clear line on a developer's machine, fail under CI, where a
// missing component means the CI setup is wrong and must never pass silently.
package testenv

import (
	"os"
	"testing"
)

// InCI reports whether the tests run under continuous integration (CI set).
func InCI() bool { return os.Getenv("CI") != "" }

// Missing stops the test because component is unavailable: a failure under
// CI, a skip otherwise. why says what was looked for and where.
func Missing(t testing.TB, component, why string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s is required under CI but missing: %s", component, why)
	}
	t.Skipf("skipped: %s not available (%s)", component, why)
}
