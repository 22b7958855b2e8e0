package api

import (
	"net/http"
	"strconv"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/representation"
	"vivier/internal/valid"
)

// The hearings: their list by year, one hearing with its delegation, the
// creation of a hearing, the delegation helper's proposal and the choice
// of agencies it proposed. Meetings and notes are kept on the pages.

func (a *API) listHearings(w http.ResponseWriter, r *http.Request) {
	y, ok := yearParam(w, r)
	if !ok {
		return
	}
	f := representation.Filter{Kind: representation.Hearing}
	if y != 0 {
		f.From, f.To = date.Date{Year: y, Month: 1, Day: 1}, date.Date{Year: y, Month: 12, Day: 31}
	}
	list, err := a.deps.Representation.List(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list == nil {
		list = []representation.Act{}
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"hearings": list, "total": len(list)})
}

// hearingOf loads the hearing of the path; other acts are « not found »
// here.
func (a *API) hearingOf(r *http.Request) (representation.Act, error) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		return representation.Act{}, errNotFound
	}
	h, err := a.deps.Representation.Get(r.Context(), id, httpkit.ActorOf(r))
	if err == nil && h.Kind != representation.Hearing {
		err = errNotFound
	}
	return h, err
}

func (a *API) getHearing(w http.ResponseWriter, r *http.Request) {
	h, err := a.hearingOf(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, h)
}

// hearingInput is the body of POST /hearings: an act without its kind.
type hearingInput struct {
	Body          string                  `json:"body"`
	BodyKind      representation.BodyKind `json:"body_kind"`
	HeldOn        date.Date               `json:"held_on"`
	Topic         string                  `json:"topic"`
	Summary       string                  `json:"summary"`
	Domains       []string                `json:"domains"`
	PublicationID int64                   `json:"publication_id"`
}

func (a *API) createHearing(w http.ResponseWriter, r *http.Request) {
	var in hearingInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	h, err := a.deps.Representation.Create(r.Context(), representation.Input{Kind: representation.Hearing, Body: in.Body, BodyKind: in.BodyKind,
		HeldOn: in.HeldOn, Topic: in.Topic, Summary: in.Summary, Domains: in.Domains, PublicationID: in.PublicationID}, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/hearings/"+strconv.FormatInt(h.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, h)
}

// sizeParam reads the delegation's size, 4 by default.
func sizeParam(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, ok := intParam(r.URL.Query(), "size")
	if !ok {
		invalid(w, "size", "nombre entier attendu")
		return 0, false
	}
	if n == 0 {
		n = 4
	}
	return n, true
}

func (a *API) proposeDelegation(w http.ResponseWriter, r *http.Request) {
	h, err := a.hearingOf(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	size, ok := sizeParam(w, r)
	if !ok {
		return
	}
	p, err := a.deps.Representation.ProposeFor(r.Context(), h.ID, size, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, p)
}

// delegationInput is the body of POST /hearings/{id}/delegation: the
// agencies chosen among those the helper proposes for size.
type delegationInput struct {
	Agencies []int64 `json:"agencies"`
	Size     int     `json:"size"`
}

// chooseDelegation adds agencies the helper proposes (among its picks or
// its other candidates) to the delegation, each with its reason.
func (a *API) chooseDelegation(w http.ResponseWriter, r *http.Request) {
	h, err := a.hearingOf(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var in delegationInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	if in.Size == 0 {
		in.Size = 4
	}
	actor := httpkit.ActorOf(r)
	p, err := a.deps.Representation.ProposeFor(r.Context(), h.ID, in.Size, actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	reasons := map[int64]string{}
	for _, pk := range p.Picks {
		reasons[pk.ID] = pk.Reason
	}
	for _, c := range p.Others {
		reasons[c.ID] = "Ajoutée parmi les autres candidates, score " + fr.Decimal(c.Score, 2) + "."
	}
	var chosen []representation.Delegate
	for _, id := range in.Agencies {
		reason, ok := reasons[id]
		if !ok {
			a.fail(w, r, valid.FieldError{Field: "agencies", Message: "l’agence " + strconv.FormatInt(id, 10) + " n’est pas proposée pour cette audition (déjà dans la délégation, ou inconnue)"})
			return
		}
		chosen = append(chosen, representation.Delegate{ID: id, Reason: reason})
	}
	if err := a.deps.Representation.AddAgencies(r.Context(), h.ID, chosen, actor); err != nil {
		a.fail(w, r, err)
		return
	}
	h, err = a.deps.Representation.Get(r.Context(), h.ID, actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, h)
}

var errNotFound = access.Errorf(access.NotFound, "aucune ressource à cette adresse")
