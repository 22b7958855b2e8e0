package api

import (
	"net/http"
	"strconv"

	"vivier/internal/httpkit"
	"vivier/internal/report"
	"vivier/internal/store"
)

// The API of the federation's representation and its activity report:
// publications (anyone reads the public ones; members and staff all of
// them; staff create), press mentions, hearings and their delegation
// helper, audiences and their counts (staff), and the report of a year
// (published: anyone; draft: staff), the same JSON as `vivier report`.

// reportRoutes registers the API routes of this part.
func (a *API) reportRoutes(r *httpkit.Router) {
	r.HandleFunc("GET /api/v1/publications", httpkit.Public, a.listPublications)
	r.HandleFunc("POST /api/v1/publications", httpkit.Staff, a.createPublication)
	r.HandleFunc("GET /api/v1/publications/{id}", httpkit.Public, a.getPublication)

	r.HandleFunc("GET /api/v1/press-mentions", httpkit.Staff, a.listMentions)
	r.HandleFunc("POST /api/v1/press-mentions", httpkit.Staff, a.createMention)
	r.HandleFunc("GET /api/v1/press-mentions/{id}", httpkit.Staff, a.getMention)

	r.HandleFunc("GET /api/v1/hearings", httpkit.Staff, a.listHearings)
	r.HandleFunc("POST /api/v1/hearings", httpkit.Staff, a.createHearing)
	r.HandleFunc("GET /api/v1/hearings/{id}", httpkit.Staff, a.getHearing)
	r.HandleFunc("GET /api/v1/hearings/{id}/delegation-proposal", httpkit.Staff, a.proposeDelegation)
	r.HandleFunc("POST /api/v1/hearings/{id}/delegation", httpkit.Staff, a.chooseDelegation)

	r.HandleFunc("GET /api/v1/audiences", httpkit.Staff, a.listAudiences)
	r.HandleFunc("GET /api/v1/audiences/{id}/counts", httpkit.Staff, a.listCounts)
	r.HandleFunc("POST /api/v1/audiences/{id}/counts", httpkit.Staff, a.addCount)

	r.HandleFunc("GET /api/v1/reports/{year}", httpkit.Public, a.getReport)
}

// getReport answers the report of a year as the caller may read it: the
// published snapshot (with, for staff, the figures that moved since), or
// for staff the live draft.
func (a *API) getReport(w http.ResponseWriter, r *http.Request) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		a.fail(w, r, store.NotFound("report"))
		return
	}
	v, err := a.deps.Reports.Get(r.Context(), y, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, report.JSON(v))
}

// yearPeriod reads the query parameter year; ok false when malformed
// (answered). A missing year is every year: zero dates.
func yearParam(w http.ResponseWriter, r *http.Request) (year int, ok bool) {
	v := r.URL.Query().Get("year")
	if v == "" {
		return 0, true
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1990 || y > 9999 {
		invalid(w, "year", "année attendue, de 1990 à 9999")
		return 0, false
	}
	return y, true
}
