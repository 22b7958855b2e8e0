package web

import (
	"net/http"

	"vivier/internal/need"
)

// needSections are the parts of the coordinators' need page that other
// capabilities fill in: the ranked shortlist and pooling (match), the
// proposals and missions (missions). Each loader returns the data its
// partial template (need_matching, need_missions) reads, or nil to show
// nothing.
type needSections struct {
	Matching any
	Missions any
}

func (s *Server) loadNeedSections(r *http.Request, n need.Need) (needSections, error) {
	var sec needSections
	var err error
	if sec.Matching, err = s.needMatching(r, n); err != nil {
		return sec, err
	}
	sec.Missions, err = s.needMissions(r, n)
	return sec, err
}

// needMatching loads the data of the need_matching section: see
// match_pages.go (rankNeed).
func (s *Server) needMatching(r *http.Request, n need.Need) (any, error) { return s.rankNeed(r, n) }

// needMissions loads the data of the need_missions section (mission_*.go).
func (s *Server) needMissions(r *http.Request, n need.Need) (any, error) {
	d, err := s.loadNeedProposals(r, n, nil)
	// The need page proposes from its shortlist's form, which also takes
	// references: one way to propose there.
	d.OnNeedPage = true
	return d, err
}
