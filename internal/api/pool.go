package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/need"
	"vivier/internal/skill"
	"vivier/internal/store"
)

// The experts and needs API. Experts: staff list, create, read, replace
// (PUT) and qualify; an expert reads and replaces their own profile only
// (GET/PUT /api/v1/experts/{id} with their id, or /api/v1/me/expert), any
// other id is 404. Needs: staff and requesters list, create and read; a
// requester sees only the needs of their organisation and creates needs in
// its name; staff move a need through its lifecycle with PATCH (the content
// of a need is fixed once submitted: the requester submits a new one).

// poolRoutes registers the API routes of this part.
func (a *API) poolRoutes(r *httpkit.Router) {
	r.HandleFunc("GET /api/v1/experts", httpkit.Staff, a.listExperts)
	r.HandleFunc("POST /api/v1/experts", httpkit.Staff, a.createExpert)
	r.HandleFunc("GET /api/v1/experts/{id}", httpkit.StaffExpert, a.getExpert)
	r.HandleFunc("PUT /api/v1/experts/{id}", httpkit.StaffExpert, a.putExpert)
	r.HandleFunc("POST /api/v1/experts/{id}/status", httpkit.Staff, a.setExpertStatus)
	r.HandleFunc("GET /api/v1/me/expert", httpkit.ExpertOnly, a.myExpert)

	r.HandleFunc("GET /api/v1/needs", httpkit.StaffRequester, a.listNeeds)
	r.HandleFunc("POST /api/v1/needs", httpkit.StaffRequester, a.createNeed)
	r.HandleFunc("GET /api/v1/needs/{id}", httpkit.StaffRequester, a.getNeed)
	r.HandleFunc("PATCH /api/v1/needs/{id}", httpkit.Staff, a.patchNeed)
}

// ExpertList is a page of experts.
type ExpertList struct {
	Experts  []expert.Expert `json:"experts"`
	Total    int             `json:"total"`
	Page     int             `json:"page"`
	PageSize int             `json:"page_size"`
}

// NeedList is a page of needs.
type NeedList struct {
	Needs    []need.Need `json:"needs"`
	Total    int         `json:"total"`
	Page     int         `json:"page"`
	PageSize int         `json:"page_size"`
}

// StatusChange is the body of a status move.
type StatusChange struct {
	Status  string `json:"status"`
	Comment string `json:"comment"`
}

// intParam reads an integer query parameter; ok false when malformed.
func intParam(q url.Values, name string) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func dateParam(q url.Values, name string) (date.Date, bool) {
	v := q.Get(name)
	if v == "" {
		return date.Date{}, true
	}
	d, err := date.Parse(v)
	return d, err == nil
}

func (a *API) listExperts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := expert.Filter{Skill: q.Get("skill"), Zone: q.Get("zone"), Status: expert.Status(q.Get("status")), Text: q.Get("q"),
		HomeDepartement: q.Get("home_departement"), Sort: expert.Sort(q.Get("sort"))}
	for _, p := range []struct {
		name string
		to   *int
	}{{"page", &f.Page}, {"page_size", &f.PageSize}, {"days_per_week", &f.DaysPerWeek}} {
		n, ok := intParam(q, p.name)
		if !ok {
			invalid(w, p.name, "nombre entier attendu")
			return
		}
		*p.to = n
	}
	lvl, ok := intParam(q, "min_level")
	if !ok {
		invalid(w, "min_level", "nombre entier attendu")
		return
	}
	f.MinLevel = skill.Level(lvl)
	if f.AvailableFrom, ok = dateParam(q, "available_from"); !ok {
		invalid(w, "available_from", "date AAAA-MM-JJ attendue")
		return
	}
	if f.AvailableTo, ok = dateParam(q, "available_to"); !ok {
		invalid(w, "available_to", "date AAAA-MM-JJ attendue")
		return
	}
	if f.Page == 0 {
		f.Page = 1
	}
	page, err := a.deps.Experts.List(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, ExpertList{Experts: page.Experts, Total: page.Total, Page: page.Page, PageSize: page.PageSize})
}

func (a *API) createExpert(w http.ResponseWriter, r *http.Request) {
	var p expert.Profile
	if !httpkit.Decode(w, r, &p) {
		return
	}
	e, err := a.deps.Experts.Create(r.Context(), p, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/experts/"+strconv.FormatInt(e.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, e)
}

// visibleExpert loads the expert of the path if the visitor may see it
// (the service decides: staff any, an expert only their own).
func (a *API) visibleExpert(r *http.Request) (expert.Expert, error) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		return expert.Expert{}, store.NotFound("expert")
	}
	return a.deps.Experts.Get(r.Context(), id, httpkit.ActorOf(r))
}

func (a *API) getExpert(w http.ResponseWriter, r *http.Request) {
	e, err := a.visibleExpert(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, e)
}

func (a *API) myExpert(w http.ResponseWriter, r *http.Request) {
	e, err := a.deps.Experts.Mine(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, e)
}

// putExpert replaces the profile (every field of Profile; the status moves
// with POST …/status). An expert cannot change their own reference.
func (a *API) putExpert(w http.ResponseWriter, r *http.Request) {
	e, err := a.visibleExpert(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var p expert.Profile
	if !httpkit.Decode(w, r, &p) {
		return
	}
	updated, err := a.deps.Experts.Update(r.Context(), e.ID, p, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, updated)
}

func (a *API) setExpertStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	var c StatusChange
	if !httpkit.Decode(w, r, &c) {
		return
	}
	if err := a.deps.Experts.SetStatus(r.Context(), id, expert.Status(c.Status), c.Comment, httpkit.ActorOf(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	e, err := a.deps.Experts.Get(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, e)
}

func (a *API) listNeeds(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := need.Filter{Status: need.Status(q.Get("status")), Kind: need.Kind(q.Get("kind")), Departement: q.Get("departement"),
		Skill: q.Get("skill"), Text: q.Get("q")}
	for _, p := range []struct {
		name string
		to   *int
	}{{"page", &f.Page}, {"page_size", &f.PageSize}} {
		n, ok := intParam(q, p.name)
		if !ok {
			invalid(w, p.name, "nombre entier attendu")
			return
		}
		*p.to = n
	}
	if f.Page == 0 {
		f.Page = 1
	}
	page, err := a.deps.Needs.List(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if page.Needs == nil {
		page.Needs = []need.Need{}
	}
	httpkit.WriteJSON(w, http.StatusOK, NeedList{Needs: page.Needs, Total: page.Total, Page: page.Page, PageSize: page.PageSize})
}

// createNeed reads the body with the rules of every API body
// (httpkit.Decode: malformed JSON or trailing data 400, too large 413),
// then decodes the need field by field, so that an error names its path.
func (a *API) createNeed(w http.ResponseWriter, r *http.Request) {
	var body json.RawMessage
	if !httpkit.Decode(w, r, &body) {
		return
	}
	in, err := need.DecodeOne(body)
	if err != nil {
		var bad *need.ImportError
		if errors.As(err, &bad) && len(bad.Errors) > 0 {
			invalid(w, bad.Errors[0].Field, bad.Errors[0].Message)
			return
		}
		a.fail(w, r, err)
		return
	}
	n, err := a.deps.Needs.Create(r.Context(), in, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/needs/"+strconv.FormatInt(n.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, n)
}

// visibleNeed loads the need of the path if the visitor may see it (the
// service decides: staff any, a requester only their organisation's).
func (a *API) visibleNeed(r *http.Request) (need.Need, error) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		return need.Need{}, store.NotFound("need")
	}
	return a.deps.Needs.Get(r.Context(), id, httpkit.ActorOf(r))
}

func (a *API) getNeed(w http.ResponseWriter, r *http.Request) {
	n, err := a.visibleNeed(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, n)
}

// patchNeed moves a need to another status: {"status": "qualified",
// "comment": "…"}.
func (a *API) patchNeed(w http.ResponseWriter, r *http.Request) {
	n, err := a.visibleNeed(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var c StatusChange
	if !httpkit.Decode(w, r, &c) {
		return
	}
	if err := a.deps.Needs.Transition(r.Context(), n.ID, need.Status(c.Status), c.Comment, httpkit.ActorOf(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	if n, err = a.deps.Needs.Get(r.Context(), n.ID, httpkit.ActorOf(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, n)
}
