package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The API's contract is internal/api/openapi.json. Every request the tests
// send to /api/v1/ goes through contractTransport (the transport of the
// tests' one HTTP client, see do), which checks the request and then the
// response against the document with kin-openapi: the path and method are
// documented, the request's credentials, parameters and body match, and the
// response's status is documented for the operation, with its content type
// and a body of the documented schema. A mismatch fails the test that sent
// the request, naming the method, path, status and what disagrees; so the
// document cannot drift from what the API really does without a test
// noticing.

// openAPIPath is the document, relative to this package.
const openAPIPath = "../api/openapi.json"

// apiContract is the loaded document and its router.
type apiContract struct {
	doc    *openapi3.T
	router routers.Router
}

// loadContract reads and checks the document once per test binary.
var loadContract = sync.OnceValues(func() (*apiContract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(openAPIPath)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", openAPIPath, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", openAPIPath, err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &apiContract{doc: doc, router: router}, nil
})

// The exchanges checked in this run of the tests: every response, and
// every request but the route walk's (requestUnchecked).
var apiResponsesChecked, apiRequestsChecked atomic.Int64

// requestRule says how a test's API request stands to the document.
type requestRule int

const (
	// requestConforms: the request must match the document (the default).
	requestConforms requestRule = iota
	// requestBreaks: the test sends, on purpose, a request the document
	// refuses (malformed JSON, an unknown field, no credentials…) to check
	// the API's answer; the document must refuse it too, or it is too lax.
	requestBreaks
	// requestUnchecked: only the response is checked. The route walk of
	// TestEveryRouteForEveryRole sends the same empty form to every route.
	requestUnchecked
)

type contractKey struct{}

// contractCall is one API request on its way: the rule its request follows
// and, once answered, what disagrees with the document.
type contractCall struct {
	rule     requestRule
	problems []string
}

// withContract returns req following rule; do sends requests without one
// as requestConforms.
func withContract(req *http.Request, rule requestRule) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), contractKey{}, &contractCall{rule: rule}))
}

// contractOf returns the contract of req, attaching requestConforms when
// it has none.
func contractOf(req *http.Request) (*http.Request, *contractCall) {
	if call, ok := req.Context().Value(contractKey{}).(*contractCall); ok {
		return req, call
	}
	req = withContract(req, requestConforms)
	return req, req.Context().Value(contractKey{}).(*contractCall)
}

// report fails t with every mismatch found, at the line of the test that
// sent the request.
func (call *contractCall) report(t testing.TB) {
	t.Helper()
	for _, p := range call.problems {
		t.Error(p)
	}
	call.problems = nil
}

// contractTransport checks every exchange with /api/v1/ against the
// document and records the mismatches in the request's contractCall, for
// do to report; other requests pass untouched.
type contractTransport struct{ next http.RoundTripper }

// RoundTrip sends req and checks the exchange. An API request without a
// contractCall is refused: its mismatches would have nowhere to go.
func (ct contractTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") {
		return ct.next.RoundTrip(req)
	}
	call, ok := req.Context().Value(contractKey{}).(*contractCall)
	if !ok {
		return nil, fmt.Errorf("%s %s: an API request sent without withContract, so unchecked (send it with do)", req.Method, req.URL.Path)
	}
	c, err := loadContract()
	if err != nil {
		return nil, err
	}
	var body []byte
	if req.Body != nil {
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	sent := req.Clone(req.Context())
	sent.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := ct.next.RoundTrip(sent)
	if err != nil {
		return nil, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	for _, problem := range c.check(req, body, call.rule, resp.StatusCode, resp.Header, answer) {
		call.problems = append(call.problems, fmt.Sprintf("%s %s answered %d, which does not match %s: %v\nresponse: %s",
			req.Method, req.URL.RequestURI(), resp.StatusCode, openAPIPath, problem, excerptOf(answer)))
	}
	apiResponsesChecked.Add(1)
	if call.rule != requestUnchecked {
		apiRequestsChecked.Add(1)
	}
	return resp, nil
}

// check returns what disagrees with the document in one exchange: the
// request (method, path, query, credentials, body) against rule, then the
// response (status, content type, body).
func (c *apiContract) check(req *http.Request, body []byte, rule requestRule, status int, header http.Header, answer []byte) []error {
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := c.router.FindRoute(probe)
	if err != nil {
		return []error{fmt.Errorf("%s %s is not a documented operation: %w", req.Method, req.URL.Path, err)}
	}
	opts := &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true, AuthenticationFunc: presentedCredentials}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route, Options: opts}
	var problems []error
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	if reqErr == nil && len(body) > 0 && isJSON(req.Header) && !json.Valid(body) {
		// kin-openapi decodes the first JSON value and ignores the rest.
		reqErr = errors.New("the body is not exactly one JSON value")
	}
	switch {
	case rule == requestConforms && reqErr != nil:
		problems = append(problems, fmt.Errorf("request: %w", reqErr))
	case rule == requestBreaks && reqErr == nil:
		problems = append(problems, errors.New("the test sends this request as contrary to the document, but the document accepts it"))
	}
	in.Request.Body = io.NopCloser(bytes.NewReader(body))
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(answer)), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		problems = append(problems, fmt.Errorf("response: %w", err))
	} else if isJSON(header) && !json.Valid(answer) {
		problems = append(problems, errors.New("response: the body is not exactly one JSON value"))
	}
	return problems
}

// isJSON reports whether a message's Content-Type is JSON.
func isJSON(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "application/json"
}

// presentedCredentials checks that a request presents the credentials of a
// documented security scheme: a bearer token, or the session cookie. Whether
// they are valid is the server's business; the 401 is documented.
func presentedCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req, scheme := in.RequestValidationInput.Request, in.SecurityScheme
	switch {
	case scheme.Type == "http" && strings.EqualFold(scheme.Scheme, "bearer"):
		if token, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok && token != "" {
			return nil
		}
		return in.NewError(errors.New("no Authorization: Bearer header"))
	case scheme.Type == "apiKey" && scheme.In == "cookie":
		// Over plain HTTP, as in the tests, the cookie has no __Host- prefix.
		for _, name := range []string{scheme.Name, strings.TrimPrefix(scheme.Name, "__Host-")} {
			if c, err := req.Cookie(name); err == nil && c.Value != "" {
				return nil
			}
		}
		return in.NewError(fmt.Errorf("no %s cookie", scheme.Name))
	}
	return in.NewError(fmt.Errorf("security scheme %q is not known to the tests", in.SecuritySchemeName))
}

// excerptOf shortens a body for a failure message.
func excerptOf(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// logAPICalls logs, at the end of t, how many API exchanges t had checked
// against the document, and how many the run had so far: the last such
// line of a run (go test -v) gives its totals.
func logAPICalls(t *testing.T) {
	responses, requests := apiResponsesChecked.Load(), apiRequestsChecked.Load()
	t.Cleanup(func() {
		if n := apiResponsesChecked.Load() - responses; n > 0 {
			t.Logf("checked against %s: %d API responses and %d of their requests; in this run so far, %d responses and %d requests",
				openAPIPath, n, apiRequestsChecked.Load()-requests, apiResponsesChecked.Load(), apiRequestsChecked.Load())
		}
	})
}

// TestOpenAPIDocumentIsValid checks that the document is valid OpenAPI 3.1
// and that it documents every operation of the API's route table (as the
// route tables of the tests declare it: TestEveryRouteForEveryRole checks
// they are the router's), and nothing else.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(openAPIPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Errorf("%s is not a valid OpenAPI document: %v", openAPIPath, err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("the document is OpenAPI %s; the tests validate it as 3.1", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" /api/v1"+path] = true
		}
	}
	registered := map[string]bool{}
	for _, table := range []map[string]string{routePolicies, poolRoutePolicies, matchRoutePolicies, missionRoutePolicies, eventRoutePolicies, securityRoutePolicies, networkRoutePolicies, newsletterRoutePolicies, reportRoutePolicies} {
		for pattern := range table {
			if strings.Contains(pattern, " /api/v1/") {
				registered[pattern] = true
			}
		}
	}
	for pattern := range registered {
		if !documented[pattern] {
			t.Errorf("route %s is not documented in %s", pattern, openAPIPath)
		}
	}
	for op := range documented {
		if !registered[op] {
			t.Errorf("%s documents %s, which the API does not have", openAPIPath, op)
		}
	}
}

// TestOpenAPIContractRefusesWhatTheDocumentDoesNot proves the check can
// fail: each exchange below breaks the document in one way and must be
// reported, while the good ones pass.
func TestOpenAPIContractRefusesWhatTheDocumentDoesNot(t *testing.T) {
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	textType := http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
	notFound := `{"error":{"code":"not_found","message":"aucune ressource à cette adresse"}}`
	for _, tc := range []struct {
		name         string
		method, path string
		auth         bool
		body         string
		rule         requestRule
		status       int
		header       http.Header
		answer       string
		ok           bool
	}{
		{name: "a documented error", method: "GET", path: "/api/v1/needs/7", auth: true, status: 404, header: jsonType, answer: notFound, ok: true},
		{name: "a 500 names its code", method: "GET", path: "/api/v1/needs/7", auth: true, status: 500, header: jsonType,
			answer: `{"error":{"code":"internal","message":"erreur interne : réessayez plus tard"}}`, ok: true},
		{name: "a 503", method: "GET", path: "/api/v1/experts", auth: true, status: 503,
			header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {"5"}},
			answer: `{"error":{"code":"unavailable","message":"base occupée"}}`, ok: true},
		{name: "an undocumented path", method: "GET", path: "/api/v1/nulle-part", auth: true, status: 404, header: jsonType, answer: notFound},
		{name: "an undocumented method", method: "DELETE", path: "/api/v1/needs/7", auth: true, status: 404, header: jsonType, answer: notFound},
		{name: "an undocumented status", method: "GET", path: "/api/v1/needs/7", auth: true, status: 418, header: jsonType, answer: notFound},
		{name: "an undocumented content type", method: "GET", path: "/api/v1/needs/7", auth: true, status: 404, header: textType, answer: "404 page not found"},
		{name: "an error without its code", method: "GET", path: "/api/v1/needs/7", auth: true, status: 404, header: jsonType,
			answer: `{"error":{"message":"x"}}`},
		{name: "an error code of the wrong type", method: "GET", path: "/api/v1/needs/7", auth: true, status: 404, header: jsonType,
			answer: `{"error":{"code":1,"message":"x"}}`},
		{name: "an unknown error code", method: "GET", path: "/api/v1/needs/7", auth: true, status: 404, header: jsonType,
			answer: `{"error":{"code":"teapot","message":"x"}}`},
		{name: "an expert with an undocumented field", method: "GET", path: "/api/v1/experts/7", auth: true, status: 200,
			header: jsonType, answer: `{"id":1,"surprise":true}`},
		{name: "an expert missing fields", method: "GET", path: "/api/v1/experts/7", auth: true, status: 200,
			header: jsonType, answer: `{"id":1}`},
		{name: "a request without credentials", method: "GET", path: "/api/v1/needs/7", status: 404, header: jsonType, answer: notFound},
		{name: "a request without credentials, on purpose", method: "GET", path: "/api/v1/needs/7", rule: requestBreaks, status: 401,
			header: jsonType, answer: `{"error":{"code":"unauthorized","message":"x"}}`, ok: true},
		{name: "a conforming request said to break the document", method: "GET", path: "/api/v1/needs/7", auth: true, rule: requestBreaks,
			status: 404, header: jsonType, answer: notFound},
		{name: "a request body with an unknown field", method: "PATCH", path: "/api/v1/needs/7", auth: true, body: `{"status":"qualified","x":1}`,
			status: 422, header: jsonType, answer: `{"error":{"code":"invalid","message":"champ inconnu","field":"x"}}`},
		{name: "a request body followed by more data", method: "PATCH", path: "/api/v1/needs/7", auth: true, body: `{"status":"qualified"} {}`,
			status: 400, header: jsonType, answer: `{"error":{"code":"malformed","message":"x"}}`},
		{name: "a response body followed by more data", method: "GET", path: "/api/v1/needs/7", auth: true, status: 404, header: jsonType,
			answer: notFound + notFound},
		{name: "a malformed request path", method: "GET", path: "/api/v1/needs/sept", auth: true, status: 404, header: jsonType, answer: notFound},
		{name: "a query parameter out of range", method: "GET", path: "/api/v1/needs/7/matches?limit=0", auth: true, status: 422, header: jsonType,
			answer: `{"error":{"code":"invalid","message":"x","field":"limit"}}`},
		{name: "the public document", method: "GET", path: "/api/v1/openapi.json", status: 200, header: jsonType, answer: `{"openapi":"3.1.0","paths":{}}`, ok: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, "http://vivier.test"+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.auth {
				req.Header.Set("Authorization", "Bearer viv_essai")
			}
			problems := c.check(req, []byte(tc.body), tc.rule, tc.status, tc.header, []byte(tc.answer))
			switch {
			case tc.ok && len(problems) > 0:
				t.Errorf("a conforming exchange refused: %v", problems)
			case !tc.ok && len(problems) == 0:
				t.Error("the check accepted it")
			}
			for _, p := range problems {
				t.Log(p) // with -v, shows that each is refused for the reason its name says
			}
		})
	}
}
