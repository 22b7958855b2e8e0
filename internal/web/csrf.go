package web

import (
	"net/http"
)

// The anonymous visitor's CSRF token lives in a cookie (httpkit checks it on
// every state-changing request; a session carries its own). The server
// makes and signs it (account.NewAnonymousCSRF): a value the client made
// up is replaced, never adopted.

func (s *Server) csrfCookie(r *http.Request) string {
	if s.secure(r) {
		return "__Host-vivier_csrf"
	}
	return "vivier_csrf"
}

// anonymousCSRF returns the token of a visitor without a session: the
// cookie's when the server signed it, else a new one, sent in the cookie.
// An error means the database did not answer (the signing key is read once).
func (s *Server) anonymousCSRF(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(s.csrfCookie(r)); err == nil {
		ok, err := s.deps.Accounts.ValidAnonymousCSRF(r.Context(), c.Value)
		if err != nil {
			return "", err
		}
		if ok {
			return c.Value, nil
		}
	}
	token, err := s.deps.Accounts.NewAnonymousCSRF(r.Context())
	if err != nil {
		return "", err
	}
	http.SetCookie(w, &http.Cookie{Name: s.csrfCookie(r), Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	return token, nil
}
