package oidc_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"vivier/internal/oidc"
)

const redirectURL = "http://vivier.test/connexion/oidc/retour"

// provider is a real OpenID Connect provider (oauth2-proxy/mockoidc) on a
// loopback port. tamper, when set, rewrites the claims of the ID tokens it
// hands out (re-signed with the provider's own key), as a provider that
// issues a token for another client or under another name would.
type provider struct {
	*mockoidc.MockOIDC
	mu sync.Mutex
	// tamper edits the claims of the next ID tokens.
	tamper func(jwt.MapClaims)
	// jwtUserinfo answers userinfo as a signed JWT, as ProConnect does.
	jwtUserinfo bool
	// signer, when set, signs the tampered tokens instead of the
	// provider's published key.
	signer *mockoidc.Keypair
}

func init() {
	// Let the test provider accept ProConnect's scopes.
	mockoidc.ScopesSupported = append(mockoidc.ScopesSupported, "given_name", "usual_name", "uid", "siret")
}

func newProvider(t *testing.T) *provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{MockOIDC: m}
	if err := m.AddMiddleware(p.middleware); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

func (p *provider) config(kind oidc.Provider) oidc.Config {
	return oidc.Config{
		Provider: kind, Issuer: p.Issuer(),
		ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		RedirectURL: redirectURL,
	}
}

func (p *provider) client(t *testing.T, cfg oidc.Config) *oidc.Client {
	t.Helper()
	c, err := oidc.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// middleware rewrites token and userinfo answers as configured.
func (p *provider) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		tamper, jwtUserinfo := p.tamper, p.jwtUserinfo
		p.mu.Unlock()
		switch {
		case r.URL.Path == mockoidc.TokenEndpoint && tamper != nil:
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
				copyResponse(w, rec)
				return
			}
			claims := payload(body["id_token"].(string))
			tamper(claims)
			body["id_token"] = p.sign(claims)
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(body)
		case r.URL.Path == mockoidc.UserinfoEndpoint && jwtUserinfo:
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var claims jwt.MapClaims
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &claims) != nil {
				copyResponse(w, rec)
				return
			}
			w.Header().Set("Content-Type", "application/jwt")
			w.Write([]byte(p.sign(claims)))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (p *provider) sign(claims jwt.MapClaims) string {
	key := p.Keypair
	if p.signer != nil {
		key = p.signer
	}
	s, err := key.SignJWT(claims)
	if err != nil {
		panic(err)
	}
	return s
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// payload decodes a JWT's claims without checking anything.
func payload(token string) jwt.MapClaims {
	parts := strings.Split(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		panic(err)
	}
	var claims jwt.MapClaims
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil {
		panic(err)
	}
	return claims
}

// authorize plays the browser: it opens the authorization URL at the
// provider and returns the callback query the provider redirects to.
func authorize(t *testing.T, start oidc.Start) url.Values {
	t.Helper()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(start.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorization answered %s", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirectURL {
		t.Fatalf("redirected to %s, want %s", got, redirectURL)
	}
	return loc.Query()
}

// login runs the whole flow as the web page will: Begin, the browser at the
// provider, ParseCallback, CheckState against the stored state, Finish.
func login(t *testing.T, c *oidc.Client) (oidc.Claims, error) {
	t.Helper()
	start := c.Begin()
	code, state, err := oidc.ParseCallback(authorize(t, start))
	if err != nil {
		t.Fatal(err)
	}
	if err := oidc.CheckState(state, start.State); err != nil {
		t.Fatal(err)
	}
	return c.Finish(context.Background(), code, start)
}

// proConnectUser answers like ProConnect: a bare ID token, the identity in
// the userinfo.
type proConnectUser struct{ sub string }

func (u proConnectUser) ID() string { return u.sub }

func (u proConnectUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{
		"sub": u.sub, "email": "claire.dupont@agglo-exemple.fr",
		"given_name": "Claire", "usual_name": "Dupont-Lefèvre",
		"siret": "21690123100011", "uid": "4242", "idp_id": "fia1v2",
	})
}

func (u proConnectUser) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return jwt.MapClaims{"iss": c.Issuer, "sub": c.Subject, "aud": c.Audience, "exp": c.ExpiresAt,
		"iat": c.IssuedAt, "nonce": c.Nonce, "acr": "eidas1", "amr": []string{"pwd"}}, nil
}

func TestAGenericLoginReadsTheClaims(t *testing.T) {
	p := newProvider(t)
	p.QueueUser(&mockoidc.MockUser{Subject: "agent-17", Email: "lea.martin@example.org", EmailVerified: true})
	c := p.client(t, p.config(oidc.Generic))
	start := c.Begin()
	u, _ := url.Parse(start.URL)
	q := u.Query()
	if q.Get("state") != start.State || q.Get("nonce") != start.Nonce || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("code_challenge") == start.Verifier || len(start.State) < 32 || len(start.Nonce) < 32 {
		t.Fatalf("authorization URL %s lacks state, nonce or PKCE", start.URL)
	}
	if other := c.Begin(); other.State == start.State || other.Nonce == start.Nonce || other.Verifier == start.Verifier {
		t.Fatal("two logins share a random value")
	}
	claims, err := login(t, c)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Issuer != p.Issuer() || claims.Subject != "agent-17" || claims.Email != "lea.martin@example.org" || !claims.EmailVerified {
		t.Fatalf("claims %+v", claims)
	}
}

func TestAnUnverifiedEmailIsReportedSo(t *testing.T) {
	p := newProvider(t)
	p.QueueUser(&mockoidc.MockUser{Subject: "x", Email: "someone@example.org", EmailVerified: false})
	claims, err := login(t, p.client(t, p.config(oidc.Generic)))
	if err != nil {
		t.Fatal(err)
	}
	if claims.EmailVerified {
		t.Fatalf("an unverified email is reported verified: %+v", claims)
	}
}

func TestAProConnectLoginReadsTheSignedUserinfo(t *testing.T) {
	p := newProvider(t)
	p.jwtUserinfo = true
	p.QueueUser(proConnectUser{sub: "pc-0001"})
	c := p.client(t, p.config(oidc.ProConnect))
	if c.Label() != "Se connecter avec ProConnect" {
		t.Errorf("label %q", c.Label())
	}
	start := c.Begin()
	q, _ := url.Parse(start.URL)
	if got := q.Query().Get("scope"); got != "openid email given_name usual_name uid siret" {
		t.Errorf("scope %q", got)
	}
	if got := q.Query().Get("claims"); got != `{"id_token":{"amr":{"essential":true}}}` {
		t.Errorf("claims request %q", got)
	}
	claims, err := login(t, c)
	if err != nil {
		t.Fatal(err)
	}
	want := oidc.Claims{Issuer: p.Issuer(), Subject: "pc-0001", Email: "claire.dupont@agglo-exemple.fr", EmailVerified: true,
		Name: "Claire Dupont-Lefèvre", GivenName: "Claire", FamilyName: "Dupont-Lefèvre", SIRET: "21690123100011", UID: "4242"}
	claims.RawIDToken = ""
	if claims != want {
		t.Fatalf("claims\n got %+v\nwant %+v", claims, want)
	}
}

func TestAForgedStateIsRefused(t *testing.T) {
	p := newProvider(t)
	c := p.client(t, p.config(oidc.Generic))
	victim := c.Begin()   // what the victim's browser session stored
	attacker := c.Begin() // a login the attacker started and got a code for
	code, state, err := oidc.ParseCallback(authorize(t, attacker))
	if err != nil {
		t.Fatal(err)
	}
	if err := oidc.CheckState(state, victim.State); !errors.Is(err, oidc.ErrState) {
		t.Fatalf("the attacker's state was accepted: %v", err)
	}
	if _, _, err := oidc.ParseCallback(url.Values{"code": {code}}); !errors.Is(err, oidc.ErrState) {
		t.Fatalf("a callback without a state: %v", err)
	}
	if err := oidc.CheckState("", ""); !errors.Is(err, oidc.ErrState) {
		t.Fatal("an empty state matched an empty stored state")
	}
	_, _, err = oidc.ParseCallback(url.Values{"state": {state}, "error": {"access_denied"}})
	if !errors.Is(err, oidc.ErrFailed) || !strings.Contains(err.Error(), "access_denied") {
		t.Fatalf("a refusal at the provider: %v", err)
	}
}

func TestAReplayedAuthorizationFailsOnTheNonce(t *testing.T) {
	p := newProvider(t)
	c := p.client(t, p.config(oidc.Generic))
	first, second := c.Begin(), c.Begin()
	code, _, err := oidc.ParseCallback(authorize(t, first))
	if err != nil {
		t.Fatal(err)
	}
	// The code of the first login presented in the second login: the PKCE
	// verifier travels with the code, the nonce is the second login's.
	replayed := oidc.Start{State: second.State, Nonce: second.Nonce, Verifier: first.Verifier}
	if _, err := c.Finish(context.Background(), code, replayed); !errors.Is(err, oidc.ErrNonce) {
		t.Fatalf("want ErrNonce, got %v", err)
	}
}

func TestAWrongVerifierIsRefusedByTheProvider(t *testing.T) {
	p := newProvider(t)
	c := p.client(t, p.config(oidc.Generic))
	start := c.Begin()
	code, _, err := oidc.ParseCallback(authorize(t, start))
	if err != nil {
		t.Fatal(err)
	}
	start.Verifier = c.Begin().Verifier
	if _, err := c.Finish(context.Background(), code, start); !errors.Is(err, oidc.ErrFailed) {
		t.Fatalf("a code exchanged with another verifier: %v", err)
	}
}

func TestATokenFromAnotherIssuerIsRefused(t *testing.T) {
	p := newProvider(t)
	p.tamper = func(c jwt.MapClaims) { c["iss"] = "https://autre-fournisseur.example/oidc" }
	_, err := login(t, p.client(t, p.config(oidc.Generic)))
	if !errors.Is(err, oidc.ErrIssuer) {
		t.Fatalf("want ErrIssuer, got %v", err)
	}
}

func TestAClientConfiguredForAnotherIssuerIsRefused(t *testing.T) {
	p := newProvider(t)
	cfg := p.config(oidc.Generic)
	// The same server under another name: its discovery document names
	// 127.0.0.1, not localhost.
	cfg.Issuer = strings.Replace(cfg.Issuer, "127.0.0.1", "localhost", 1)
	_, err := oidc.New(context.Background(), cfg)
	if !errors.Is(err, oidc.ErrIssuer) || !errors.Is(err, oidc.ErrDiscovery) {
		t.Fatalf("want ErrIssuer and ErrDiscovery, got %v", err)
	}
}

func TestATokenForAnotherClientIsRefused(t *testing.T) {
	p := newProvider(t)
	p.tamper = func(c jwt.MapClaims) { c["aud"] = []string{"un-autre-service"} }
	_, err := login(t, p.client(t, p.config(oidc.Generic)))
	if !errors.Is(err, oidc.ErrAudience) {
		t.Fatalf("want ErrAudience, got %v", err)
	}
}

func TestAnExpiredTokenIsRefused(t *testing.T) {
	p := newProvider(t)
	// The provider's clock runs an hour late: the ID token it mints (valid
	// ten minutes) expired fifty minutes ago.
	p.FastForward(-time.Hour)
	_, err := login(t, p.client(t, p.config(oidc.Generic)))
	if !errors.Is(err, oidc.ErrExpired) {
		t.Fatalf("want ErrExpired, got %v", err)
	}
}

func TestATokenSignedWithAnotherKeyIsRefused(t *testing.T) {
	p := newProvider(t)
	key, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	p.signer = key // a key the provider does not publish
	p.tamper = func(jwt.MapClaims) {}
	_, err = login(t, p.client(t, p.config(oidc.Generic)))
	if !errors.Is(err, oidc.ErrFailed) || errors.Is(err, oidc.ErrIssuer) || errors.Is(err, oidc.ErrAudience) {
		t.Fatalf("want a plain ErrFailed, got %v", err)
	}
}

func TestDiscoveryFailuresAreClear(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	cfg := oidc.Config{Provider: oidc.Generic, Issuer: srv.URL, ClientID: "a", ClientSecret: "b", RedirectURL: redirectURL}
	_, err := oidc.New(context.Background(), cfg)
	if !errors.Is(err, oidc.ErrDiscovery) || !strings.Contains(err.Error(), srv.URL) {
		t.Fatalf("discovery at a server without OIDC: %v", err)
	}
	cfg.Issuer = "pas une url"
	if _, err := oidc.New(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "issuer") {
		t.Fatalf("a malformed issuer: %v", err)
	}
}

func TestParseProvider(t *testing.T) {
	for in, want := range map[string]oidc.Provider{"": oidc.ProConnect, "ProConnect": oidc.ProConnect, "generic": oidc.Generic} {
		if got, err := oidc.ParseProvider(in); err != nil || got != want {
			t.Errorf("ParseProvider(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := oidc.ParseProvider("keycloak"); err == nil || !strings.Contains(err.Error(), "want proconnect or generic") {
		t.Errorf("unknown provider: %v", err)
	}
}
