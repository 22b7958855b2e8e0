package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/demo"
	"vivier/internal/demo/demotest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestEveryPageOfTheDemoAnswersWithoutServerError builds the demo data set
// and opens every GET route of the route table — pages, downloads, API —
// as each demo account and as an anonymous visitor, with the ids of the
// demo's records put in the route's wildcards. No answer may be a 5xx, and
// every answer to a signed-in visitor, every download and every answer
// that sets a cookie says Cache-Control: private, no-store. The
// routes come from the router itself, so a page added later is walked
// without editing this test.
func TestEveryPageOfTheDemoAnswersWithoutServerError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
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
		defer srv.Close()
		ids := demotest.IDs(t, db)
		var paths []string
		routes := 0
		for _, rt := range a.Web.Router().Routes() {
			method, pattern, _ := strings.Cut(rt.Pattern, " ")
			if method != http.MethodGet {
				continue
			}
			routes++
			paths = append(paths, expandPattern(pattern, ids)...)
		}
		type visitor struct {
			name     string
			token    string
			apiToken string
		}
		visitors := []visitor{{name: "anonyme"}}
		for _, acc := range accounts {
			login, err := a.Accounts.LoginWithPassword(ctx, acc.Email, acc.Password, account.Client{IP: "127.0.0.1"})
			if err != nil {
				t.Fatalf("login %s: %v", acc.Email, err)
			}
			u, err := account.ByEmail(ctx, db, acc.Email)
			if err != nil {
				t.Fatal(err)
			}
			secret, _, err := a.Accounts.CreateToken(ctx, u, "parcours", account.ScopeRead, account.Client{})
			if err != nil {
				t.Fatal(err)
			}
			visitors = append(visitors, visitor{name: acc.Role, token: login.Token, apiToken: secret})
		}
		walked, downloads := 0, 0
		for _, v := range visitors {
			for _, p := range paths {
				req, err := http.NewRequest(http.MethodGet, srv.URL+p, nil)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case strings.HasPrefix(p, "/api/") && v.apiToken != "":
					req.Header.Set("Authorization", "Bearer "+v.apiToken)
				case v.token != "":
					req.AddCookie(&http.Cookie{Name: "vivier_session", Value: v.token})
				}
				resp, err := walker.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", v.name, p, err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				walked++
				if resp.StatusCode >= 500 {
					t.Errorf("%s: GET %s answered %d\n%s", v.name, p, resp.StatusCode, excerptOf(body))
				}
				if resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Disposition") != "" {
					downloads++
				}
				private := v.token != "" || resp.Header.Get("Content-Disposition") != "" || len(resp.Cookies()) > 0
				if cc := resp.Header.Get("Cache-Control"); private && cc != "private, no-store" {
					t.Errorf("%s: GET %s answered Cache-Control %q, want private, no-store", v.name, p, cc)
				}
			}
		}
		t.Logf("%d GET routes expanded to %d paths, %d requests, %d downloads", routes, len(paths), walked, downloads)
		if downloads == 0 {
			t.Error("the walk met no download: a deliverable or a CV of the demo should be one")
		}
	})
}

// walker opens the pages without following redirections; its answers are
// not checked against the OpenAPI document (the walk only looks for 5xx).
var walker = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

var wildcard = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// expandPattern turns a route pattern into the paths to open: each
// wildcard takes the ids of the table its preceding segment names (or the
// wildcard's own name), an unknown one "1"; "{$}" and a trailing slash
// pattern are opened as they are.
func expandPattern(pattern string, ids map[string][]string) []string {
	pattern = strings.ReplaceAll(pattern, "{$}", "")
	paths := []string{""}
	for _, seg := range strings.Split(strings.TrimPrefix(pattern, "/"), "/") {
		var next []string
		for _, p := range paths {
			m := wildcard.FindStringSubmatch(seg)
			if m == nil {
				next = append(next, p+"/"+seg)
				continue
			}
			prev := p[strings.LastIndex(p, "/")+1:]
			values := ids[prev]
			if values == nil {
				values = ids[m[1]]
			}
			if values == nil {
				values = []string{"1"}
			}
			for _, v := range values {
				next = append(next, p+"/"+wildcard.ReplaceAllString(seg, v))
			}
		}
		paths = next
	}
	return paths
}
