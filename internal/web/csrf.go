package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// CSRF protection is a synchronizer token: every form carries the token of
// the visitor (the session's, renewed at each login; or, before login, a
// random one kept in an HttpOnly cookie) in a hidden field "csrf", and
// scripts send it as X-CSRF-Token. A state-changing request whose token is
// missing or differs is refused (Router.enforce). SameSite=Lax cookies and
// the browser's Sec-Fetch-Site checks are a second line, not the only one.

// csrfField is the name of the hidden form field holding the token.
const csrfField = "csrf"

func (s *Server) csrfCookie(r *http.Request) string {
	if s.secure(r) {
		return "__Host-vivier_csrf"
	}
	return "vivier_csrf"
}

// anonymousCSRF returns the token of a visitor without a session, setting
// its cookie the first time.
func (s *Server) anonymousCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(s.csrfCookie(r)); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: s.csrfCookie(r), Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	return token
}

// validCSRF reports whether the request carries the expected token, in the
// X-CSRF-Token header or the form.
func validCSRF(r *http.Request, expected string) bool {
	if expected == "" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(expected)) == 1
}
