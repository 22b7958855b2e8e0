package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"vivier/internal/account"
	"vivier/internal/geo"
	"vivier/internal/httpkit"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/web"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func newServer(t *testing.T, db *store.DB) http.Handler {
	t.Helper()
	return newWebServer(t, db).Handler()
}

func newWebServer(t *testing.T, db *store.DB) *web.Server {
	t.Helper()
	srv, err := web.NewServer(web.Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", Geo: geo.Default(),
		Accounts: account.New(account.Options{DB: db, BaseURL: "http://vivier.test"})})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func get(t *testing.T, h http.Handler, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEveryResponseCarriesSecurityHeaders(t *testing.T) {
	h := newServer(t, storetest.Open(t, store.SQLite))
	for _, path := range []string{"/", "/healthz", "/no-such-page", "/static/vivier.css"} {
		r := get(t, h, path)
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q is not strict", path, csp)
		}
		for header, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if got := r.Header.Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", path, header, got, want)
			}
		}
	}
}

func TestHomeAndNotFoundPagesAreFrench(t *testing.T) {
	h := newServer(t, storetest.Open(t, store.SQLite))
	r := get(t, h, "/")
	if r.StatusCode != 200 || !strings.Contains(body(t, r), `<html lang="fr">`) {
		t.Errorf("home: status %d", r.StatusCode)
	}
	r = get(t, h, "/nulle-part")
	if b := body(t, r); r.StatusCode != 404 || !strings.Contains(b, "Page introuvable") {
		t.Errorf("unknown page: status %d, body %q", r.StatusCode, b)
	}
}

func TestReadinessFollowsTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newServer(t, db)
		if r := get(t, h, "/readyz"); r.StatusCode != 200 {
			t.Fatalf("readyz with a live database: %d", r.StatusCode)
		}
		if r := get(t, h, "/healthz"); r.StatusCode != 200 {
			t.Fatalf("healthz: %d", r.StatusCode)
		}
		db.Close()
		if r := get(t, h, "/readyz"); r.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("readyz with a closed database: %d, want 503", r.StatusCode)
		}
		if r := get(t, h, "/healthz"); r.StatusCode != 200 {
			t.Errorf("healthz must not depend on the database: %d", r.StatusCode)
		}
	})
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	srv := newWebServer(t, storetest.Open(t, store.SQLite))
	h := srv.Handler()
	get(t, h, "/")
	get(t, h, "/nulle-part")
	b := body(t, get(t, srv.MetricsHandler(), "/metrics"))
	for _, want := range []string{
		`vivier_http_requests_total{code="200",method="GET",route="GET /{$}"} 1`,
		`vivier_http_requests_total{code="404",method="GET",route="GET /"} 1`, // /metrics is not on the site
		`vivier_db_open_connections{pool="read"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	h := newServer(t, storetest.Open(t, store.SQLite))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/connexion", strings.NewReader(strings.Repeat("x", 2<<20)))
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB body: status %d, want 413", rec.Code)
	}
}

func TestStaticAssetsAreCachedByVersion(t *testing.T) {
	h := newServer(t, storetest.Open(t, store.SQLite))
	r := get(t, h, "/static/vivier.css?v=abc")
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("versioned asset: status %d, Cache-Control %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Errorf("css served as %q", r.Header.Get("Content-Type"))
	}
}

func TestEveryRouteHasAPolicy(t *testing.T) {
	srv, err := web.NewServer(web.Deps{DB: storetest.Open(t, store.SQLite), Logger: slog.Default(), Geo: geo.Default()})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Router().Routes() {
		if r.Policy.Name == "" {
			t.Errorf("route %s has no policy", r.Pattern)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a route without a policy did not panic")
		}
	}()
	srv.Router().HandleFunc("GET /sans-politique", httpkit.Policy{}, func(http.ResponseWriter, *http.Request) {})
}
