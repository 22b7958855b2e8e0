package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAPITokensWorkOnlyUnderTheAPI: a write token of an administrator
// cannot use the site's forms (mint a token, invite an administrator) nor
// read its pages; « se déconnecter partout » can revoke the tokens too; the
// account page lists each token with its expiry.
func TestAPITokensWorkOnlyUnderTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		admin := ta.apiToken(t, "admin", account.ScopeWrite)
		form := "application/x-www-form-urlencoded"
		runScenarios(t, ta, []scenario{
			{name: "a token mints a token through the form", method: "POST", path: "/compte/jetons", token: admin,
				body: "token_name=x&scope=write", contentType: form, status: http.StatusUnauthorized},
			{name: "a token invites an administrator", method: "POST", path: "/admin/utilisateurs", token: admin,
				body: "email=pirate%40exemple.fr&name=Pirate&role=admin", contentType: form, status: http.StatusUnauthorized},
			{name: "a token reads a page", path: "/compte", token: admin, status: http.StatusUnauthorized},
			{name: "the token still works under the API", path: "/api/v1/me", token: admin, status: 200},
			{name: "the account page shows the expiry", path: "/compte", as: "admin", status: 200, want: []string{"Expire le", "Révoquer aussi tous mes jetons"}},
		})
		if n := count(t, db, `SELECT COUNT(*) FROM users WHERE email = 'pirate@exemple.fr'`); n != 0 {
			t.Fatal("a token invited an administrator through the form")
		}
		resp, _ := ta.post(t, "admin", "/compte/deconnexion-partout", url.Values{"revoke_tokens": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout everywhere: %d", resp.StatusCode)
		}
		runScenarios(t, ta, []scenario{
			{name: "the token after « se déconnecter partout »", path: "/api/v1/me", token: admin, status: 401,
				want: []string{errorCode("unauthorized")}},
		})
		if body := count(t, db, `SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL`); body != 0 {
			t.Errorf("%d tokens still live", body)
		}
	})
}
