// Package oidc is Vivier's OpenID Connect client: the authorization-code
// flow with state, nonce and PKCE against ProConnect (the French public
// agents' identity federation) or any standard provider. It is pure
// protocol and holds nothing: the account package stores the state, nonce
// and verifier of a login under way (table oidc_states) and links
// identities to accounts (table oidc_identities).
//
// The flow: Begin returns the provider URL to redirect the browser to, with
// a fresh random state, nonce and PKCE verifier, which the caller stores
// server-side. The provider sends the browser back to the redirect URL
// ({base-url}/connexion/oidc/retour) with a code and the state; the caller
// reads them with ParseCallback, finds what it stored for that state
// (comparing with CheckState when it compares values itself) and calls
// Finish, which exchanges the code (with the PKCE verifier), verifies the ID
// token — signature against the provider's published keys, issuer, audience,
// expiry (through github.com/coreos/go-oidc) and the nonce — fetches the
// userinfo when the ID token lacks the email (ProConnect puts everything
// there, as a signed JWT) and returns the Claims.
//
// Every refusal has its own error value (ErrState, ErrNonce, ErrIssuer,
// ErrAudience, ErrExpired) or wraps ErrFailed; their messages are English,
// for logs — the account package shows users French ones.
//
// Linking contract (implemented by the account package, stated here so that
// nobody relies on this package for it): an account is never linked on
// `sub` alone. A known (issuer, subject) pair logs into the account it is
// linked to. An unknown pair is linked only to an existing account whose
// email equals the Claims' Email with EmailVerified true, and that account
// must exist because a coordinator invited that email first; otherwise the
// login is refused. Nobody gets an account by merely proving an identity
// at the provider.
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// The refusals Finish (and CheckState, ParseCallback, New) report. Test
// them with errors.Is.
var (
	// ErrState: the state sent back by the browser is missing or is not the
	// one stored for this login (a forged or replayed callback).
	ErrState = errors.New("oidc: state does not match the login under way")
	// ErrNonce: the ID token's nonce is not the one of this login (a
	// replayed authorization).
	ErrNonce = errors.New("oidc: ID token nonce does not match the login under way")
	// ErrIssuer: the ID token (or the discovery document) names another
	// issuer than the one configured.
	ErrIssuer = errors.New("oidc: token issued by another provider than the one configured")
	// ErrAudience: the ID token was issued for another client.
	ErrAudience = errors.New("oidc: ID token issued for another client")
	// ErrExpired: the ID token has expired.
	ErrExpired = errors.New("oidc: ID token expired")
	// ErrFailed wraps every other failure: the provider refused or could
	// not be reached, a bad signature, an unreadable answer.
	ErrFailed = errors.New("oidc: login failed")
	// ErrDiscovery: New could not read the provider's configuration.
	ErrDiscovery = errors.New("oidc: provider discovery failed")
)

// Provider names a kind of provider, which sets defaults in Config.
type Provider string

// The supported kinds of provider.
const (
	ProConnect Provider = "proconnect"
	Generic    Provider = "generic"
)

// ParseProvider reads a provider kind ("" is ProConnect).
func ParseProvider(s string) (Provider, error) {
	switch p := Provider(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return ProConnect, nil
	case ProConnect, Generic:
		return p, nil
	}
	return "", fmt.Errorf("unknown OIDC provider %q: want proconnect or generic", s)
}

// Config describes the provider and this client's registration with it.
// WithDefaults fills what the provider kind implies.
type Config struct {
	Provider     Provider
	Issuer       string // e.g. https://PROCONNECT_DOMAIN/api/v2; discovery is read below it
	ClientID     string
	ClientSecret string
	RedirectURL  string // {base-url}/connexion/oidc/retour, registered with the provider
	// Scopes requested; "openid" is always included.
	Scopes []string
	// AuthParams are added to the authorization URL (claims, acr_values,
	// prompt…). ProConnect refuses parameters it does not know.
	AuthParams map[string]string
	// Label is the login button's text, in French.
	Label string
	// TrustEmail says that the provider only hands out emails it verified,
	// so an email without an email_verified claim counts as verified. True
	// for ProConnect, whose identity providers are the agents' own
	// administrations and which sends no email_verified claim.
	TrustEmail bool
	// HTTPClient makes the calls to the provider (default: a client with a
	// 15 s timeout).
	HTTPClient *http.Client
	// Now is the clock used to check token expiry (default time.Now).
	Now func() time.Time
}

// WithDefaults returns c with the defaults of its provider kind filled in.
func (c Config) WithDefaults() Config {
	if c.Provider == "" {
		c.Provider = ProConnect
	}
	switch c.Provider {
	case ProConnect:
		if len(c.Scopes) == 0 {
			c.Scopes = []string{"openid", "email", "given_name", "usual_name", "uid", "siret"}
		}
		if c.AuthParams == nil {
			// The claims request ProConnect documents to get "amr" (how the
			// agent authenticated) in the ID token.
			c.AuthParams = map[string]string{"claims": `{"id_token":{"amr":{"essential":true}}}`}
		}
		if c.Label == "" {
			c.Label = "Se connecter avec ProConnect"
		}
		c.TrustEmail = true
	default:
		if len(c.Scopes) == 0 {
			c.Scopes = []string{"openid", "email", "profile"}
		}
		if c.Label == "" {
			c.Label = "Se connecter avec le compte de votre organisation"
		}
	}
	if !slices.Contains(c.Scopes, gooidc.ScopeOpenID) {
		c.Scopes = append([]string{gooidc.ScopeOpenID}, c.Scopes...)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate names the first missing or malformed setting.
func (c Config) Validate() error {
	if _, err := ParseProvider(string(c.Provider)); err != nil {
		return err
	}
	for _, u := range []struct{ name, value string }{{"issuer", c.Issuer}, {"redirect URL", c.RedirectURL}} {
		p, err := url.Parse(u.value)
		if u.value == "" || err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return fmt.Errorf("OIDC %s %q is not an http(s) URL", u.name, u.value)
		}
	}
	if c.ClientID == "" {
		return errors.New("OIDC client ID is empty")
	}
	if c.ClientSecret == "" {
		return errors.New("OIDC client secret is empty")
	}
	return nil
}

// Client runs logins against one provider. It is safe for concurrent use.
type Client struct {
	cfg      Config
	provider *gooidc.Provider
	oauth    oauth2.Config
	verifier *gooidc.IDTokenVerifier
	// lenient checks only the signature, to tell why a token was refused.
	lenient *gooidc.IDTokenVerifier
	pkce    bool
}

// New reads the provider's discovery document ({issuer}/.well-known/
// openid-configuration) and returns a client. Failures wrap ErrDiscovery
// (and ErrIssuer when the document names another issuer).
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ctx = gooidc.ClientContext(ctx, cfg.HTTPClient)
	provider, err := gooidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		if strings.Contains(err.Error(), "did not match the issuer") {
			return nil, fmt.Errorf("%w: %w: %v", ErrDiscovery, ErrIssuer, err)
		}
		return nil, fmt.Errorf("%w at %s: %v", ErrDiscovery, cfg.Issuer, err)
	}
	var meta struct {
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
		PKCE        []string `json:"code_challenge_methods_supported"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrDiscovery, cfg.Issuer, err)
	}
	endpoint := provider.Endpoint()
	// client_secret_basic is the standard's default; ProConnect (and the
	// test provider) want the secret in the form.
	endpoint.AuthStyle = oauth2.AuthStyleInHeader
	if slices.Contains(meta.AuthMethods, "client_secret_post") {
		endpoint.AuthStyle = oauth2.AuthStyleInParams
	}
	c := &Client{
		cfg:      cfg,
		provider: provider,
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
			Endpoint: endpoint, RedirectURL: cfg.RedirectURL, Scopes: cfg.Scopes,
		},
		verifier: provider.Verifier(&gooidc.Config{ClientID: cfg.ClientID, Now: cfg.Now}),
		lenient: provider.Verifier(&gooidc.Config{ClientID: cfg.ClientID, Now: cfg.Now,
			SkipClientIDCheck: true, SkipExpiryCheck: true, SkipIssuerCheck: true}),
		// PKCE is sent only to providers that announce S256: ProConnect
		// answers an error to any parameter it does not know.
		pkce: slices.Contains(meta.PKCE, "S256"),
	}
	return c, nil
}

// Label is the login button's text.
func (c *Client) Label() string { return c.cfg.Label }

// Issuer is the provider's issuer URL.
func (c *Client) Issuer() string { return c.cfg.Issuer }

// Start is a login under way: the URL to send the browser to, and the
// values the caller stores (server-side) until the callback.
type Start struct {
	URL      string // the provider's authorization URL
	State    string // sent back in the callback; 256 random bits
	Nonce    string // must come back inside the ID token; 256 random bits
	Verifier string // PKCE code verifier, sent with the code exchange
}

// Begin starts a login.
func (c *Client) Begin() Start {
	s := Start{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	opts := []oauth2.AuthCodeOption{gooidc.Nonce(s.Nonce)}
	if c.pkce {
		opts = append(opts, oauth2.S256ChallengeOption(s.Verifier))
	}
	for k, v := range c.cfg.AuthParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	s.URL = c.oauth.AuthCodeURL(s.State, opts...)
	return s
}

// random returns 32 random bytes in base64url (43 characters: ProConnect
// wants at least 32).
func random() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// CheckState compares the state of a callback with the stored one in
// constant time; a mismatch or an empty value is ErrState.
func CheckState(got, want string) error {
	if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return ErrState
	}
	return nil
}

// ParseCallback reads the query of the redirect URL: the code and the state,
// or the provider's refusal (e.g. the user cancelled), which wraps
// ErrFailed. A callback without a state is ErrState.
func ParseCallback(q url.Values) (code, state string, err error) {
	state = q.Get("state")
	if e := q.Get("error"); e != "" {
		return "", state, fmt.Errorf("%w: the provider answered %s: %s", ErrFailed, e, q.Get("error_description"))
	}
	if state == "" {
		return "", "", ErrState
	}
	code = q.Get("code")
	if code == "" {
		return "", state, fmt.Errorf("%w: callback without a code", ErrFailed)
	}
	return code, state, nil
}

// Claims is who the provider says the user is.
type Claims struct {
	Issuer        string // with Subject, the identity to link
	Subject       string
	Email         string
	EmailVerified bool // see Config.TrustEmail
	Name          string
	GivenName     string
	FamilyName    string // ProConnect: usual_name
	SIRET         string // ProConnect: the agent's organisation
	UID           string // ProConnect: the identity provider's own user id
	// RawIDToken is the ID token as received, needed to log out at the
	// provider (id_token_hint).
	RawIDToken string
}

// rawClaims are the claims Vivier reads, from the ID token or userinfo.
type rawClaims struct {
	Subject       string `json:"sub"`
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"` // a boolean, or "true" from some providers
	Name          string `json:"name"`
	GivenName     string `json:"given_name"`
	FamilyName    string `json:"family_name"`
	UsualName     string `json:"usual_name"`
	SIRET         string `json:"siret"`
	UID           any    `json:"uid"` // string or number
}

// Finish completes a login: it exchanges code with the verifier of begun,
// verifies the ID token and its nonce against begun's, and returns the
// claims. begun.URL and begun.State are not used (the caller checked the
// state when it found begun).
func (c *Client) Finish(ctx context.Context, code string, begun Start) (Claims, error) {
	ctx = gooidc.ClientContext(ctx, c.cfg.HTTPClient)
	var opts []oauth2.AuthCodeOption
	if c.pkce {
		opts = append(opts, oauth2.VerifierOption(begun.Verifier))
	}
	token, err := c.oauth.Exchange(ctx, code, opts...)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: code exchange: %v", ErrFailed, err)
	}
	rawID, ok := token.Extra("id_token").(string)
	if !ok || rawID == "" {
		return Claims{}, fmt.Errorf("%w: the token answer has no ID token", ErrFailed)
	}
	idToken, err := c.verify(ctx, rawID)
	if err != nil {
		return Claims{}, err
	}
	if begun.Nonce == "" || subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(begun.Nonce)) != 1 {
		return Claims{}, ErrNonce
	}
	var raw rawClaims
	if err := idToken.Claims(&raw); err != nil {
		return Claims{}, fmt.Errorf("%w: unreadable ID token claims: %v", ErrFailed, err)
	}
	if raw.Email == "" || c.cfg.Provider == ProConnect {
		if raw, err = c.userinfo(ctx, token, idToken.Subject); err != nil {
			return Claims{}, err
		}
	}
	return c.claims(idToken, raw, rawID), nil
}

// verify checks rawID fully and, when it is refused, tells why.
func (c *Client) verify(ctx context.Context, rawID string) (*gooidc.IDToken, error) {
	idToken, err := c.verifier.Verify(ctx, rawID)
	if err == nil {
		return idToken, nil
	}
	var expired *gooidc.TokenExpiredError
	if errors.As(err, &expired) {
		return nil, fmt.Errorf("%w at %s", ErrExpired, expired.Expiry.UTC().Format(time.RFC3339))
	}
	// The token is refused either way; a second look that checks only the
	// signature says whether the issuer or the audience was at fault.
	if t, lerr := c.lenient.Verify(ctx, rawID); lerr == nil {
		if t.Issuer != c.cfg.Issuer {
			return nil, fmt.Errorf("%w: %q, want %q", ErrIssuer, t.Issuer, c.cfg.Issuer)
		}
		if !slices.Contains(t.Audience, c.cfg.ClientID) {
			return nil, fmt.Errorf("%w: audience %q", ErrAudience, t.Audience)
		}
	}
	return nil, fmt.Errorf("%w: ID token refused: %v", ErrFailed, err)
}

// userinfo fetches the userinfo claims (verifying the signature when they
// come as a JWT) and checks they are about subject.
func (c *Client) userinfo(ctx context.Context, token *oauth2.Token, subject string) (rawClaims, error) {
	var raw rawClaims
	info, err := c.provider.UserInfo(ctx, oauth2.StaticTokenSource(token))
	if err != nil {
		return raw, fmt.Errorf("%w: userinfo: %v", ErrFailed, err)
	}
	if err := info.Claims(&raw); err != nil {
		return raw, fmt.Errorf("%w: unreadable userinfo: %v", ErrFailed, err)
	}
	if raw.Subject != subject {
		// OpenID Connect Core 5.3.2: the userinfo must be about the ID
		// token's subject, or it is substituted.
		return raw, fmt.Errorf("%w: userinfo subject %q differs from the ID token's %q", ErrFailed, raw.Subject, subject)
	}
	return raw, nil
}

func (c *Client) claims(t *gooidc.IDToken, raw rawClaims, rawID string) Claims {
	cl := Claims{
		Issuer: t.Issuer, Subject: t.Subject,
		Email:     strings.TrimSpace(raw.Email),
		Name:      raw.Name,
		GivenName: raw.GivenName, FamilyName: raw.FamilyName,
		SIRET:      raw.SIRET,
		RawIDToken: rawID,
	}
	if raw.UsualName != "" {
		cl.FamilyName = raw.UsualName
	}
	switch v := raw.UID.(type) {
	case string:
		cl.UID = v
	case float64:
		b, _ := json.Marshal(v)
		cl.UID = string(b)
	}
	if cl.Name == "" {
		cl.Name = strings.TrimSpace(cl.GivenName + " " + cl.FamilyName)
	}
	switch v := raw.EmailVerified.(type) {
	case bool:
		cl.EmailVerified = v
	case string:
		cl.EmailVerified = v == "true"
	case nil:
		cl.EmailVerified = c.cfg.TrustEmail
	}
	cl.EmailVerified = cl.EmailVerified && cl.Email != ""
	return cl
}
