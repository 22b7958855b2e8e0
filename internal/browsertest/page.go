package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Page is one user's browser tab on the site served at Base.
type Page struct {
	t    testing.TB
	ctx  context.Context
	Base string // e.g. http://127.0.0.1:41234
}

// NewPage starts a fresh browser (a user with no cookies) on the site at base.
func NewPage(t testing.TB, base string) *Page {
	t.Helper()
	return &Page{t: t, ctx: Start(t), Base: base}
}

// run runs one step with a timeout and fails the test, naming the step and
// the current address, when it fails. On failure it saves a screenshot in
// the test's output folder when VIVIER_SCREENSHOTS is set to a folder.
func run[T any](p *Page, step string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.screenshot(step)
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		p.t.Fatalf("browser step %q failed on %s: %v", step, loc, err)
	}
	return v
}

func (p *Page) screenshot(step string) {
	dir := os.Getenv("VIVIER_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(80))
	if err == nil {
		name := strings.NewReplacer("/", "_", " ", "_").Replace(p.t.Name() + "_" + step)
		os.WriteFile(filepath.Join(dir, name+".jpg"), png, 0o644)
	}
}

// Visit opens path (relative to Base) and waits for the page's body.
func (p *Page) Visit(path string) *Page {
	p.t.Helper()
	run(p, "visit "+path, chromedp.Steps(chromedp.Navigate(p.Base+path), chromedp.WaitReady(chromedp.CSS("body"))))
	return p
}

// Fill types value into the field matched by the CSS selector, replacing
// what it held, as a user would (key events fire).
func (p *Page) Fill(css, value string) *Page {
	p.t.Helper()
	run(p, "fill "+css, chromedp.Steps(chromedp.Clear(chromedp.CSS(css)), chromedp.SendKeys(chromedp.CSS(css), value)))
	return p
}

// Set sets the value of a field (select, date input…) directly and fires the
// change event.
func (p *Page) Set(css, value string) *Page {
	p.t.Helper()
	run(p, "set "+css, chromedp.Steps(
		chromedp.SetValue(chromedp.CSS(css), value),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event("change", {bubbles: true}))`, css)),
	))
	return p
}

// Check ticks a checkbox or radio button (clicking it only if unticked).
func (p *Page) Check(css string) *Page {
	p.t.Helper()
	if !p.Eval(fmt.Sprintf(`document.querySelector(%q).checked`, css)).(bool) {
		p.Click(css)
	}
	return p
}

// Upload attaches a file to a file input.
func (p *Page) Upload(css, file string) *Page {
	p.t.Helper()
	run(p, "upload "+css, chromedp.SetUploadFiles(chromedp.CSS(css), []string{file}))
	return p
}

// Click clicks the element matched by the CSS selector.
func (p *Page) Click(css string) *Page {
	p.t.Helper()
	run(p, "click "+css, chromedp.Click(chromedp.CSS(css)))
	return p
}

// Submit clicks the element (a submit button or link) and waits for the next
// page to load, so that what follows reads the new page, not the old one.
func (p *Page) Submit(css string) *Page {
	p.t.Helper()
	run(p, "mark page", chromedp.Evaluate[chromedp.Void](`window.__vivierOldPage = true`))
	run(p, "submit "+css, chromedp.Click(chromedp.CSS(css)))
	p.waitNextPage("after clicking " + css)
	return p
}

// waitNextPage waits until the marked page is replaced by a loaded one. A
// JavaScript poll does not survive the navigation it waits for, so poll
// from Go, ignoring the errors of the document being swapped.
func (p *Page) waitNextPage(why string) {
	p.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		done, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`!window.__vivierOldPage && document.readyState === "complete"`))
		if err == nil && done {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.screenshot("next page")
	p.t.Fatalf("no new page loaded %s within %s (still on %s)", why, stepTimeout, p.Path())
}

// Text returns the visible text of the first element matched.
func (p *Page) Text(css string) string {
	p.t.Helper()
	return strings.TrimSpace(run(p, "read "+css, chromedp.Text(chromedp.CSS(css))))
}

// Value returns the current value of a form field.
func (p *Page) Value(css string) string {
	p.t.Helper()
	return run(p, "value of "+css, chromedp.Value(chromedp.CSS(css)))
}

// Has reports whether an element matches the selector now (no waiting).
func (p *Page) Has(css string) bool {
	p.t.Helper()
	return p.Eval(fmt.Sprintf(`document.querySelector(%q) !== null`, css)).(bool)
}

// Count returns how many elements match the selector now.
func (p *Page) Count(css string) int {
	p.t.Helper()
	return int(p.Eval(fmt.Sprintf(`document.querySelectorAll(%q).length`, css)).(float64))
}

// WaitFor waits until an element matching the selector is visible.
func (p *Page) WaitFor(css string) *Page {
	p.t.Helper()
	run(p, "wait for "+css, chromedp.WaitVisible(chromedp.CSS(css)))
	return p
}

// Title returns the document title.
func (p *Page) Title() string {
	p.t.Helper()
	return run(p, "read title", chromedp.Title())
}

// Path returns the current address, without the Base.
func (p *Page) Path() string {
	p.t.Helper()
	return strings.TrimPrefix(run(p, "read location", chromedp.Location()), p.Base)
}

// Eval evaluates a JavaScript expression and returns its JSON value
// (bool, float64, string, []any, map[string]any or nil).
func (p *Page) Eval(js string) any {
	p.t.Helper()
	return run(p, "evaluate "+js, chromedp.Evaluate[any](js))
}

// Context is the chromedp context, for steps Page does not offer.
func (p *Page) Context() context.Context { return p.ctx }
