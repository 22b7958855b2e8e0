package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestOIDCCallbackIsBoundToTheBrowserThatStartedIt: an attacker starts a
// provider login with their own identity and, instead of following the
// callback, has a victim open it. The victim must not be signed in as the
// attacker (login CSRF); the attacker's own browser still logs in.
func TestOIDCCallbackIsBoundToTheBrowserThatStartedIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		provider, a, srv := newOIDCApp(t, db)
		ctx := context.Background()
		coord, err := a.Accounts.CreateWithPassword(ctx, account.NewUser{Email: "coord@vivier.test", Name: "Coord", Role: access.Coordinator}, testPassword, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Accounts.Invite(ctx, account.NewUser{Email: "attaquant@ville.fr", Name: "Attaquant", Role: access.Expert}, coord.Actor("", access.Session)); err != nil {
			t.Fatal(err)
		}
		browser := func() *http.Client {
			jar, _ := cookiejar.New(nil)
			return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		}
		get := func(c *http.Client, u string) (*http.Response, string) {
			resp, err := c.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		callbackOf := func(c *http.Client) string {
			provider.QueueUser(&mockoidc.MockUser{Subject: "attaquant", Email: "attaquant@ville.fr", EmailVerified: true})
			resp, _ := get(c, srv.URL+"/connexion/oidc")
			resp, _ = get(c, resp.Header.Get("Location"))
			return resp.Header.Get("Location")
		}
		attacker, victim := browser(), browser()
		get(victim, srv.URL+"/connexion") // the victim has visited the site before
		resp, _ := get(victim, callbackOf(attacker))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("the victim opening the attacker's callback: status %d to %q, want 403", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := get(victim, srv.URL+"/compte"); resp.StatusCode == http.StatusOK {
			t.Fatal("the victim is signed in as the attacker")
		}
		// The browser that started the login still finishes it.
		resp, _ = get(attacker, callbackOf(attacker))
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/tableau-de-bord") {
			t.Errorf("the attacker's own login: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}
