package api

import "vivier/internal/web"

// missionRoutes registers the API routes of this part.
func (a *API) missionRoutes(r *web.Router) {}
