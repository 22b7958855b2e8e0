package api

import "vivier/internal/web"

// poolRoutes registers the API routes of this part.
func (a *API) poolRoutes(r *web.Router) {}
