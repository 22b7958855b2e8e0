package web

import (
	"context"
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
	http.Redirect(w, r, authURL, http.StatusFound)
}

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
	saved, err := s.deps.Accounts.TakeOIDCState(r.Context(), q.Get("state"))
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
		msg := "La connexion n'a pas abouti : elle a expiré, a été interrompue, ou l'identité reçue n'a pas pu être vérifiée. Recommencez depuis la page de connexion."
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
