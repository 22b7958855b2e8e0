package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestOIDCLoginThroughTheWebPages runs the whole OpenID Connect login
// through Vivier's pages against a real provider on loopback: an invited
// agent logs in; the same callback replayed, a forged state and an identity
// nobody invited are refused with a French page and recorded.
func TestOIDCLoginThroughTheWebPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		provider, a, srv := newOIDCApp(t, db)

		ctx := context.Background()
		coord, err := a.Accounts.CreateWithPassword(ctx, account.NewUser{Email: "coord@vivier.test", Name: "Coord", Role: access.Coordinator}, testPassword, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Accounts.Invite(ctx, account.NewUser{Email: "agent@ville.fr", Name: "Agent Public", Role: access.Requester + ""}, coord.Actor("", access.Session)); err == nil {
			t.Fatal("a requester without organisation was invited")
		}
		if _, err := a.Accounts.Invite(ctx, account.NewUser{Email: "agent@ville.fr", Name: "Agent Public", Role: access.Expert}, coord.Actor("", access.Session)); err != nil {
			t.Fatal(err)
		}

		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		get := func(u string) (*http.Response, string) {
			resp, err := browser.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		// login follows the flow to the provider and returns the callback URL.
		login := func(user mockoidc.User) string {
			provider.QueueUser(user)
			resp, _ := get(srv.URL + "/connexion/oidc?retour=/compte")
			if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), provider.Issuer()) {
				t.Fatalf("/connexion/oidc: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			resp, _ = get(resp.Header.Get("Location"))
			callback := resp.Header.Get("Location")
			if !strings.HasPrefix(callback, srv.URL+"/connexion/oidc/retour?") {
				t.Fatalf("the provider sent the browser to %q", callback)
			}
			return callback
		}

		callback := login(&mockoidc.MockUser{Subject: "agent-1", Email: "agent@ville.fr", EmailVerified: true})
		resp, _ := get(callback)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/compte" {
			t.Fatalf("callback: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, body := get(srv.URL + "/compte"); resp.StatusCode != 200 || !strings.Contains(body, "agent@ville.fr") {
			t.Fatalf("account page after the OIDC login: %d", resp.StatusCode)
		}

		for name, u := range map[string]string{
			"replayed callback": callback,
			"forged state":      srv.URL + "/connexion/oidc/retour?code=abc&state=forged",
		} {
			resp, body := get(u)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Connexion refusée") {
				t.Errorf("%s: status %d", name, resp.StatusCode)
			}
		}
		resp, body := get(login(&mockoidc.MockUser{Subject: "intrus", Email: "intrus@ailleurs.fr", EmailVerified: true}))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "demandez une invitation") {
			t.Errorf("uninvited identity: status %d", resp.StatusCode)
		}
		if n, _ := auditEvents(t, db, "account.oidc_refused"); n != 3 {
			t.Errorf("%d OIDC refusals in the audit log, want 3", n)
		}
	})
}

// newOIDCApp serves the application on a loopback port with a real
// OpenID Connect provider (mockoidc) on another: the provider, the
// application and its server, all closed at the end of the test.
func newOIDCApp(t *testing.T, db *store.DB) (*mockoidc.MockOIDC, *app.App, *httptest.Server) {
	t.Helper()
	provider, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	pln, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := provider.Start(pln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { provider.Shutdown() })
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	cfg := config.Default()
	cfg.BaseURL = "http://" + ln.Addr().String()
	cfg.OIDCIssuer, cfg.OIDCClientID, cfg.OIDCClientSecret = provider.Issuer(), provider.ClientID, provider.ClientSecret
	cfg.OIDCProvider = "generic"
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test", Argon2: cheapHashes})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(a.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return provider, a, srv
}
