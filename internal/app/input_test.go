package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/fr"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestReturnPathsLeadOnlyToThisSite logs in with return paths that browsers
// would turn into another site's address: the login lands on the dashboard.
func TestReturnPathsLeadOnlyToThisSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		for _, retour := range []string{"/\t/evil.example", "/\\evil.example", "//evil.example", "/\n/evil.example",
			"https://evil.example/", "/%2F%2Fevil.example", "/\u2028/evil.example"} {
			req := loginForm(t, ta.srv.URL, "expert@vivier.test", testPassword)
			q := url.Values{"retour": {retour}}
			req.URL.RawQuery = q.Encode()
			resp, _ := do(t, req)
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != "/tableau-de-bord" {
				t.Errorf("retour=%q: status %d, Location %q, want /tableau-de-bord", retour, resp.StatusCode, got)
			}
		}
		req := loginForm(t, ta.srv.URL, "expert@vivier.test", testPassword)
		req.URL.RawQuery = url.Values{"retour": {"/compte?onglet=jetons"}}.Encode()
		if resp, _ := do(t, req); resp.Header.Get("Location") != "/compte?onglet=jetons" {
			t.Errorf("a path of this site: Location %q", resp.Header.Get("Location"))
		}
	})
}

// TestNULBytesAndInvalidUTF8AreRefusedNamingTheField sends a NUL byte and
// invalid UTF-8 through forms (public need, login, password reset), a query
// string and the API: each is refused with a 4xx naming the field, and
// nothing is stored, on both engines.
func TestNULBytesAndInvalidUTF8AreRefusedNamingTheField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		for name, bad := range map[string]string{"NUL": "Étude\x00 de filière", "invalid UTF-8": "Étude caf\xe9"} {
			t.Run(name, func(t *testing.T) {
				v := validNeedForm()
				v.Set("title", bad)
				resp, body := ta.postPublic(t, "/besoins/nouveau", v)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, fr.TypesetString("« title »")) {
					t.Errorf("need form: status %d\n%s", resp.StatusCode, excerptOf([]byte(body)))
				}
				resp, body = ta.postPublic(t, "/connexion", url.Values{"email": {"expert@vivier.test" + bad[len(bad)-3:]}, "password": {"x"}})
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, fr.TypesetString("« email »")) {
					t.Errorf("login: status %d", resp.StatusCode)
				}
				resp, body = ta.postPublic(t, "/mot-de-passe/oublie", url.Values{"email": {bad + "@vivier.test"}})
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, fr.TypesetString("« email »")) {
					t.Errorf("password reset: status %d", resp.StatusCode)
				}
				resp, body = ta.get(t, "coordinator", "/besoins?q="+url.QueryEscape(bad))
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, fr.TypesetString("« q »")) {
					t.Errorf("query string: status %d", resp.StatusCode)
				}
			})
		}
		staff := ta.apiToken(t, "coordinator", "write")
		nul := needJSON("01004")
		nul["title"] = "Étude\x00"
		invalidBody := strings.Replace(jsonOf(t, needJSON("01004")), `"description":"`, "\"description\":\"caf\xe9 ", 1)
		runScenarios(t, ta, []scenario{
			{name: "a NUL in a JSON string", method: "POST", path: "/api/v1/needs", token: staff, body: jsonOf(t, nul),
				status: 422, want: []string{errorField("title"), errorCode("invalid")}},
			{name: "invalid UTF-8 in a JSON string", method: "POST", path: "/api/v1/needs", token: staff, body: invalidBody,
				status: 422, want: []string{errorField("description"), errorCode("invalid")}},
			{name: "a NUL in a query", path: "/api/v1/experts?q=a%00b", token: staff,
				status: 422, want: []string{errorField("q")}},
		})
		if n := count(t, db, `SELECT COUNT(*) FROM needs`); n != 0 {
			t.Errorf("%d needs stored from refused input", n)
		}
	})
}

// TestAbsurdPageNumbersAreRefused asks for pages whose OFFSET would
// overflow: refused with a message, never a 500 nor a wrong page.
func TestAbsurdPageNumbersAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		for _, page := range []string{"9223372036854775807", "-1", "0", "deux", "10001"} {
			for _, path := range []string{"/besoins", "/experts", "/admin/journal"} {
				resp, body := ta.get(t, "coordinator", path+"?page="+page)
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "numéro de page invalide") {
					t.Errorf("%s?page=%s: status %d", path, page, resp.StatusCode)
				}
			}
		}
		staff := ta.apiToken(t, "coordinator", "read")
		runScenarios(t, ta, []scenario{
			{name: "the largest integer", path: "/api/v1/experts?page=9223372036854775807", token: staff, breaks: true,
				status: 422, want: []string{errorField("page")}},
			{name: "the largest page", path: "/api/v1/needs?page=10000", token: staff, status: 200},
		})
	})
}
