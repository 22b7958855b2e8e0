// Package api is Vivier's JSON API under /api/v1: the route table of the
// API, its handlers, and the OpenAPI description served at
// /api/v1/openapi.json. Clients authenticate with a personal API token
// (Authorization: Bearer viv_…, created on the account page; read tokens
// may only GET) or, from Vivier's own pages, with the session cookie and
// the X-CSRF-Token header. Errors are {"error": {"code", "message",
// "field"}} with a 4xx or 5xx status (httpkit.Fail). The routes register on
// the application's one httpkit.Router, so the same policies, body limits
// and CSRF rules apply; the services decide which records a client sees.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"

	"vivier/internal/audience"
	"vivier/internal/event"
	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/training"
)

//go:embed openapi.json
var openAPI []byte

// Deps are what the API needs from the rest of the application.
type Deps struct {
	Logger   *slog.Logger // 5xx answers are logged here, with the request id
	Experts  *expert.Service
	Needs    *need.Service
	Missions *mission.Service
	Match    *match.Service // ranks experts for needs: match.go
	// Events and Trainings: event.go, training.go.
	Events    *event.Service
	Trainings *training.Service
	Network   *network.Service // members, memberships, partners: network.go
	// Newsletter holds lists, campaigns and their figures: newsletter.go.
	Newsletter *newsletter.Service
	// Representation and the activity report: publication.go, press.go,
	// representation.go, audience.go, report.go.
	Publications   *publication.Service
	Press          *press.Service
	Representation *representation.Service
	Audiences      *audience.Service
	Reports        *report.Service
}

// API serves /api/v1.
type API struct{ deps Deps }

// Register adds the API's routes to r.
func Register(r *httpkit.Router, deps Deps) {
	a := &API{deps: deps}
	r.HandleFunc("GET /api/v1/openapi.json", httpkit.Public, a.openAPI)
	r.HandleFunc("GET /api/v1/me", httpkit.SignedIn, a.me)
	a.poolRoutes(r)       // experts and needs: pool.go
	a.matchRoutes(r)      // matches and explanations: match.go
	a.missionRoutes(r)    // proposals and missions: mission.go
	a.eventRoutes(r)      // events and registrations: event.go
	a.trainingRoutes(r)   // trainings and their indicators: training.go
	a.networkRoutes(r)    // members, memberships, partners, engagement: network.go
	a.newsletterRoutes(r) // lists, subscribers, campaigns, bounces: newsletter.go
	a.reportRoutes(r)     // publications, press, hearings, audiences, reports: report.go
}

// fail answers err by its code (httpkit.Fail), logging a 5xx once.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpkit.Fail(w, r, a.deps.Logger, err)
}

// notFound answers 404 for a malformed path id.
func notFound(w http.ResponseWriter) {
	httpkit.WriteAPIError(w, http.StatusNotFound, "not_found", "aucune ressource à cette adresse", "")
}

// invalid answers 422 for a bad query parameter.
func invalid(w http.ResponseWriter, field, message string) {
	httpkit.WriteAPIError(w, http.StatusUnprocessableEntity, "invalid", message, field)
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
