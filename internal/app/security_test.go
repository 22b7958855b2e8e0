package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func form(t *testing.T, base, path string, values url.Values, cookies ...*http.Cookie) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", base+path, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return req
}

func TestForgedCSRFTokensAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		token, csrf := ta.session(t, "expert")
		session := &http.Cookie{Name: "vivier_session", Value: token}
		change := url.Values{"current": {testPassword}, "password": {"un nouveau mot de passe solide"}, "confirm": {"un nouveau mot de passe solide"}}
		for name, value := range map[string]string{"missing": "", "forged": strings.Repeat("x", 43), "another session's": func() string { _, c := ta.session(t, "admin"); return c }()} {
			v := url.Values{}
			for k, x := range change {
				v[k] = x
			}
			if value != "" {
				v.Set("csrf", value)
			}
			resp, body := do(t, form(t, ta.srv.URL, "/compte/mot-de-passe", v, session))
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Ce formulaire a expiré") {
				t.Errorf("%s token: status %d", name, resp.StatusCode)
			}
		}
		// Nothing changed: the old password still works.
		if _, err := ta.Accounts.LoginWithPassword(context.Background(), "expert@vivier.test", testPassword, account.Client{IP: "127.0.0.1"}); err != nil {
			t.Fatalf("the password changed under forged requests: %v", err)
		}
		if _, n, _ := audit.List(context.Background(), db, audit.Filter{Action: "security.csrf_refused"}); n != 3 {
			t.Errorf("%d refusals in the audit log, want 3", n)
		}
		change.Set("csrf", csrf)
		if resp, _ := do(t, form(t, ta.srv.URL, "/compte/mot-de-passe", change, session)); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("with the right token: status %d, want 303", resp.StatusCode)
		}
		// Before login too: the login form needs the visitor's token.
		resp, _ := do(t, form(t, ta.srv.URL, "/connexion", url.Values{"email": {"expert@vivier.test"}, "password": {testPassword}}))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("login without token: status %d", resp.StatusCode)
		}
	})
}

func TestTamperedSessionCookieIsAnonymous(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		token, _ := ta.session(t, "expert")
		req, _ := http.NewRequest("GET", ta.srv.URL+"/compte", nil)
		req.AddCookie(&http.Cookie{Name: "vivier_session", Value: token[:len(token)-1] + "Z"})
		resp, _ := do(t, req)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/connexion?retour=") {
			t.Fatalf("tampered cookie: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		var cleared bool
		for _, c := range resp.Cookies() {
			cleared = cleared || c.Name == "vivier_session" && c.MaxAge < 0
		}
		if !cleared {
			t.Error("the tampered cookie was not cleared")
		}
	})
}

// loginForm returns a login request with a valid anonymous CSRF token.
func loginForm(t *testing.T, base, email, password string) *http.Request {
	anon := strings.Repeat("b", 43)
	return form(t, base, "/connexion", url.Values{"email": {email}, "password": {password}, "csrf": {anon}},
		&http.Cookie{Name: "vivier_csrf", Value: anon})
}

func TestLoginPageThrottlesAndSetsAHardenedCookie(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		resp, _ := do(t, loginForm(t, ta.srv.URL, "expert@vivier.test", testPassword))
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("good login: %d", resp.StatusCode)
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "vivier_session" {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
			t.Fatalf("session cookie: %+v", cookie)
		}
		for i := range 5 {
			resp, body := do(t, loginForm(t, ta.srv.URL, "expert@vivier.test", "mauvais mot de passe"))
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Adresse e-mail ou mot de passe incorrect") {
				t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
			}
		}
		resp, body := do(t, loginForm(t, ta.srv.URL, "expert@vivier.test", testPassword))
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives") {
			t.Fatalf("after 5 failures: status %d", resp.StatusCode)
		}
		unknown, body2 := do(t, loginForm(t, ta.srv.URL, "personne@vivier.test", "mauvais mot de passe"))
		if unknown.StatusCode != http.StatusUnauthorized || !strings.Contains(body2, "Adresse e-mail ou mot de passe incorrect") {
			t.Errorf("unknown account: status %d", unknown.StatusCode)
		}
	})
}

func TestAPITokensAuthenticateAndReadTokensCannotWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		u, _ := account.ByEmail(ctx, db, "expert@vivier.test")
		secret, _, err := ta.Accounts.CreateToken(ctx, u, "script", account.ScopeRead, account.Client{})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", ta.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, body := do(t, req)
		var me struct{ Email, Role, Scope string }
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &me) != nil || me.Email != "expert@vivier.test" || me.Scope != "read" {
			t.Fatalf("GET /api/v1/me: %d %s", resp.StatusCode, body)
		}
		post, _ := http.NewRequest("POST", ta.srv.URL+"/compte/jetons", strings.NewReader("token_name=x&scope=write"))
		post.Header.Set("Authorization", "Bearer "+secret)
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, _ := do(t, post); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a read token writes: status %d", resp.StatusCode)
		}
		for name, auth := range map[string]string{"none": "", "bad": "Bearer viv_nimportequoi", "not bearer": "Basic abc"} {
			req, _ := http.NewRequest("GET", ta.srv.URL+"/api/v1/me", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, body := do(t, req)
			var e struct {
				Error struct{ Code, Message string }
			}
			if resp.StatusCode != 401 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "unauthorized" {
				t.Errorf("%s token: %d %s", name, resp.StatusCode, body)
			}
		}
	})
}
