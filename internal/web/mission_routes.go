package web

// missionRoutes registers the pages of proposals, missions, reviews and the dashboards.
func (s *Server) missionRoutes() {}
