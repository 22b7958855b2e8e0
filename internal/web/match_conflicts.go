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
	e, ok := recordOf(s, w, r, s.deps.Experts.Get)
	if !ok {
		return
	}
	list, err := s.deps.Match.Conflicts(r.Context(), e.ID, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "match_conflicts", s.page(r, "Conflits d’intérêts déclarés", conflictsPage{Expert: e, Conflicts: list, Form: f}))
}

// addConflict declares a SIREN (field "siren", Luhn-checked).
func (s *Server) addConflict(w http.ResponseWriter, r *http.Request) {
	s.changeConflict(w, r, s.deps.Match.DeclareConflict, "conflict-added")
}

// removeConflict withdraws a declared SIREN (field "siren").
func (s *Server) removeConflict(w http.ResponseWriter, r *http.Request) {
	s.changeConflict(w, r, s.deps.Match.RemoveConflict, "conflict-removed")
}

func (s *Server) changeConflict(w http.ResponseWriter, r *http.Request, change func(context.Context, int64, string, access.Actor) error, ok string) {
	id, valid := httpkit.PathID(r, "id")
	if !valid {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "siren")
	err := change(r.Context(), id, f.Value("siren"), httpkit.ActorOf(r))
	if errors.Is(err, store.ErrNotFound) {
		// An unknown expert is a 404; a SIREN not declared is already gone.
		if _, gerr := s.deps.Experts.Get(r.Context(), id, httpkit.ActorOf(r)); gerr != nil {
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
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/experts/"+strconv.FormatInt(id, 10)+"/conflits?ok="+ok)
}
