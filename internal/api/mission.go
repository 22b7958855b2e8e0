package api

import (
	"net/http"

	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/mission"
	"vivier/internal/valid"
)

// missionRoutes registers the API routes of proposals and missions.
func (a *API) missionRoutes(r *httpkit.Router) {
	r.HandleFunc("POST /api/v1/needs/{id}/proposals", httpkit.Staff, a.propose)
	r.HandleFunc("GET /api/v1/missions", httpkit.SignedIn, a.listMissions)
	r.HandleFunc("GET /api/v1/missions/{id}", httpkit.SignedIn, a.getMission)
}

// MissionJSON is a mission as the API shows it.
type MissionJSON struct {
	ID                int64     `json:"id"`
	NeedID            int64     `json:"need_id"`
	Title             string    `json:"title"`
	Status            string    `json:"status"`
	ExpertID          int64     `json:"expert_id"`
	ExpertName        string    `json:"expert_name"`
	Organisation      string    `json:"organisation"`
	Start             date.Date `json:"start"`
	End               date.Date `json:"end"`
	PlannedDays       int       `json:"planned_days"`
	LoggedDays        float64   `json:"logged_days"`
	DailyRate         int       `json:"daily_rate"`
	Cost              int       `json:"cost"`
	EmployerAgreement string    `json:"employer_agreement"`
}

func missionJSON(m mission.Mission) MissionJSON {
	return MissionJSON{ID: m.ID, NeedID: m.NeedID, Title: m.NeedTitle, Status: string(m.Status), ExpertID: m.ExpertID,
		ExpertName: m.ExpertName, Organisation: m.OrgName, Start: m.Start, End: m.End, PlannedDays: m.PlannedDays,
		LoggedDays: m.LoggedDays(), DailyRate: m.DailyRate, Cost: m.Cost(), EmployerAgreement: string(m.Employer)}
}

// listMissions lists the missions the client may see (the service
// decides: staff all, an expert their own, a requester their
// organisation's).
func (a *API) listMissions(w http.ResponseWriter, r *http.Request) {
	f := mission.Filter{Status: mission.Status(r.URL.Query().Get("status"))}
	list, err := a.deps.Missions.List(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]MissionJSON, 0, len(list))
	for _, m := range list {
		out = append(out, missionJSON(m))
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"missions": out})
}

func (a *API) getMission(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	m, err := a.deps.Missions.Get(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, missionJSON(m))
}

// proposalsInput is the body of POST /needs/{id}/proposals.
type proposalsInput struct {
	ExpertIDs []int64 `json:"expert_ids"`
	Message   string  `json:"message"`
}

// propose creates one proposal per expert not yet proposed for the need.
func (a *API) propose(w http.ResponseWriter, r *http.Request) {
	n, err := a.visibleNeed(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var in proposalsInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	created, err := a.deps.Missions.Propose(r.Context(), n.ID, in.ExpertIDs, in.Message, httpkit.ActorOf(r))
	if list, ok := valid.As(err); ok && len(list) > 0 && list[0].Field == "expert" {
		// The form names the field "expert"; the API's body, "expert_ids".
		invalid(w, "expert_ids", list[0].Message)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]int{"created": created})
}
