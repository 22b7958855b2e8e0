// Package api is Vivier's JSON API under /api/v1: the route table of the
// API, its handlers, and the OpenAPI description served at
// /api/v1/openapi.json. Clients authenticate with a personal API token
// (Authorization: Bearer viv_…, created on the account page; read tokens
// may only GET) or, from Vivier's own pages, with the session cookie and
// the X-CSRF-Token header. Errors are {"error": {"code", "message",
// "field"}} with a 4xx status. The routes register on the web Router, so
// the same policies, body limits and CSRF rules apply.
package api

import (
	_ "embed"
	"net/http"

	"vivier/internal/account"
	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/store"
)

//go:embed openapi.json
var openAPI []byte

// Deps are what the API needs from the rest of the application.
type Deps struct {
	DB       *store.DB
	Accounts *account.Service
	Experts  *expert.Service
	Needs    *need.Service
	Missions *mission.Service
	Match    *match.Engine // ranks experts for needs: match.go
}

// API serves /api/v1.
type API struct{ deps Deps }

// Register adds the API's routes to r.
func Register(r *httpkit.Router, deps Deps) {
	a := &API{deps: deps}
	r.HandleFunc("GET /api/v1/openapi.json", httpkit.Public, a.openAPI)
	r.HandleFunc("GET /api/v1/me", httpkit.SignedIn, a.me)
	a.poolRoutes(r)    // experts and needs: pool.go
	a.matchRoutes(r)   // matches and explanations: match.go
	a.missionRoutes(r) // proposals and missions: mission.go
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
}

// Me is the signed-in user as the API shows them.
type Me struct {
	ID             int64  `json:"id"`
	Email          string `json:"email"`
	Name           string `json:"name"`
	Role           string `json:"role"`
	OrganisationID int64  `json:"organisation_id,omitempty"`
	Scope          string `json:"scope,omitempty"`
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	u := v.User
	httpkit.WriteJSON(w, http.StatusOK, Me{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role),
		OrganisationID: u.OrganisationID, Scope: string(v.Scope)})
}
