package api

import "vivier/internal/web"

// matchRoutes registers the API routes of this part.
func (a *API) matchRoutes(r *web.Router) {}
