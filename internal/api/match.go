package api

import (
	"net/http"
	"strconv"

	"vivier/internal/httpkit"
)

// DefaultMatchLimit and MaxMatchLimit bound ?limit= of the ranking.
const (
	DefaultMatchLimit = 20
	MaxMatchLimit     = 500
)

// matchRoutes registers the API routes of this part.
func (a *API) matchRoutes(r *httpkit.Router) {
	r.HandleFunc("GET /api/v1/needs/{id}/matches", httpkit.Staff, a.needMatches)
	r.HandleFunc("GET /api/v1/needs/{id}/matches/{expert}/explain", httpkit.Staff, a.explainMatch)
}

// needMatches ranks the experts for a stored need (the group's merged
// request when the need is pooled): {"matches":[…],"excluded":{…}}, best
// first. Each answer is logged in match_log with the caller.
func (a *API) needMatches(w http.ResponseWriter, r *http.Request) {
	limit := DefaultMatchLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxMatchLimit {
			invalid(w, "limit", "le nombre d’experts doit être un entier de 1 à "+strconv.Itoa(MaxMatchLimit))
			return
		}
		limit = n
	}
	n, err := a.visibleNeed(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ranking, err := a.deps.Match.RankNeed(r.Context(), n, limit, "api", httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, ranking.Result)
}

// explainMatch says why the expert with reference {expert} ranks where they
// do for the need, or which constraint excludes them.
func (a *API) explainMatch(w http.ResponseWriter, r *http.Request) {
	n, err := a.visibleNeed(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ex, err := a.deps.Match.ExplainNeed(r.Context(), n, r.PathValue("expert"), "api-explain", httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, ex)
}
