package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Policy says who may use a route. Every route has one: registering a route
// without a policy is impossible, and a test walks every route with every
// role to check the policy is what it claims.
type Policy struct {
	// Name describes the policy in test output and docs ("public", …).
	Name string
	// Public routes are open to anyone, signed in or not.
	Public bool
}

// Public is the policy of pages and endpoints open to anyone.
var Public = Policy{Name: "public", Public: true}

// Route is a registered route and its policy.
type Route struct {
	Pattern string // as given to http.ServeMux, e.g. "GET /experts/{id}"
	Policy  Policy
}

// Router is the application's route table: an http.ServeMux that also
// remembers each route's policy.
type Router struct {
	mux    *http.ServeMux
	routes []Route
}

// NewRouter returns an empty route table.
func NewRouter() *Router { return &Router{mux: http.NewServeMux()} }

// Handle registers h for pattern under policy.
func (r *Router) Handle(pattern string, p Policy, h http.Handler) {
	if p.Name == "" {
		panic(fmt.Sprintf("route %q registered without a policy", pattern))
	}
	if !strings.Contains(pattern, " ") {
		panic(fmt.Sprintf("route %q must name its method, e.g. \"GET /path\"", pattern))
	}
	r.routes = append(r.routes, Route{Pattern: pattern, Policy: p})
	r.mux.Handle(pattern, enforce(p, h))
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

// enforce applies the policy before the handler runs.
func enforce(p Policy, h http.Handler) http.Handler {
	if p.Public {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "accès refusé", http.StatusForbidden)
	})
}
