package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/mission"
	"vivier/internal/store"
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

// filterFor is the row rule of missions: staff all, an expert their own,
// a requester their organisation's; ok false for other roles.
func (a *API) filterFor(r *http.Request) (mission.Filter, bool, error) {
	u := httpkit.VisitorOf(r).User
	switch u.Role {
	case access.Admin, access.Coordinator:
		return mission.Filter{}, true, nil
	case access.Expert:
		e, err := a.deps.Experts.ByUser(r.Context(), u.ID)
		if errors.Is(err, store.ErrNotFound) {
			return mission.Filter{ExpertID: -1}, true, nil
		}
		return mission.Filter{ExpertID: e.ID}, err == nil, err
	case access.Requester:
		return mission.Filter{OrganisationID: u.OrganisationID}, true, nil
	}
	return mission.Filter{}, false, nil
}

func (a *API) listMissions(w http.ResponseWriter, r *http.Request) {
	f, ok, err := a.filterFor(r)
	if err != nil {
		httpkit.WriteAPIError(w, http.StatusInternalServerError, "internal", "erreur interne : réessayez plus tard", "")
		return
	}
	if !ok {
		httpkit.WriteAPIError(w, http.StatusForbidden, "forbidden", "les missions ne sont pas visibles pour votre rôle", "")
		return
	}
	f.Status = mission.Status(r.URL.Query().Get("status"))
	list, err := a.deps.Missions.List(r.Context(), f)
	if err != nil {
		httpkit.WriteAPIError(w, http.StatusInternalServerError, "internal", "erreur interne : réessayez plus tard", "")
		return
	}
	out := make([]MissionJSON, 0, len(list))
	for _, m := range list {
		out = append(out, missionJSON(m))
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"missions": out})
}

func (a *API) getMission(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := a.deps.Missions.Get(r.Context(), id)
	f, ok, ferr := a.filterFor(r)
	visible := err == nil && ok && ferr == nil
	if visible && f.ExpertID != 0 {
		visible = m.ExpertID == f.ExpertID
	}
	if visible && f.OrganisationID != 0 {
		visible, err = a.deps.Missions.Serves(r.Context(), m.ID, f.OrganisationID)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		httpkit.WriteAPIError(w, http.StatusInternalServerError, "internal", "erreur interne : réessayez plus tard", "")
		return
	}
	if !visible {
		httpkit.WriteAPIError(w, http.StatusNotFound, "not_found", "aucune mission à cette adresse", "")
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
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in proposalsInput
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		httpkit.WriteAPIError(w, http.StatusBadRequest, "invalid", "corps JSON invalide : "+err.Error(), "")
		return
	}
	n, err := a.deps.Missions.Propose(r.Context(), id, in.ExpertIDs, in.Message, actorOf(r))
	if errors.Is(err, store.ErrNotFound) {
		httpkit.WriteAPIError(w, http.StatusNotFound, "not_found", "aucun besoin à cette adresse", "")
		return
	}
	if list, ok := valid.As(err); ok && len(list) > 0 {
		field := list[0].Field
		if field == "expert" {
			field = "expert_ids"
		}
		httpkit.WriteAPIError(w, http.StatusUnprocessableEntity, "invalid", list[0].Message, field)
		return
	}
	if err != nil {
		httpkit.WriteAPIError(w, http.StatusInternalServerError, "internal", "erreur interne : réessayez plus tard", "")
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]int{"created": n})
}

// actorOf is the API client as the audit log records them.
func actorOf(r *http.Request) access.Actor {
	v := httpkit.VisitorOf(r)
	a := access.Actor{IP: v.Client.IP}
	if v.User != nil {
		a.UserID = v.User.ID
	}
	return a
}
