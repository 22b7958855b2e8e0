package app_test

import (
	"context"
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

// noRedirect is the tests' HTTP client: it shows redirections instead of
// following them, and checks every API exchange against the OpenAPI
// document (contractTransport).
var noRedirect = &http.Client{Transport: contractTransport{next: http.DefaultTransport},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// do sends req and returns the response and its body. An API request is
// checked against the OpenAPI document, as requestConforms unless
// withContract gave it another rule; a mismatch fails t.
func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	req, call := contractOf(req)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	call.report(t)
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

// anonCSRF returns a signed anonymous CSRF token, as the login page sets it
// in its cookie for a new visitor.
func anonCSRF(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/connexion")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "vivier_csrf" {
			return c.Value
		}
	}
	t.Fatal("the login page set no CSRF cookie")
	return ""
}

// loginForm returns a login request with a valid anonymous CSRF token.
func loginForm(t *testing.T, base, email, password string) *http.Request {
	anon := anonCSRF(t, base)
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
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Adresse électronique ou mot de passe incorrect") {
				t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
			}
		}
		resp, body := do(t, loginForm(t, ta.srv.URL, "expert@vivier.test", testPassword))
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives") {
			t.Fatalf("after 5 failures: status %d", resp.StatusCode)
		}
		unknown, body2 := do(t, loginForm(t, ta.srv.URL, "personne@vivier.test", "mauvais mot de passe"))
		if unknown.StatusCode != http.StatusUnauthorized || !strings.Contains(body2, "Adresse électronique ou mot de passe incorrect") {
			t.Errorf("unknown account: status %d", unknown.StatusCode)
		}
	})
}

func TestAPITokensAuthenticateAndReadTokensCannotWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		read := ta.apiToken(t, "expert", account.ScopeRead)
		unauthorized := []string{errorCode("unauthorized")}
		runScenarios(t, ta, []scenario{
			{name: "a read token reads", path: "/api/v1/me", token: read,
				status: 200, want: []string{`"email":"expert@vivier.test"`, `"role":"expert"`, `"scope":"read"`}},
			{name: "a session reads", path: "/api/v1/me", as: "expert", status: 200, want: []string{`"email":"expert@vivier.test"`}, notWant: []string{`"scope"`}},
			{name: "a read token writes", method: "POST", path: "/api/v1/needs", token: read,
				body: jsonOf(t, needJSON("01004")), status: http.StatusForbidden},
			{name: "a token on a form", method: "POST", path: "/compte/jetons", token: read,
				body: "token_name=x&scope=write", contentType: "application/x-www-form-urlencoded", status: http.StatusUnauthorized},
			{name: "no token", path: "/api/v1/me", as: anonymous, breaks: true, status: 401, want: unauthorized},
			{name: "a bad token", path: "/api/v1/me", token: "viv_nimportequoi", status: 401, want: unauthorized},
			{name: "not bearer", path: "/api/v1/me", as: anonymous, header: map[string]string{"Authorization": "Basic abc"}, breaks: true,
				status: 401, want: unauthorized},
			{name: "a session owing its second factor", path: "/api/v1/me", as: "pending", status: 401, want: unauthorized},
		})
	})
}
