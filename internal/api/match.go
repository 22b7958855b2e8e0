package api

import (
	"net/http"
	"strconv"

	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/web"
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
	n, req, ok := a.matchNeed(w, r)
	if !ok {
		return
	}
	res, err := a.deps.Match.Rank(r.Context(), req, limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := match.LogRanking(r.Context(), a.deps.DB, logEntry(r, "api", n, req, res)); err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, res)
}

// explainMatch says why the expert with reference {expert} ranks where they
// do for the need, or which constraint excludes them.
func (a *API) explainMatch(w http.ResponseWriter, r *http.Request) {
	n, req, ok := a.matchNeed(w, r)
	if !ok {
		return
	}
	ex, err := a.deps.Match.Explain(r.Context(), req, r.PathValue("expert"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := match.LogRanking(r.Context(), a.deps.DB, logEntry(r, "api-explain", n, req, web.ExplainedResult(ex, a.deps.Match))); err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, ex)
}

// matchNeed loads the need of the path and the request matching ranks for
// it; false when it answered an error.
func (a *API) matchNeed(w http.ResponseWriter, r *http.Request) (need.Need, match.Request, bool) {
	n, err := a.visibleNeed(r)
	if err != nil {
		a.fail(w, r, err)
		return n, match.Request{}, false
	}
	req, err := web.MatchRequest(r.Context(), a.deps.DB, a.deps.Needs, n)
	if err != nil {
		a.fail(w, r, err)
		return n, req, false
	}
	return n, req, true
}

func logEntry(r *http.Request, purpose string, n need.Need, req match.Request, res match.Result) match.LogEntry {
	u := httpkit.VisitorOf(r).User
	return match.LogEntry{ActorID: u.ID, Actor: u.Name, Purpose: purpose, NeedID: n.ID, Request: req, Result: res}
}
