package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/demo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestDemoMissionPagesRender opens, as each demo account, the dashboard,
// the missions and every mission page and proposal page they link to: the
// demo data reaches every branch of the templates.
func TestDemoMissionPagesRender(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	accounts, err := demo.Fill(ctx, db, demo.Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test", Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	links := regexp.MustCompile(`href="(/(?:missions|propositions|besoins)/[0-9]+(?:/propositions)?)"`)
	for _, acc := range accounts {
		if acc.Role == "membre" || acc.Role == access.Member.Label() {
			continue
		}
		login, err := a.Accounts.LoginWithPassword(ctx, acc.Email, acc.Password, account.Client{IP: "127.0.0.1"})
		if err != nil {
			t.Fatalf("login %s: %v", acc.Email, err)
		}
		sess, _, _ := a.Accounts.LoadSession(ctx, login.Token)
		c := client{t: t, base: srv.URL, token: login.Token, csrf: sess.CSRF}
		seen := map[string]bool{}
		queue := []string{"/tableau-de-bord", "/missions"}
		for len(queue) > 0 && len(seen) < 40 {
			path := queue[0]
			queue = queue[1:]
			if seen[path] {
				continue
			}
			seen[path] = true
			code, body := c.get(path)
			if code != http.StatusOK {
				t.Errorf("%s: %s answered %d", acc.Role, path, code)
				continue
			}
			for _, m := range links.FindAllStringSubmatch(body, -1) {
				queue = append(queue, m[1])
			}
		}
		t.Logf("%s: %d pages", acc.Role, len(seen))
		if len(seen) < 3 {
			t.Errorf("%s reached only %v", acc.Role, seen)
		}
	}
}
