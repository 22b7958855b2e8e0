package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"vivier/internal/geo"
	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/store"
)

// poolingBox is the mutualisation part of the need page: the group the
// need belongs to, and the open needs nearby it could be grouped with.
type poolingBox struct {
	Members    []need.Need // the group, in order, the need included; nil when alone
	Merged     *match.Request
	Candidates []need.Need
}

// loadPooling fills the mutualisation box of need n: its group, and the
// needs match.Pool accepts among those need.Nearby finds, outside the group.
func (s *Server) loadPooling(r *http.Request, n need.Need, req match.Request) (poolingBox, error) {
	var box poolingBox
	members, err := groupNeeds(r.Context(), s.deps.DB, s.deps.Needs, n)
	if err != nil {
		return box, err
	}
	if len(members) > 1 {
		box.Members, box.Merged = members, &req
	}
	if !n.Status.Open() {
		return box, nil // a closed need is grouped with nothing more
	}
	box.Candidates, err = s.poolCandidates(r, n)
	if err != nil {
		return box, err
	}
	box.Candidates = slices.DeleteFunc(box.Candidates, func(c need.Need) bool {
		return slices.ContainsFunc(members, func(m need.Need) bool { return m.ID == c.ID })
	})
	return box, nil
}

// poolCandidates are the open needs that could be mutualised with n.
func (s *Server) poolCandidates(r *http.Request, n need.Need) ([]need.Need, error) {
	nearby, err := s.deps.Needs.Nearby(r.Context(), n.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]need.Need{}
	open := make([]match.OpenNeed, len(nearby))
	for i, m := range nearby {
		byID[m.ID] = m
		open[i] = match.OpenNeed{ID: m.ID, Request: match.FromNeed(m)}
	}
	var out []need.Need
	for _, o := range match.Pool(geo.Default(), match.OpenNeed{ID: n.ID, Request: match.FromNeed(n)}, open) {
		out = append(out, byID[o.ID])
	}
	return out, nil
}

// groupNeed is « mutualiser »: it groups the need with the candidates
// ticked (field "need"), which must still be candidates, and whose merged
// windows must share a day.
func (s *Server) groupNeed(w http.ResponseWriter, r *http.Request) {
	n, ok := s.needOfPath(w, r)
	if !ok {
		return
	}
	f := formOf(r, "need")
	if !n.Status.Open() {
		f.Add("need", "ce besoin est clos : il ne peut plus être mutualisé")
		s.renderNeed(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	cands, err := s.poolCandidates(r, n)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var chosen []int64
	for _, v := range r.PostForm["need"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !slices.ContainsFunc(cands, func(c need.Need) bool { return c.ID == id }) {
			f.Add("need", "ce besoin ne peut plus être mutualisé avec celui-ci (fermé, éloigné ou sans période commune)")
			break
		}
		chosen = append(chosen, id)
	}
	if len(chosen) == 0 && !f.Failed() {
		f.Add("need", "cochez au moins un besoin à mutualiser")
	}
	if !f.Failed() {
		members, err := groupNeeds(r.Context(), s.deps.DB, s.deps.Needs, n)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if len(members) == 0 {
			members = []need.Need{n}
		}
		for _, c := range cands {
			if slices.Contains(chosen, c.ID) {
				members = append(members, c)
			}
		}
		if _, err := mergeNeeds(members); err != nil && !f.Fail(err) {
			s.serverError(w, r, err)
			return
		}
	}
	if !f.Failed() {
		if _, err := match.GroupNeeds(r.Context(), s.deps.DB, n.ID, chosen, httpkit.VisitorOf(r).Actor()); err != nil && !f.Fail(err) {
			s.serverError(w, r, err)
			return
		}
	}
	if f.Failed() {
		s.renderNeed(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	redirect(w, r, "/besoins/"+strconv.FormatInt(n.ID, 10)+"?ok=need-grouped#pooling")
}

// ungroupNeed takes the need out of its group.
func (s *Server) ungroupNeed(w http.ResponseWriter, r *http.Request) {
	n, ok := s.needOfPath(w, r)
	if !ok {
		return
	}
	err := match.UngroupNeed(r.Context(), s.deps.DB, n.ID, httpkit.VisitorOf(r).Actor())
	if errors.Is(err, store.ErrNotFound) {
		f := &Form{}
		f.Add("need", "ce besoin n’est mutualisé avec aucun autre")
		s.renderNeed(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/besoins/"+strconv.FormatInt(n.ID, 10)+"?ok=need-ungrouped#pooling")
}

// needOfPath loads the need {id} (staff routes); false when it answered
// 404 or 500.
func (s *Server) needOfPath(w http.ResponseWriter, r *http.Request) (need.Need, bool) {
	return visibleRecord(s, w, r, s.deps.Needs.Get, routePolicyDecides[need.Need])
}
