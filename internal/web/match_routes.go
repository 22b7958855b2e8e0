package web

// matchRoutes registers the pages of the ranked shortlist of a need, explanations and pooling.
func (s *Server) matchRoutes() {
	r := s.router
	// The shortlist and « pourquoi pas » are part of GET /besoins/{id}
	// (needMatching); mutualisation changes the need's group.
	r.HandleFunc("POST /besoins/{id}/mutualiser", Staff, s.groupNeed)
	r.HandleFunc("POST /besoins/{id}/dissocier", Staff, s.ungroupNeed)
}
