package api

import (
	"net/http"
	"strconv"

	"vivier/internal/httpkit"
	"vivier/internal/publication"
)

// PublicationList is a page of publications.
type PublicationList struct {
	Publications []publication.Publication `json:"publications"`
	Total        int                       `json:"total"`
	Page         int                       `json:"page"`
	PageSize     int                       `json:"page_size"`
}

func (a *API) listPublications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := publication.Filter{Text: q.Get("q"), Kind: publication.Kind(q.Get("kind")), Theme: q.Get("theme"), Audience: publication.Audience(q.Get("audience"))}
	for _, p := range []struct {
		name string
		to   *int
	}{{"page", &f.Page}, {"page_size", &f.PageSize}, {"year", &f.Year}} {
		n, ok := intParam(q, p.name)
		if !ok {
			invalid(w, p.name, "nombre entier attendu")
			return
		}
		*p.to = n
	}
	l, err := a.deps.Publications.List(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if l.Publications == nil {
		l.Publications = []publication.Publication{}
	}
	httpkit.WriteJSON(w, http.StatusOK, PublicationList{Publications: l.Publications, Total: l.Total, Page: l.Page, PageSize: l.PageSize})
}

func (a *API) getPublication(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	p, err := a.deps.Publications.Get(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, p)
}

// createPublication creates a publication that is a link or a summary;
// a file is uploaded from the pages.
func (a *API) createPublication(w http.ResponseWriter, r *http.Request) {
	var in publication.Input
	if !httpkit.Decode(w, r, &in) {
		return
	}
	p, err := a.deps.Publications.Create(r.Context(), in, nil, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/publications/"+strconv.FormatInt(p.ID, 10))
	httpkit.WriteJSON(w, http.StatusCreated, p)
}
