package web

// matchRoutes registers the pages of the ranked shortlist of a need, explanations and pooling.
func (s *Server) matchRoutes() {}
