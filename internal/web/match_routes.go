package web

// matchRoutes registers the pages of the ranked shortlist of a need, explanations and pooling.
func (s *Server) matchRoutes() {
	r := s.router
	// The shortlist and « pourquoi pas » are part of GET /besoins/{id}
	// (needMatching); mutualisation changes the need's group.
	r.HandleFunc("POST /besoins/{id}/mutualiser", Staff, s.groupNeed)
	r.HandleFunc("POST /besoins/{id}/dissocier", Staff, s.ungroupNeed)
	// Oversight: the weights (admins) and the log of rankings shown.
	r.HandleFunc("GET /admin/ponderation", AdminOnly, s.weightsForm)
	r.HandleFunc("POST /admin/ponderation", AdminOnly, s.saveWeights)
	r.HandleFunc("GET /classements", Staff, s.rankingLog)
	// Declared conflicts of interest of an expert.
	r.HandleFunc("GET /experts/{id}/conflits", Staff, s.showConflicts)
	r.HandleFunc("POST /experts/{id}/conflits", Staff, s.addConflict)
	r.HandleFunc("POST /experts/{id}/conflits/supprimer", Staff, s.removeConflict)
}
