package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"

	"vivier/internal/account"
	"vivier/internal/httpkit"
)

// OIDCLogin is the OpenID Connect provider (ProConnect or another), as the
// wiring adapts package oidc to it.
type OIDCLogin interface {
	// Label is the text of the login button.
	Label() string
	// Begin returns the provider's authorization URL and the secrets the
	// callback needs.
	Begin() (authURL, state string, saved account.OIDCState, err error)
	// Finish exchanges the code and verifies the ID token (issuer,
	// audience, expiry, nonce), returning the identity it vouches for.
	Finish(ctx context.Context, code string, saved account.OIDCState) (account.Identity, error)
}

func (s *Server) oidcBegin(w http.ResponseWriter, r *http.Request) {
	if s.deps.OIDC == nil {
		s.notFound(w, r)
		return
	}
	authURL, state, saved, err := s.deps.OIDC.Begin()
	if err == nil {
		saved.ReturnTo = httpkit.SafeReturn(r.URL.Query().Get("retour"))
		err = s.deps.Accounts.SaveOIDCState(r.Context(), state, saved)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.oidcCookie(r), Value: state, Path: "/", MaxAge: oidcCookieAge, HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, authURL, http.StatusFound)
}

// The state of a login in progress is bound to the browser that started it:
// oidcBegin sets it in a cookie, and the callback accepts only the state
// that cookie holds. Without it, a victim opening an attacker's callback
// URL (the attacker's code and state) would be signed in as the attacker
// (login CSRF). The nonce and the PKCE verifier are stored under the
// state, so they are bound with it. The cookie is SameSite=Lax: the
// provider's redirection back is a top-level navigation, which sends it.

// oidcCookieAge is the life of the binding cookie, the same as the state's.
const oidcCookieAge = 10 * 60

func (s *Server) oidcCookie(r *http.Request) string {
	if s.secure(r) {
		return "__Host-vivier_oidc"
	}
	return "vivier_oidc"
}

// oidcBoundState returns the state of the callback when the browser's
// cookie holds that same state, and clears the cookie: it serves once.
func (s *Server) oidcBoundState(w http.ResponseWriter, r *http.Request) (string, error) {
	state := r.URL.Query().Get("state")
	c, err := r.Cookie(s.oidcCookie(r))
	http.SetCookie(w, &http.Cookie{Name: s.oidcCookie(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		return "", errOIDCUnbound
	}
	return state, nil
}

var errOIDCUnbound = errors.New("the callback's state is not the one this browser's login started with")

// oidcCallback finishes a provider login. Every refusal (forged or replayed
// state, bad token, unknown person) shows the same French page and is in
// the audit log; the details go to the server log.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.deps.OIDC == nil {
		s.notFound(w, r)
		return
	}
	v := httpkit.VisitorOf(r)
	q := r.URL.Query()
	var saved account.OIDCState
	state, err := s.oidcBoundState(w, r)
	if err == nil {
		saved, err = s.deps.Accounts.TakeOIDCState(r.Context(), state)
	}
	if err == nil && q.Get("error") != "" {
		err = errOIDCProvider(q.Get("error"))
	}
	var id account.Identity
	if err == nil {
		id, err = s.deps.OIDC.Finish(r.Context(), q.Get("code"), saved)
	}
	var login account.Login
	if err == nil {
		login, err = s.deps.Accounts.LoginWithOIDC(r.Context(), id, v.Client)
	}
	if err != nil {
		s.deps.Logger.Warn("OpenID Connect login refused", "err", err, "ip", v.Client.IP)
		if err != account.ErrOIDCNoAccount {
			_ = s.deps.Accounts.Record(r.Context(), v.Actor(), "account.oidc_refused", 0, map[string]any{"reason": err.Error()})
		}
		msg := "La connexion n’a pas abouti : elle a expiré, a été interrompue, ou l’identité reçue n’a pas pu être vérifiée. Recommencez depuis la page de connexion."
		if err == account.ErrOIDCNoAccount {
			msg = err.Error() + "."
		}
		s.render(w, r, http.StatusForbidden, "error", s.page(r, "Connexion refusée", errorPage{Message: msg}))
		return
	}
	s.signedIn(w, r, login, saved.ReturnTo)
}

type errOIDCProvider string

func (e errOIDCProvider) Error() string { return "provider answered error " + string(e) }
