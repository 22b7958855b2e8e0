package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"vivier/internal/account"
)

// scenario is one HTTP exchange of a table test and what its answer must
// be, after PocketBase's tests.ApiScenario. runScenarios runs each as its
// own subtest, in order, on the same application: a case may rely on what
// the ones before it did, and one failure does not hide the next checks.
// An API exchange is also checked against the OpenAPI document (do).
type scenario struct {
	name   string
	method string // GET when empty
	path   string // from the server's root, query included: "/api/v1/experts?page=2"
	body   string // the request body, sent as application/json unless contentType says otherwise
	// contentType of the body, when it is not JSON.
	contentType string

	// Who sends it: exactly one of as and token. as is "anonymous", a role
	// key of newTestApp ("coordinator"…) or an account's email, signed in
	// with a browser session (cookie and X-CSRF-Token); token is an API
	// token (Authorization: Bearer), see ta.apiToken.
	as    string
	token string
	// header sets more request headers; an empty value removes one the
	// runner sets (X-CSRF-Token).
	header map[string]string
	// breaks says the request is contrary to the OpenAPI document on
	// purpose (malformed JSON, an unknown field, no credentials…), to check
	// the API's answer: the document must refuse it too (requestBreaks).
	breaks bool

	setup func(t *testing.T) // runs just before the request, optional

	status  int                             // the status expected
	want    []string                        // fragments the body must contain
	notWant []string                        // fragments it must not contain
	check   func(t *testing.T, body string) // further checks of the body, optional
}

// anonymous sends a scenario's request without credentials.
const anonymous = "anonymous"

// runScenarios runs cases in order against ta, each as a subtest named
// after the case.
func runScenarios(t *testing.T, ta *testApp, cases []scenario) {
	t.Helper()
	sessions := map[string]client{} // one login per account and table
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			t.Helper()
			if sc.setup != nil {
				sc.setup(t)
			}
			method := sc.method
			if method == "" {
				method = http.MethodGet
			}
			req, err := http.NewRequest(method, ta.srv.URL+sc.path, strings.NewReader(sc.body))
			if err != nil {
				t.Fatal(err)
			}
			if sc.body != "" {
				ct := sc.contentType
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
			}
			switch {
			case (sc.as == "") == (sc.token == ""):
				t.Fatalf("scenario %q: say who sends it, with as (%q, a role, an email) or token, not both", sc.name, anonymous)
			case sc.token != "":
				req.Header.Set("Authorization", "Bearer "+sc.token)
			case sc.as != anonymous:
				c, ok := sessions[sc.as]
				if !ok {
					email := sc.as
					if !strings.Contains(email, "@") {
						if email, ok = ta.emails[sc.as]; !ok {
							t.Fatalf("scenario %q: no account %q", sc.name, sc.as)
						}
					}
					c = ta.as(t, email)
					sessions[sc.as] = c
				}
				req.AddCookie(&http.Cookie{Name: "vivier_session", Value: c.token})
				req.Header.Set("X-CSRF-Token", c.csrf)
			}
			for k, v := range sc.header {
				if v == "" {
					req.Header.Del(k)
				} else {
					req.Header.Set(k, v)
				}
			}
			if sc.breaks {
				req = withContract(req, requestBreaks)
			}
			resp, body := do(t, req)
			if resp.StatusCode != sc.status {
				t.Errorf("%s %s: status %d, want %d\n%s", method, sc.path, resp.StatusCode, sc.status, excerptOf([]byte(body)))
			}
			for _, f := range sc.want {
				if !strings.Contains(body, f) {
					t.Errorf("%s %s: the answer lacks %s\n%s", method, sc.path, f, excerptOf([]byte(body)))
				}
			}
			for _, f := range sc.notWant {
				if strings.Contains(body, f) {
					t.Errorf("%s %s: the answer contains %s\n%s", method, sc.path, f, excerptOf([]byte(body)))
				}
			}
			if sc.check != nil {
				sc.check(t, body)
			}
		})
	}
}

// apiToken returns a new API token of the account of key with scope.
func (ta *testApp) apiToken(t *testing.T, key string, scope account.Scope) string {
	t.Helper()
	ctx := context.Background()
	u, err := account.ByEmail(ctx, ta.DB, ta.emails[key])
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := ta.Accounts.CreateToken(ctx, u, "tests", scope, account.Client{})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// lists checks that the JSON object of the answer holds n items in its
// array field.
func lists(field string, n int) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		var v map[string]json.RawMessage
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("the answer is not a JSON object: %v", err)
		}
		if err := json.Unmarshal(v[field], &items); err != nil || len(items) != n {
			t.Errorf("%s holds %d items (%v), want %d", field, len(items), err, n)
		}
	}
}

// jsonOf marshals v for a scenario's body.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// errorField is the fragment of an API error naming field.
func errorField(field string) string { return `"field":"` + field + `"` }

// errorCode is the fragment of an API error of code.
func errorCode(code string) string { return `"code":"` + code + `"` }
