package web

// poolRoutes registers the pages of experts, needs, the public need form, imports and exports.
func (s *Server) poolRoutes() {}
