package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
)

// The anonymous visitor's CSRF token lives in a cookie (httpkit checks it on
// every state-changing request; a session carries its own).

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
