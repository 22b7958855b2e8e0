package httpkit

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"vivier/internal/access"
	"vivier/internal/account"
)

// Policy says who may use a route. Every route has one: registering a route
// without a policy panics, and a test walks every route with every role to
// check the outcome is what the policy says. Row rules (an expert sees only
// their own profile…) are the services' job (package access): the policy
// only says who may reach the route at all.
type Policy struct {
	// Name describes the policy in test output and docs ("public", …).
	Name string
	// Public routes are open to anyone, signed in or not.
	Public bool
	// Pending routes serve a session that still owes its second factor
	// (entering a code, enrolling); a fully signed-in user may use them too.
	Pending bool
	// Roles may use the route; empty means every signed-in role.
	Roles []access.Role
	// NoCSRF exempts the route from the CSRF check: a public route whose
	// unguessable token in the URL (or a shared secret) is the proof,
	// posted by mail clients and relays that have no form token.
	NoCSRF bool
}

// The policies of Vivier's routes.
var (
	Public      = Policy{Name: "public", Public: true}
	SecondStep  = Policy{Name: "second-step", Pending: true}
	SignedIn    = Policy{Name: "signed-in"}
	Staff       = Policy{Name: "staff", Roles: []access.Role{access.Admin, access.Coordinator}}
	AdminOnly   = Policy{Name: "admin", Roles: []access.Role{access.Admin}}
	ExpertOnly  = Policy{Name: "expert", Roles: []access.Role{access.Expert}}
	Requesters  = Policy{Name: "requester", Roles: []access.Role{access.Requester}}
	StaffExpert = Policy{Name: "staff-or-expert", Roles: []access.Role{access.Admin, access.Coordinator, access.Expert}}
	// StaffRequester lets staff and requesters in: the needs, where a
	// requester sees only their own organisation's (the service decides).
	StaffRequester = Policy{Name: "staff-or-requester", Roles: []access.Role{access.Admin, access.Coordinator, access.Requester}}
	// StaffMember lets staff and the staff of member organisations in: the
	// network's member-only pages, where the service decides what a member
	// sees (their own organisation's fees, other members' contacts while
	// their membership is current).
	StaffMember = Policy{Name: "staff-or-member", Roles: []access.Role{access.Admin, access.Coordinator, access.Member}}
	// MemberOnly is for the staff of member organisations: their own
	// membership.
	MemberOnly = Policy{Name: "member", Roles: []access.Role{access.Member}}
	// TokenLink is open to anyone without a form token: RFC 8058's
	// one-click unsubscribe and the relay's bounce reports, where the
	// link's token or the shared secret is the proof.
	TokenLink = Policy{Name: "public-token", Public: true, NoCSRF: true}
)

// Allows reports whether a fully signed-in user of role may use the route.
func (p Policy) Allows(role access.Role) bool {
	return p.Public || len(p.Roles) == 0 || slices.Contains(p.Roles, role)
}

// Route is a registered route and its policy.
type Route struct {
	Pattern   string // as given to http.ServeMux, e.g. "GET /experts/{id}"
	Policy    Policy
	BodyLimit int64 // the largest request body accepted, in bytes
}

// DeniedHeader is set on responses refused by a route's policy (rather than
// by a handler's row rule), so that tests and logs can tell them apart.
const DeniedHeader = "X-Vivier-Denied"

// DefaultBodyLimit caps request bodies; upload routes register a larger,
// still bounded, limit with Upload.
const DefaultBodyLimit = 1 << 20

// Guard is what the router needs from the server to enforce policies: who
// the visitor is (set by authenticate) and how to answer a refusal.
type Guard interface {
	// Deny answers a request refused with status 401, 403 or 413.
	Deny(w http.ResponseWriter, r *http.Request, status int, reason string)
	// Refuse answers a request whose input the router refused (a NUL
	// byte, invalid UTF-8, an absurd page number), naming the field.
	Refuse(w http.ResponseWriter, r *http.Request, e *InputError)
}

// Router is the application's route table: an http.ServeMux that also
// remembers each route's policy and, before the handler runs, bounds the
// body, checks the CSRF token of state-changing requests and enforces the
// policy.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	guard  Guard
}

// NewRouter returns an empty route table.
func NewRouter(g Guard) *Router {
	return &Router{mux: http.NewServeMux(), guard: g}
}

// Handle registers h for pattern under policy, with the default body limit.
func (r *Router) Handle(pattern string, p Policy, h http.Handler) {
	r.handle(Route{Pattern: pattern, Policy: p, BodyLimit: DefaultBodyLimit}, h)
}

// Upload registers a route that receives files, accepting bodies up to
// limit bytes.
func (r *Router) Upload(pattern string, p Policy, limit int64, h http.HandlerFunc) {
	r.handle(Route{Pattern: pattern, Policy: p, BodyLimit: limit}, h)
}

func (r *Router) handle(rt Route, h http.Handler) {
	if rt.Policy.Name == "" {
		panic(fmt.Sprintf("route %q registered without a policy", rt.Pattern))
	}
	if !strings.Contains(rt.Pattern, " ") {
		panic(fmt.Sprintf("route %q must name its method, e.g. \"GET /path\"", rt.Pattern))
	}
	r.routes = append(r.routes, rt)
	r.mux.Handle(rt.Pattern, r.enforce(rt, h))
}

// HandleFunc is Handle for a function.
func (r *Router) HandleFunc(pattern string, p Policy, h http.HandlerFunc) {
	r.Handle(pattern, p, h)
}

// Routes lists every registered route, sorted by pattern.
func (r *Router) Routes() []Route {
	out := append([]Route(nil), r.routes...)
	sort.Slice(out, func(i, j int) bool { return out[i].Pattern < out[j].Pattern })
	return out
}

// ServeHTTP dispatches to the registered routes.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.mux.ServeHTTP(w, req) }

// enforce bounds the body, checks the CSRF token of a state-changing request
// made with a browser session (API tokens are not sent by browsers on their
// own, so they need none), then applies the policy to the visitor that
// authenticate put in the request's context.
func (r *Router) enforce(rt Route, h http.Handler) http.Handler {
	p := rt.Policy
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		noteRoute(req)
		if req.ContentLength > rt.BodyLimit {
			r.guard.Deny(w, req, http.StatusRequestEntityTooLarge, "")
			return
		}
		req.Body = http.MaxBytesReader(w, req.Body, rt.BodyLimit)
		if e := checkInput(req); e != nil {
			r.guard.Refuse(w, req, e)
			return
		}
		v := VisitorOf(req)
		if !p.NoCSRF && needsCSRF(req, v) && !validCSRF(req, v.CSRF) {
			r.guard.Deny(w, req, http.StatusForbidden, "csrf")
			return
		}
		switch {
		case p.Public:
		case v.User == nil, v.Pending() && !p.Pending:
			w.Header().Set(DeniedHeader, "policy")
			r.guard.Deny(w, req, http.StatusUnauthorized, "")
			return
		case !v.Pending() && !p.Allows(v.User.Role):
			w.Header().Set(DeniedHeader, "policy")
			r.guard.Deny(w, req, http.StatusForbidden, "")
			return
		case v.Scope == account.ScopeRead && !SafeMethod(req.Method):
			r.guard.Deny(w, req, http.StatusForbidden, "scope")
			return
		}
		h.ServeHTTP(w, req)
	})
}
