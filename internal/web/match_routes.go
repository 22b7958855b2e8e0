package web

import "vivier/internal/httpkit"

// matchRoutes registers the pages of the ranked shortlist of a need, explanations and pooling.
func (s *Server) matchRoutes() {
	r := s.router
	// The shortlist and « pourquoi pas » are part of GET /besoins/{id}
	// (needMatching); mutualisation changes the need's group.
	r.HandleFunc("POST /besoins/{id}/mutualiser", httpkit.Staff, s.groupNeed)
	r.HandleFunc("POST /besoins/{id}/dissocier", httpkit.Staff, s.ungroupNeed)
	// Oversight: the weights (admins) and the log of rankings shown.
	r.HandleFunc("GET /admin/ponderation", httpkit.AdminOnly, s.weightsForm)
	r.HandleFunc("POST /admin/ponderation", httpkit.AdminOnly, s.saveWeights)
	r.HandleFunc("GET /classements", httpkit.Staff, s.rankingLog)
	// Declared conflicts of interest of an expert.
	r.HandleFunc("GET /experts/{id}/conflits", httpkit.Staff, s.showConflicts)
	r.HandleFunc("POST /experts/{id}/conflits", httpkit.Staff, s.addConflict)
	r.HandleFunc("POST /experts/{id}/conflits/supprimer", httpkit.Staff, s.removeConflict)
}
