package web

import (
	"net/http"
	"strconv"

	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/need"
)

// poolingBox is the mutualisation part of the need page: the group the
// need belongs to, and the open needs nearby it could be grouped with.
type poolingBox struct {
	Members    []need.Need // the group, in order, the need included; nil when alone
	Merged     *match.Request
	Candidates []need.Need
}

// loadPooling fills the mutualisation box of need n: its group, and the
// open needs it could still be grouped with.
func (s *Server) loadPooling(r *http.Request, n need.Need, req match.Request) (poolingBox, error) {
	var box poolingBox
	actor := httpkit.ActorOf(r)
	members, err := s.deps.Match.Group(r.Context(), n, actor)
	if err != nil {
		return box, err
	}
	if len(members) > 1 {
		box.Members, box.Merged = members, &req
	}
	box.Candidates, err = s.deps.Match.PoolCandidates(r.Context(), n, actor)
	return box, err
}

// groupNeed is « mutualiser »: it groups the need with the candidates
// ticked (field "need"); the service checks they still are candidates and
// that the merged windows share a day.
func (s *Server) groupNeed(w http.ResponseWriter, r *http.Request) {
	n, ok := s.needOfPath(w, r)
	if !ok {
		return
	}
	f := formOf(r, "need")
	var chosen []int64
	for _, v := range r.PostForm["need"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.Add("need", "ce besoin ne peut plus être mutualisé avec celui-ci (fermé, éloigné ou sans période commune)")
			break
		}
		chosen = append(chosen, id)
	}
	if !f.Failed() {
		err := s.deps.Match.GroupNeeds(r.Context(), n, chosen, httpkit.ActorOf(r))
		if err != nil && !f.Fail(err) {
			s.fail(w, r, err)
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
	f := &Form{}
	err := s.deps.Match.UngroupNeed(r.Context(), n.ID, httpkit.ActorOf(r))
	switch {
	case err == nil:
		redirect(w, r, "/besoins/"+strconv.FormatInt(n.ID, 10)+"?ok=need-ungrouped#pooling")
	case f.Fail(err):
		s.renderNeed(w, r, http.StatusUnprocessableEntity, f)
	default:
		s.fail(w, r, err)
	}
}

// needOfPath loads the need {id} the visitor may see; false when it
// answered 404 or 500.
func (s *Server) needOfPath(w http.ResponseWriter, r *http.Request) (need.Need, bool) {
	return recordOf(s, w, r, s.deps.Needs.Get)
}
