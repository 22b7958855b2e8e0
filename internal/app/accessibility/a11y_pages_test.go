package accessibility_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"vivier/internal/demo/demotest"
	"vivier/internal/store"
)

// a11yIDs returns one id of the demo's records for each path segment that
// precedes a wildcard, the smallest, and the years of the yearly pages.
func a11yIDs(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for segment, ids := range demotest.IDs(t, db) {
		out[segment] = ids[0]
	}
	return out
}

// fillPattern fills each wildcard of pattern with the id of the segment
// before it; a pattern with a wildcard the demo has no id for (a secret
// token, a key) is left out.
func fillPattern(pattern string, ids map[string]string) (string, bool) {
	pattern = strings.ReplaceAll(pattern, "{$}", "")
	segs := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		if i == 0 {
			return "", false
		}
		id, ok := ids[segs[i-1]]
		if !ok {
			return "", false
		}
		segs[i] = id
	}
	return "/" + strings.Join(segs, "/"), true
}

// screenshots writes PNGs of the key pages at 1280 and 320 px into the
// folder VIVIER_SCREENSHOTS names, for reviewers; nothing without it.
func (w *a11yWalk) screenshots(t *testing.T) {
	dir := os.Getenv("VIVIER_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	byRole := map[string]*a11yVisitor{}
	for _, v := range w.visitors {
		byRole[v.role] = v
	}
	shots := []struct{ name, role, path string }{
		{"accueil", "", "/"},
		{"tableau-de-bord", "coordinator", "/tableau-de-bord"},
		{"besoin", "coordinator", "/besoins/" + w.ids["besoins"]},
		{"expert", "coordinator", "/experts/" + w.ids["experts"]},
		{"deposer-un-besoin", "", "/besoins/nouveau"},
		{"annuaire-des-adherents", "member", "/reseau/adherents"},
		{"evenement", "", "/evenements/" + w.ids["evenements"]},
		{"rapport", "", "/rapport/" + w.ids["rapport"]},
	}
	for _, s := range shots {
		v := byRole[s.role]
		if v == nil {
			t.Errorf("screenshot %s: no demo account of role %q", s.name, s.role)
			continue
		}
		w.as(v)
		for _, width := range []int64{1280, 320} {
			err := chromedp.Do(w.browser,
				cdpStep(emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: 900, DeviceScaleFactor: 1, Mobile: width < 600}),
				chromedp.Navigate(w.base+s.path), chromedp.WaitReady(chromedp.CSS("body")))
			var png []byte
			if err == nil {
				png, err = chromedp.Run(w.browser, chromedp.FullScreenshot(100))
			}
			if err != nil {
				t.Errorf("screenshot %s: %v", s.name, err)
				continue
			}
			file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", s.name, width))
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	chromedp.Do(w.browser, cdpStep(emulation.ClearDeviceMetricsOverride, cdp.Empty{}))
}
