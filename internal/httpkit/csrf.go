package httpkit

import (
	"crypto/subtle"
	"net/http"
)

// CSRF protection is a synchronizer token: every form carries the token of
// the visitor (the session's, renewed at each login; or, before login, one
// kept in a cookie by the web server) in a hidden field "csrf", and scripts
// send it as X-CSRF-Token. The Router refuses a state-changing request whose
// token is missing or differs. SameSite=Lax cookies and the browser's
// Sec-Fetch-Site checks are a second line, not the only one.

// CSRFField is the name of the hidden form field holding the token.
const CSRFField = "csrf"

// needsCSRF reports whether a request must prove it comes from one of our
// pages: every state-changing request that a browser could send with its
// cookies. API calls with a token, or without any session, carry no
// ambient authority and need none.
func needsCSRF(r *http.Request, v Visitor) bool {
	if SafeMethod(r.Method) || v.Scope != "" {
		return false
	}
	return v.Session != nil || !IsAPI(r)
}

// validCSRF reports whether the request carries the expected token, in the
// X-CSRF-Token header or the form.
func validCSRF(r *http.Request, expected string) bool {
	if expected == "" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(expected)) == 1
}
