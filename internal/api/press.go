package api

import (
	"net/http"
	"strconv"

	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/press"
)

// MentionList is the press mentions of a year (or of every year), with
// their count by scope: the figures of the press page and of the report.
type MentionList struct {
	Mentions []press.Mention `json:"mentions"`
	Total    int             `json:"total"`
	ByScope  map[string]int  `json:"by_scope"`
}

func (a *API) listMentions(w http.ResponseWriter, r *http.Request) {
	y, ok := yearParam(w, r)
	if !ok {
		return
	}
	f := press.Filter{Scope: press.Scope(r.URL.Query().Get("scope"))}
	if y != 0 {
		f.From, f.To = date.Date{Year: y, Month: 1, Day: 1}, date.Date{Year: y, Month: 12, Day: 31}
	}
	list, err := a.deps.Press.List(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := MentionList{Mentions: list, Total: len(list), ByScope: map[string]int{}}
	if out.Mentions == nil {
		out.Mentions = []press.Mention{}
	}
	for _, sc := range press.Scopes() {
		out.ByScope[string(sc)] = 0
	}
	for _, m := range list {
		out.ByScope[string(m.Scope)]++
	}
	httpkit.WriteJSON(w, http.StatusOK, out)
}

func (a *API) createMention(w http.ResponseWriter, r *http.Request) {
	var in press.Input
	if !httpkit.Decode(w, r, &in) {
		return
	}
	m, err := a.deps.Press.Create(r.Context(), in, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/press-mentions/"+strconv.FormatInt(m.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, m)
}

func (a *API) getMention(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	m, err := a.deps.Press.Get(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, m)
}
