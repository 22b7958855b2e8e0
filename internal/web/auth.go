package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"vivier/internal/account"
	"vivier/internal/httpkit"
)

// sessionCookie names the session cookie. Over HTTPS it takes the __Host-
// prefix, which browsers only accept Secure, without Domain, on path /.
func (s *Server) sessionCookie(r *http.Request) string {
	if s.secure(r) {
		return "__Host-vivier_session"
	}
	return "vivier_session"
}

// secure reports whether the request came over TLS, directly or through the
// trusted proxy (which a site whose public address is https always is).
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil || s.deps.BehindProxy && s.deps.HTTPS {
		return true
	}
	return s.deps.BehindProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clientIP is the visitor's address: the connection's, or behind the
// trusted proxy the last address it appended to X-Forwarded-For (earlier
// ones are whatever the client claimed).
func (s *Server) clientIP(r *http.Request) string {
	if s.deps.BehindProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate identifies the visitor from an API token (Authorization:
// Bearer) or the session cookie and puts it in the request's context. A bad
// token is refused at once; a bad cookie is dropped and the visitor is
// anonymous.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := httpkit.Visitor{Client: account.Client{IP: s.clientIP(r), UserAgent: r.UserAgent()}}
		if auth := r.Header.Get("Authorization"); auth != "" {
			if !httpkit.IsAPI(r) {
				// A token carries no right outside the API: with one, a
				// script could otherwise use every form of the site (mint
				// tokens, invite an administrator).
				httpkit.WriteAPIError(w, http.StatusUnauthorized, "unauthorized", "les jetons d’API ne sont acceptés que sous /api/", "")
				return
			}
			secret, ok := strings.CutPrefix(auth, "Bearer ")
			u, scope, err := s.deps.Accounts.AuthenticateToken(r.Context(), strings.TrimSpace(secret))
			if ok && err != nil && !errors.Is(err, account.ErrBadToken) {
				// The database did not answer: the token may be good, and
				// a 401 would make its client throw it away.
				s.unavailable(w, r, err)
				return
			}
			if !ok || err != nil {
				if err != nil && !errors.Is(err, account.ErrBadToken) {
					s.deps.Logger.Error("authenticate token", "err", err)
				}
				httpkit.WriteAPIError(w, http.StatusUnauthorized, "unauthorized", "jeton d’API absent, invalide ou révoqué", "")
				return
			}
			v.User, v.Scope = &u, scope
		} else if c, err := r.Cookie(s.sessionCookie(r)); err == nil {
			sess, u, err := s.deps.Accounts.LoadSession(r.Context(), c.Value)
			switch {
			case err == nil:
				v.User, v.Session, v.CSRF = &u, &sess, sess.CSRF
			case errors.Is(err, account.ErrNoSession):
				s.clearSession(w, r)
			default:
				// The database did not answer: not a reason to send a
				// signed-in person to the login page.
				s.unavailable(w, r, err)
				return
			}
		}
		if v.Scope == "" && v.Session == nil && !strings.HasPrefix(r.URL.Path, "/static/") {
			// Assets carry no form: no cookie, so that they stay cacheable.
			token, err := s.anonymousCSRF(w, r)
			if err != nil {
				s.unavailable(w, r, err)
				return
			}
			v.CSRF = token
		}
		next.ServeHTTP(w, httpkit.WithVisitor(r, v))
	})
}

// setSession sends the cookie of a new or renewed session. It lives as long
// as the browser (no Max-Age): the server ends it on idle or absolute expiry.
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(r), Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(r), Value: "", Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(1, 0)})
}

// Deny answers a request the router refused: the API in JSON; pages with
// the login page for an anonymous visitor, the second-factor page for a
// session that owes one, or a French page saying why.
func (s *Server) Deny(w http.ResponseWriter, r *http.Request, status int, reason string) {
	v := httpkit.VisitorOf(r)
	if reason == "csrf" {
		s.deps.Logger.Warn("refused a state-changing request without a valid CSRF token", "path", r.URL.Path, "ip", v.Client.IP)
		_ = s.deps.Accounts.Record(r.Context(), v.Actor(), "security.csrf_refused", 0,
			map[string]any{"path": r.URL.Path})
	}
	msg := denyMessage(status, reason)
	if httpkit.IsAPI(r) {
		code := map[int]string{401: "unauthorized", 403: "forbidden", 413: "too_large"}[status]
		httpkit.WriteAPIError(w, status, code, msg, "")
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		target := "/connexion?retour=" + url.QueryEscape(r.URL.RequestURI())
		if v.Pending() {
			target = "/connexion/code"
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	title := map[int]string{401: "Connexion requise", 403: "Accès refusé", 413: "Envoi trop volumineux"}[status]
	s.render(w, r, status, "error", s.page(r, title, errorPage{Message: msg}))
}

// Refuse answers a request whose input the router refused: the API with
// 422 naming the field, pages with a French page naming it (400).
func (s *Server) Refuse(w http.ResponseWriter, r *http.Request, e *httpkit.InputError) {
	if httpkit.IsAPI(r) {
		httpkit.WriteAPIError(w, http.StatusUnprocessableEntity, "invalid", e.Message, e.Field)
		return
	}
	s.render(w, r, http.StatusBadRequest, "error", s.page(r, "Saisie refusée", errorPage{
		Message: "Saisie refusée dans « " + e.Field + " » : " + e.Message + "."}))
}

func denyMessage(status int, reason string) string {
	switch {
	case reason == "csrf":
		return "Ce formulaire a expiré ou ne vient pas de Vivier. Rechargez la page et recommencez."
	case reason == "scope":
		return "Ce jeton d’API ne permet que la lecture."
	case status == http.StatusUnauthorized:
		return "Connectez-vous pour continuer."
	case status == http.StatusRequestEntityTooLarge:
		return "L'envoi dépasse la taille autorisée."
	}
	return "Votre compte ne donne pas accès à cette page."
}
