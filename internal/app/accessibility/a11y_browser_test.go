package accessibility_test

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/browsertest"
	"vivier/internal/config"
	"vivier/internal/demo"
	"vivier/internal/httpkit"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// axeScript is axe-core, vendored (testdata/axe/SOURCE.md): injected into
// the pages by this test only, with the pages' CSP bypassed, so that the
// site itself never serves or allows it.
//
//go:embed testdata/axe/axe.min.js
var axeScript string

// wcagTags are the rules axe-core runs: WCAG 2.0, 2.1 and 2.2, levels A and AA.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// TestAccessibilityOfEveryPage opens every GET page of the demo data as
// every role (and as an anonymous visitor) in Chromium and fails on:
//   - any serious or critical axe-core violation of WCAG 2.2 AA;
//   - a page that scrolls sideways at 320 px width;
//   - a first Tab that does not reach the « Aller au contenu » link;
//   - any 5xx answer;
//   - any internal link of those pages that leads nowhere (404).
//
// The pages come from the router's route table, their wildcards filled
// with ids of the demo's records (a11yIDs), so that a page added later is
// checked without editing this test. One demo database and one browser
// serve the whole walk.
func TestAccessibilityOfEveryPage(t *testing.T) {
	w := newA11yWalk(t)
	for _, v := range w.visitors {
		t.Run(v.name, func(t *testing.T) {
			w.as(v)
			opened, start := 0, time.Now()
			for _, p := range w.pagesFor(v) {
				if w.check(t, v, p) {
					opened++
				}
			}
			pages, start := time.Since(start), time.Now()
			w.checkLinks(t, v)
			t.Logf("%d pages opened in %s, %d checked by axe-core (the others' content was checked for another role); %d internal links followed in %s",
				opened, pages.Round(time.Second), v.audits, len(v.links), time.Since(start).Round(time.Second))
		})
	}
	w.screenshots(t)
}

// a11yVisitor is one role of the walk, with its session and the internal
// links its pages showed.
type a11yVisitor struct {
	name   string
	role   string // "" for the anonymous visitor
	token  string
	links  map[string]string // link → the page that showed it
	audits int               // pages axe-core checked
}

type a11yWalk struct {
	t        *testing.T
	base     string
	routes   []httpkit.Route
	ids      map[string]string
	visitors []*a11yVisitor
	browser  context.Context
	client   *http.Client
	// only limits the walk to the paths that contain it (VIVIER_A11Y_ONLY),
	// to look at one page while fixing it.
	only string
	// audited are the main contents axe-core has already checked, as the
	// visitor's role saw them: the same content seen by another role is
	// not checked twice (its layout, checked on that role's first page,
	// is the same on all its pages).
	audited map[string]bool
}

func newA11yWalk(t *testing.T) *a11yWalk {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	accounts, err := demo.Fill(ctx, db, demo.Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test", Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	w := &a11yWalk{t: t, base: srv.URL, routes: a.Web.Router().Routes(), ids: a11yIDs(t, db), client: noRedirect}
	w.visitors = append(w.visitors, &a11yVisitor{name: "anonyme"})
	for _, acc := range accounts {
		login, err := a.Accounts.LoginWithPassword(ctx, acc.Email, acc.Password, account.Client{IP: "127.0.0.1"})
		if err != nil {
			t.Fatalf("login %s: %v", acc.Email, err)
		}
		u, err := account.ByEmail(ctx, db, acc.Email)
		if err != nil {
			t.Fatal(err)
		}
		w.visitors = append(w.visitors, &a11yVisitor{name: acc.Role, role: string(u.Role), token: login.Token})
	}
	w.browser = browsertest.Start(t)
	// axe-core is injected into the pages this browser opens, their CSP
	// bypassed: for this test's browser only.
	if err := chromedp.Do(w.browser, cdpStep(page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})); err != nil {
		t.Fatal(err)
	}
	w.only = os.Getenv("VIVIER_A11Y_ONLY")
	w.audited = map[string]bool{}
	return w
}

// as makes the browser visitor v: their session cookie, nothing else.
func (w *a11yWalk) as(v *a11yVisitor) {
	w.t.Helper()
	v.links = map[string]string{}
	steps := []chromedp.Action[chromedp.Void]{cdpStep(network.ClearBrowserCookies, cdp.Empty{})}
	if v.token != "" {
		steps = append(steps, cdpStep(network.SetCookie, network.SetCookieParams{Name: "vivier_session", Value: v.token, URL: w.base, Path: "/"}))
	}
	if err := chromedp.Do(w.browser, steps...); err != nil {
		w.t.Fatal(err)
	}
}

// pagesFor lists the paths of the GET routes v's role may reach, each
// wildcard filled with a demo id; routes refused to the role are left out
// (their refusal is TestEveryRouteForEveryRole's business), and so are the
// API and the static files.
func (w *a11yWalk) pagesFor(v *a11yVisitor) []string {
	var out []string
	for _, rt := range w.routes {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if method != http.MethodGet || strings.HasPrefix(pattern, "/api/") || strings.HasPrefix(pattern, "/static/") || pattern == "/" || rt.Policy.Pending {
			continue
		}
		if v.role == "" && !rt.Policy.Public || v.role != "" && !rt.Policy.Allows(access.Role(v.role)) {
			continue
		}
		if p, ok := fillPattern(pattern, w.ids); ok && strings.Contains(p, w.only) {
			out = append(out, p)
		}
	}
	return out
}

// check opens path as v: first over HTTP (a 5xx fails; what is not an
// HTML page, or not a 200, goes no further), then in Chromium. It reports
// whether the page was opened in the browser.
func (w *a11yWalk) check(t *testing.T, v *a11yVisitor, path string) bool {
	t.Helper()
	status, html := w.get(t, v, path)
	if status >= 500 {
		t.Errorf("GET %s answered %d", path, status)
		return false
	}
	if status != http.StatusOK || !html {
		return false
	}
	ctx, cancel := context.WithTimeout(w.browser, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(w.base+path), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Errorf("open %s: %v", path, err)
		return false
	}
	// The first Tab from the top of the page reaches the skip link, on
	// the pages of Vivier's layout (not an email's preview).
	layout, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("link[href^='/static/vivier.css']") !== null`))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if layout {
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Errorf("%s: Tab: %v", path, err)
		}
		if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.activeElement && document.activeElement.outerHTML.slice(0, 80)) || ""`)); !strings.Contains(got, `class="skip-link"`) {
			t.Errorf("%s: the first Tab reaches %q, not the skip link", path, got)
		}
	}
	// axe-core, WCAG 2.2 AA, on the first page of the role and on every
	// content not yet checked.
	content, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.body).innerHTML.replace(/value="[^"]*"/g, "")`))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	key := fmt.Sprintf("%x", sha256.Sum256([]byte(content)))
	audit := !w.audited[key] || v.audits == 0
	w.audited[key] = true
	if audit {
		v.audits++
		w.axe(ctx, t, path)
	}
	// No horizontal scroll at 320 px, checked with axe-core: the same
	// content, already checked for another role, lays out the same.
	if audit {
		narrow := chromedp.Steps(
			cdpStep(emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 320, Height: 640, DeviceScaleFactor: 1, Mobile: true}),
		)
		if err := chromedp.Do(ctx, narrow); err != nil {
			t.Fatal(err)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
			var root = document.documentElement;
			if (root.scrollWidth <= root.clientWidth) { return ""; }
			var out = function (e) {
				return e.checkVisibility() && e.getBoundingClientRect().right > root.clientWidth + 1 && !e.closest(".table-wrap");
			};
			var wide = Array.prototype.filter.call(document.querySelectorAll("body *"), function (e) {
				return out(e) && !Array.prototype.some.call(e.children, out);
			}).slice(0, 3).map(function (e) { return e.outerHTML.slice(0, 160); });
			return root.scrollWidth + " px for " + root.clientWidth + ": " + wide.join(" | ");
		})()`))
		if err != nil {
			t.Errorf("%s: width: %v", path, err)
		} else if overflow != "" {
			t.Errorf("%s scrolls sideways at 320 px: %s", path, overflow)
		}
		if err := chromedp.Do(ctx, cdpStep(emulation.ClearDeviceMetricsOverride, cdp.Empty{})); err != nil {
			t.Fatal(err)
		}
	}
	// The internal links, followed once the walk of this role is over.
	links, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.prototype.map.call(document.querySelectorAll("a[href]"), function (a) { return a.getAttribute("href"); })`))
	for _, l := range links {
		if strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//") {
			if _, seen := v.links[l]; !seen {
				v.links[l] = path
			}
		}
	}
	return true
}

// axe runs axe-core on the page open in ctx and reports its serious and
// critical violations.
func (w *a11yWalk) axe(ctx context.Context, t *testing.T, path string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](axeScript)); err != nil {
		t.Fatalf("%s: inject axe-core: %v", path, err)
	}
	tags, _ := json.Marshal(wcagTags)
	result, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
		return window.axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]})
			.then(function (r) { return JSON.stringify(r.violations.map(function (v) {
				return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" ") + " — " + n.html.slice(0, 160); })};
			})); });
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("%s: axe-core: %v", path, err)
		return
	}
	var violations []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(result), &violations); err != nil {
		t.Fatalf("%s: axe-core's answer: %v", path, err)
	}
	for _, viol := range violations {
		if viol.Impact == "serious" || viol.Impact == "critical" {
			t.Errorf("%s: %s violation %s (%s):\n\t%s", path, viol.Impact, viol.ID, viol.Help, strings.Join(viol.Nodes, "\n\t"))
		}
	}
}

// get opens path as v over HTTP, without following redirections, and says
// whether the answer is an HTML page to show.
func (w *a11yWalk) get(t *testing.T, v *a11yVisitor, path string) (int, bool) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, w.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.token != "" {
		req.AddCookie(&http.Cookie{Name: "vivier_session", Value: v.token})
	}
	resp, err := w.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	html := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && resp.Header.Get("Content-Disposition") == ""
	return resp.StatusCode, html
}

// checkLinks follows every internal link v's pages showed: none may answer
// 404 or a 5xx.
func (w *a11yWalk) checkLinks(t *testing.T, v *a11yVisitor) {
	t.Helper()
	paths := make([]string, 0, len(v.links))
	for l := range v.links {
		paths = append(paths, l)
	}
	slices.Sort(paths)
	for _, l := range paths {
		u, err := url.Parse(l)
		if err != nil {
			t.Errorf("%s links to %q: %v", v.links[l], l, err)
			continue
		}
		u.Fragment = ""
		if u.Path == "/deconnexion" {
			continue
		}
		status, _ := w.get(t, v, u.String())
		if status == http.StatusNotFound || status >= 500 {
			t.Errorf("%s links to %s, which answers %d", v.links[l], l, status)
		}
	}
}

// cdpStep runs one DevTools command as a chromedp step.
func cdpStep[P, R any](c cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, c, params)
		return chromedp.Void{}, err
	}
}

// noRedirect opens the pages without following redirections: a redirection
// is checked as what it is, not as the page it leads to.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
