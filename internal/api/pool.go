package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/need"
	"vivier/internal/organisation"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
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

func actor(r *http.Request) access.Actor {
	v := httpkit.VisitorOf(r)
	return access.Actor{UserID: v.User.ID, IP: v.Client.IP}
}

func notFound(w http.ResponseWriter) {
	httpkit.WriteAPIError(w, http.StatusNotFound, "not_found", "aucune ressource à cette adresse", "")
}

func invalid(w http.ResponseWriter, field, message string) {
	httpkit.WriteAPIError(w, http.StatusUnprocessableEntity, "invalid", message, field)
}

// fail answers err: validation errors as 422 naming the first field, not
// found as 404, anything else as 500.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if list, ok := valid.As(err); ok && len(list) > 0 {
		invalid(w, list[0].Field, list[0].Message)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		notFound(w)
		return
	}
	httpkit.WriteAPIError(w, http.StatusInternalServerError, "internal", "erreur interne : réessayez plus tard", "")
}

// decode reads a JSON body strictly into v; false when it answered an error.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooBig):
		httpkit.WriteAPIError(w, http.StatusRequestEntityTooLarge, "too_large", "le corps de la requête dépasse la taille permise", "")
	case errors.As(err, &typeErr):
		invalid(w, typeErr.Field, "type de valeur inattendu : "+typeErr.Value+" au lieu de "+typeErr.Type.String())
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		invalid(w, "", "JSON mal formé : "+err.Error())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		invalid(w, field, "champ inconnu")
	default:
		invalid(w, "", err.Error())
	}
	return false
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
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
	page, err := a.deps.Experts.List(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, ExpertList{Experts: page.Experts, Total: page.Total, Page: page.Page, PageSize: page.PageSize})
}

func (a *API) createExpert(w http.ResponseWriter, r *http.Request) {
	var p expert.Profile
	if !decode(w, r, &p) {
		return
	}
	e, err := a.deps.Experts.Create(r.Context(), p, actor(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/experts/"+strconv.FormatInt(e.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, e)
}

// visibleExpert loads the expert of the path if the visitor may see it:
// staff any, an expert only their own (others are "not found").
func (a *API) visibleExpert(r *http.Request) (expert.Expert, error) {
	id, ok := pathID(r)
	if !ok {
		return expert.Expert{}, store.ErrNotFound
	}
	e, err := a.deps.Experts.Get(r.Context(), id)
	if err != nil {
		return e, err
	}
	u := httpkit.VisitorOf(r).User
	if !u.Role.Staff() && e.UserID != u.ID {
		return expert.Expert{}, store.ErrNotFound
	}
	return e, nil
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
	e, err := a.deps.Experts.ByUser(r.Context(), httpkit.VisitorOf(r).User.ID)
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
	if !decode(w, r, &p) {
		return
	}
	if !httpkit.VisitorOf(r).User.Role.Staff() {
		p.Reference = e.Reference
	}
	updated, err := a.deps.Experts.Update(r.Context(), e.ID, p, actor(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, updated)
}

func (a *API) setExpertStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		notFound(w)
		return
	}
	var c StatusChange
	if !decode(w, r, &c) {
		return
	}
	if err := a.deps.Experts.SetStatus(r.Context(), id, expert.Status(c.Status), c.Comment, actor(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	e, err := a.deps.Experts.Get(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, e)
}

// requesterOrg is the organisation a requester acts for; 0 for staff.
func requesterOrg(r *http.Request) int64 {
	u := httpkit.VisitorOf(r).User
	if u.Role == access.Requester {
		if u.OrganisationID == 0 {
			return -1 // a requester without an organisation sees nothing
		}
		return u.OrganisationID
	}
	return 0
}

func (a *API) listNeeds(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := need.Filter{Status: need.Status(q.Get("status")), Kind: need.Kind(q.Get("kind")), Departement: q.Get("departement"),
		Skill: q.Get("skill"), Text: q.Get("q"), RequesterID: requesterOrg(r)}
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
	page, err := a.deps.Needs.List(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if page.Needs == nil {
		page.Needs = []need.Need{}
	}
	httpkit.WriteJSON(w, http.StatusOK, NeedList{Needs: page.Needs, Total: page.Total, Page: page.Page, PageSize: page.PageSize})
}

func (a *API) createNeed(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		httpkit.WriteAPIError(w, http.StatusRequestEntityTooLarge, "too_large", "le corps de la requête dépasse la taille permise", "")
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
	if org := requesterOrg(r); org != 0 {
		o, err := organisation.Get(r.Context(), a.deps.DB, org)
		if err != nil || o.SIREN == "" {
			invalid(w, "requester_siren", "votre organisation n’a pas de SIREN connu : demandez à la fédération de le renseigner")
			return
		}
		in.RequesterSIREN, in.Requester = o.SIREN, ""
	}
	n, err := a.deps.Needs.Create(r.Context(), in, actor(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/needs/"+strconv.FormatInt(n.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, n)
}

// visibleNeed loads the need of the path if the visitor may see it: staff
// any, a requester only their organisation's.
func (a *API) visibleNeed(r *http.Request) (need.Need, error) {
	id, ok := pathID(r)
	if !ok {
		return need.Need{}, store.ErrNotFound
	}
	n, err := a.deps.Needs.Get(r.Context(), id)
	if err != nil {
		return n, err
	}
	if org := requesterOrg(r); org != 0 && n.RequesterID != org {
		return need.Need{}, store.ErrNotFound
	}
	return n, nil
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
	if !decode(w, r, &c) {
		return
	}
	if err := a.deps.Needs.Transition(r.Context(), n.ID, need.Status(c.Status), c.Comment, actor(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	if n, err = a.deps.Needs.Get(r.Context(), n.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, n)
}
