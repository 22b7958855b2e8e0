package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/geo"
	"vivier/internal/httpkit"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// routePolicies is the expected policy of every route of the application,
// written here independently of the route tables: a route added without a
// line here, or with another policy, fails TestEveryRouteForEveryRole.
var routePolicies = map[string]string{
	"GET /static/":   "public",
	"GET /healthz":   "public",
	"GET /readyz":    "public",
	"GET /{$}":       "public",
	"GET /":          "public",
	"GET /connexion": "public", "POST /connexion": "public",
	"POST /connexion/lien":               "public",
	"GET /connexion/lien/{token}":        "public",
	"POST /connexion/lien/{token}":       "public",
	"GET /connexion/oidc":                "public",
	"GET /connexion/oidc/retour":         "public",
	"GET /connexion/code":                "second-step",
	"POST /connexion/code":               "second-step",
	"GET /connexion/code/qr.png":         "second-step",
	"POST /deconnexion":                  "second-step",
	"GET /mot-de-passe/oublie":           "public",
	"POST /mot-de-passe/oublie":          "public",
	"GET /mot-de-passe/nouveau/{token}":  "public",
	"POST /mot-de-passe/nouveau/{token}": "public",
	"GET /invitation/{token}":            "public",
	"POST /invitation/{token}":           "public",

	"GET /tableau-de-bord":                         "signed-in",
	"GET /compte":                                  "signed-in",
	"POST /compte/mot-de-passe":                    "signed-in",
	"POST /compte/jetons":                          "signed-in",
	"POST /compte/jetons/{id}/revoquer":            "signed-in",
	"POST /compte/deconnexion-partout":             "signed-in",
	"POST /compte/consentements/{purpose}/retirer": "signed-in",
	"GET /compte/mes-donnees.json":                 "signed-in",

	"GET /admin/utilisateurs":                               "staff",
	"POST /admin/utilisateurs":                              "staff",
	"POST /admin/utilisateurs/{id}/suspendre":               "staff",
	"POST /admin/utilisateurs/{id}/reactiver":               "staff",
	"POST /admin/utilisateurs/{id}/invitation":              "staff",
	"POST /admin/utilisateurs/{id}/effacer":                 "staff",
	"POST /admin/utilisateurs/{id}/double-authentification": "admin",
	"GET /admin/journal":                                    "staff",
	"GET /admin/courriels":                                  "admin",

	"GET /api/v1/openapi.json": "public",
	"GET /api/v1/me":           "signed-in",
}

// The routes of each capability are declared in their own test file, so
// that they can be written side by side: poolRoutePolicies
// (pool_routes_test.go), matchRoutePolicies, missionRoutePolicies, eventRoutePolicies (event_routes_test.go),
// securityRoutePolicies, networkRoutePolicies, reportRoutePolicies, siteRoutePolicies.

// cheapHashes keeps the tests' logins fast; the real cost is measured by
// BenchmarkHashPassword.
var cheapHashes = account.Argon2Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const testPassword = "une phrase de passe pour les tests"

// testApp is the whole application on db with one account per role.
type testApp struct {
	*app.App
	srv    *httptest.Server
	emails map[string]string // role (or "pending") → email
}

func newTestApp(t *testing.T, db *store.DB) *testApp {
	t.Helper()
	return newTestAppWith(t, db, config.Default())
}

// newTestAppWith is newTestApp with the configuration cfg.
func newTestAppWith(t *testing.T, db *store.DB, cfg config.Config) *testApp {
	t.Helper()
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test", Argon2: cheapHashes})
	if err != nil {
		t.Fatal(err)
	}
	ta := &testApp{App: a, srv: httptest.NewServer(a.Handler()), emails: map[string]string{}}
	t.Cleanup(ta.srv.Close)
	logAPICalls(t)
	ctx := context.Background()
	commune, err := organisation.EnsureCommune(ctx, db, geo.Default(), "01001")
	if err != nil {
		t.Fatal(err)
	}
	agency, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence de test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		key   string
		role  access.Role
		org   int64
		waive bool
	}{
		{"admin", access.Admin, 0, true},
		{"coordinator", access.Coordinator, 0, true},
		{"expert", access.Expert, 0, false},
		{"requester", access.Requester, commune.ID, false},
		{"member", access.Member, agency.ID, false},
		{"pending", access.Coordinator, 0, false}, // owes a second factor
	} {
		email := u.key + "@vivier.test"
		if _, err := a.Accounts.CreateWithPassword(ctx, account.NewUser{Email: email, Name: "Compte " + u.key, Role: u.role, OrganisationID: u.org}, testPassword, u.waive); err != nil {
			t.Fatalf("create %s: %v", u.key, err)
		}
		ta.emails[u.key] = email
	}
	return ta
}

// session logs the account of key in and returns its cookie value and CSRF
// token.
func (ta *testApp) session(t *testing.T, key string) (token, csrf string) {
	t.Helper()
	ctx := context.Background()
	login, err := ta.Accounts.LoginWithPassword(ctx, ta.emails[key], testPassword, account.Client{IP: "127.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", key, err)
	}
	sess, _, err := ta.Accounts.LoadSession(ctx, login.Token)
	if err != nil {
		t.Fatal(err)
	}
	return login.Token, sess.CSRF
}

// examplePath turns a route pattern into a path that reaches it.
func examplePath(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	switch path {
	case "/":
		return method, "/nulle-part"
	case "/{$}":
		return method, "/"
	case "/static/":
		return method, "/static/vivier.css"
	}
	r := strings.NewReplacer("{id}", "999999", "{token}", "jeton-inconnu", "{link}", "0", "{purpose}", "newsletter", "{expert}", "EXP-INCONNU", "{$}", "",
		"{annee}", "1999", "{year}", "1999", "{cle}", "inconnu", "{org}", "999999", "{person}", "999999", "{doc}", "999999", "{cid}", "999999")
	return method, r.Replace(path)
}

func TestEveryRouteForEveryRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		routes := ta.Web.Router().Routes()
		expected := map[string]string{}
		for _, table := range []map[string]string{routePolicies, poolRoutePolicies, matchRoutePolicies, missionRoutePolicies, eventRoutePolicies, securityRoutePolicies, networkRoutePolicies, newsletterRoutePolicies, reportRoutePolicies, siteRoutePolicies} {
			for pattern, policy := range table {
				if _, dup := expected[pattern]; dup {
					t.Errorf("route %s is declared twice", pattern)
				}
				expected[pattern] = policy
			}
		}
		seen := map[string]bool{}
		for _, rt := range routes {
			seen[rt.Pattern] = true
			want, ok := expected[rt.Pattern]
			if !ok {
				t.Errorf("route %s (policy %s) is not in routePolicies: declare who may use it", rt.Pattern, rt.Policy.Name)
				continue
			}
			if rt.Policy.Name != want {
				t.Errorf("route %s has policy %s, want %s", rt.Pattern, rt.Policy.Name, want)
			}
		}
		for p := range expected {
			if !seen[p] {
				t.Errorf("routePolicies lists %s, which is not registered", p)
			}
		}
		visitors := []string{"anonymous", "pending", "admin", "coordinator", "expert", "requester", "member"}
		for _, rt := range routes {
			for _, who := range visitors {
				method, path := examplePath(rt.Pattern)
				req, _ := http.NewRequest(method, ta.srv.URL+path, strings.NewReader(""))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if who == "anonymous" {
					anon := anonCSRF(t, ta.srv.URL)
					req.AddCookie(&http.Cookie{Name: "vivier_csrf", Value: anon})
					req.Header.Set("X-CSRF-Token", anon)
				} else {
					token, csrf := ta.session(t, who)
					req.AddCookie(&http.Cookie{Name: "vivier_session", Value: token})
					req.Header.Set("X-CSRF-Token", csrf)
				}
				// The same empty form goes to every route: only the API's
				// answers are checked against the OpenAPI document.
				resp, _ := do(t, withContract(req, requestUnchecked))
				denied := resp.Header.Get(httpkit.DeniedHeader) == "policy"
				allowed := allowedFor(rt.Policy, who)
				switch {
				case allowed && denied:
					t.Errorf("%s %s as %s: refused (%d), the policy %s allows it", method, path, who, resp.StatusCode, rt.Policy.Name)
				case !allowed && !denied:
					t.Errorf("%s %s as %s: answered %d, the policy %s refuses it", method, path, who, resp.StatusCode, rt.Policy.Name)
				case !allowed && who != "anonymous" && who != "pending" && resp.StatusCode != http.StatusForbidden:
					t.Errorf("%s %s as %s: status %d, want 403", method, path, who, resp.StatusCode)
				case !allowed && (who == "anonymous" || who == "pending") && resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusSeeOther:
					t.Errorf("%s %s as %s: status %d, want 401 or a redirection to log in", method, path, who, resp.StatusCode)
				}
			}
		}
	})
}

// allowedFor is the meaning of each policy, for a visitor of the test.
func allowedFor(p httpkit.Policy, who string) bool {
	switch {
	case p.Public:
		return true
	case who == "anonymous":
		return false
	case who == "pending":
		return p.Pending
	}
	return p.Allows(access.Role(who))
}
