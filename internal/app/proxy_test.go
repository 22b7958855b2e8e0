package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestBehindAnHTTPSProxy: with --behind-proxy and an https base URL every
// response carries HSTS and the cookies are __Host- and Secure; a CSRF
// token the client made up is never adopted; /metrics is not on the site
// but on its own listener; the connections served at once are capped.
func TestBehindAnHTTPSProxy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cfg := config.Default()
		cfg.BehindProxy, cfg.BaseURL, cfg.MaxConnections = true, "https://vivier.example", 2
		a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test", Argon2: cheapHashes})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()
		resp, err := http.Get(srv.URL + "/connexion")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=") {
			t.Errorf("no HSTS behind an HTTPS proxy: %q", got)
		}
		var csrf *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "__Host-vivier_csrf" {
				csrf = c
			}
		}
		if csrf == nil || !csrf.Secure || !csrf.HttpOnly {
			t.Fatalf("the CSRF cookie: %+v, want __Host-, Secure, HttpOnly", resp.Cookies())
		}
		post := func(token string) int {
			req := form(t, srv.URL, "/connexion", url.Values{"email": {"x@vivier.test"}, "password": {"x"}, "csrf": {token}},
				&http.Cookie{Name: "__Host-vivier_csrf", Value: token})
			resp, _ := do(t, req)
			return resp.StatusCode
		}
		if code := post(strings.Repeat("b", 43)); code != http.StatusForbidden {
			t.Errorf("a CSRF token the client made up: status %d, want 403", code)
		}
		if code := post(csrf.Value); code != http.StatusUnauthorized {
			t.Errorf("the server's token: status %d, want 401 (wrong password)", code)
		}
		if resp, _ := do(t, mustGet(t, srv.URL+"/metrics")); resp.StatusCode != http.StatusNotFound {
			t.Errorf("/metrics on the site: %d, want 404", resp.StatusCode)
		}

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		metricsAddr, siteAddr := make(chan net.Addr, 1), make(chan net.Addr, 1)
		go a.Web.ServeMetrics(ctx, "127.0.0.1:0", func(addr net.Addr) { metricsAddr <- addr })
		go a.Web.ListenAndServe(ctx, "127.0.0.1:0", time.Second, func(addr net.Addr) { siteAddr <- addr })
		m := <-metricsAddr
		resp, body := do(t, mustGet(t, "http://"+m.String()+"/metrics"))
		if resp.StatusCode != 200 || !strings.Contains(body, "vivier_http_requests_total") {
			t.Errorf("the metrics listener: %d", resp.StatusCode)
		}
		site := (<-siteAddr).String()
		var idle []net.Conn
		for range 2 {
			c, err := net.Dial("tcp", site)
			if err != nil {
				t.Fatal(err)
			}
			idle = append(idle, c)
		}
		served := make(chan int, 1)
		go func() {
			client := &http.Client{Timeout: 30 * time.Second}
			resp, err := client.Get("http://" + site + "/healthz")
			if err != nil {
				served <- 0
				return
			}
			resp.Body.Close()
			served <- resp.StatusCode
		}()
		select {
		case code := <-served:
			t.Errorf("a third connection was served (%d) while two were open, with a cap of 2", code)
		case <-time.After(500 * time.Millisecond):
		}
		idle[0].Close()
		if code := <-served; code != 200 {
			t.Errorf("the waiting connection once one closed: %d", code)
		}
		idle[1].Close()
	})
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
