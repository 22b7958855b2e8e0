package httpkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"

	"vivier/internal/access"
	"vivier/internal/account"
)

// Visitor is who sends a request: nobody, a browser with a session, or an
// API client with a token.
type Visitor struct {
	User    *account.User    // nil for an anonymous visitor
	Session *account.Session // the browser session, nil otherwise
	Scope   account.Scope    // the API token's scope; "" for a session
	Client  account.Client   // address and browser, for the audit log
	CSRF    string           // the token its forms must send back
}

// Actor is the visitor as the services see them: who acts, with which
// role and organisation, authenticated how, from which address. A session
// that still owes its second factor acts as an anonymous visitor.
func (v Visitor) Actor() access.Actor {
	if v.User == nil || v.Pending() {
		return access.Visitor(v.Client.IP)
	}
	if v.Scope != "" {
		return v.User.Actor(v.Client.IP, access.Token)
	}
	return v.User.Actor(v.Client.IP, access.Session)
}

// Pending reports whether the visitor's session still owes a second factor.
func (v Visitor) Pending() bool { return v.Session != nil && v.Session.Stage != account.StageFull }

// SignedIn reports whether the visitor is fully signed in.
func (v Visitor) SignedIn() bool { return v.User != nil && !v.Pending() }

// Is reports whether the visitor is signed in with one of roles.
func (v Visitor) Is(roles ...access.Role) bool {
	if !v.SignedIn() {
		return false
	}
	for _, r := range roles {
		if v.User.Role == r {
			return true
		}
	}
	return false
}

type visitorKey struct{}

// WithVisitor returns r carrying v, for the authentication middleware.
func WithVisitor(r *http.Request, v Visitor) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), visitorKey{}, v))
}

// VisitorOf returns who sends r (the zero Visitor before authentication).
func VisitorOf(r *http.Request) Visitor {
	v, _ := r.Context().Value(visitorKey{}).(Visitor)
	return v
}

// ActorOf returns the acting user of r, as services receive them.
func ActorOf(r *http.Request) access.Actor { return VisitorOf(r).Actor() }

// IsAPI reports whether r is a request to the JSON API.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// SafeMethod reports whether m changes nothing (GET, HEAD, OPTIONS).
func SafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

type requestIDKey struct{}

// WithRequestID gives r a random id, also sent back as X-Request-Id, so that
// a user's report of an error can be found in the logs.
func WithRequestID(w http.ResponseWriter, r *http.Request) *http.Request {
	b := make([]byte, 8)
	rand.Read(b)
	id := hex.EncodeToString(b)
	w.Header().Set("X-Request-Id", id)
	return r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
}

// RequestID returns the id WithRequestID gave r, "" when none.
func RequestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

type routeKey struct{}

// TrackRoute returns r carrying a place where the router writes the pattern
// it matched, for the logging middleware, which sees the request before
// routing and reads the pattern after.
func TrackRoute(r *http.Request) (*http.Request, *string) {
	var pattern string
	return r.WithContext(context.WithValue(r.Context(), routeKey{}, &pattern)), &pattern
}

func noteRoute(r *http.Request) {
	if p, ok := r.Context().Value(routeKey{}).(*string); ok {
		*p = r.Pattern
	}
}
