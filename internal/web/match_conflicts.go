package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"vivier/internal/access"
	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/store"
)

// The declared conflicts of interest of an expert (staff): SIRENs of
// organisations whose needs the expert must not be proposed for.

type conflictsPage struct {
	Expert    expert.Expert
	Conflicts []match.Conflict
	Form      *Form
}

func (s *Server) showConflicts(w http.ResponseWriter, r *http.Request) {
	s.renderConflicts(w, r, http.StatusOK, &Form{Values: map[string]string{}})
}

func (s *Server) renderConflicts(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	e, ok := visibleRecord(s, w, r, s.deps.Experts.Get, routePolicyDecides[expert.Expert])
	if !ok {
		return
	}
	list, err := match.Conflicts(r.Context(), s.deps.DB, e.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "match_conflicts", s.page(r, "Conflits d’intérêts déclarés", conflictsPage{Expert: e, Conflicts: list, Form: f}))
}

// addConflict declares a SIREN (field "siren", Luhn-checked).
func (s *Server) addConflict(w http.ResponseWriter, r *http.Request) {
	s.changeConflict(w, r, match.DeclareConflict, "conflict-added")
}

// removeConflict withdraws a declared SIREN (field "siren").
func (s *Server) removeConflict(w http.ResponseWriter, r *http.Request) {
	s.changeConflict(w, r, match.RemoveConflict, "conflict-removed")
}

func (s *Server) changeConflict(w http.ResponseWriter, r *http.Request, change func(context.Context, *store.DB, int64, string, access.Actor) error, ok string) {
	id, valid := pathID(r)
	if !valid {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "siren")
	err := change(r.Context(), s.deps.DB, id, f.Value("siren"), httpkit.VisitorOf(r).Actor())
	if errors.Is(err, store.ErrNotFound) {
		// An unknown expert is a 404; a SIREN not declared is already gone.
		if _, gerr := s.deps.Experts.Get(r.Context(), id); gerr != nil {
			s.notFound(w, r)
			return
		}
		err = nil
	}
	if err != nil {
		if f.Fail(err) {
			s.renderConflicts(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/experts/"+strconv.FormatInt(id, 10)+"/conflits?ok="+ok)
}
