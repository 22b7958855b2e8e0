package web

import (
	"fmt"
	"html/template"
	"net/http"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/httpkit"
	"vivier/internal/markdown"
	"vivier/internal/training"
)

type trainingListPage struct {
	Trainings []training.Training
}

func (s *Server) listTrainings(w http.ResponseWriter, r *http.Request) {
	list, err := s.deps.Trainings.List(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "trainings", s.page(r, "Formations", trainingListPage{Trainings: list}))
}

// sessionView is a session with what the page says of it.
type sessionView struct {
	training.Session
	Place      string
	Enrolments []training.Enrolment // the visitor's organisation's, or all for staff
}

type trainingView struct {
	Training  training.Training
	Programme template.HTML
	Sessions  []sessionView
	Form      *Form
	FormFor   int64 // the session whose form has errors
	CanEnrol  bool  // staff, or a member of an agency
	Staff     bool
	Agencies  []account.Organisation // staff enrol for one of them
}

func (s *Server) showTraining(w http.ResponseWriter, r *http.Request, status int, id int64, f *Form, formFor int64) {
	actor := httpkit.ActorOf(r)
	t, sessions, err := s.deps.Trainings.Get(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	prog, err := markdown.Render(t.Programme)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := trainingView{Training: t, Programme: prog, Form: f, FormFor: formFor, Staff: actor.Staff(),
		CanEnrol: actor.Staff() || actor.Is(access.Member) && actor.OrganisationID != 0}
	if v.Form == nil {
		v.Form = &Form{Values: map[string]string{}}
	}
	if v.Staff {
		orgs, err := s.deps.Accounts.Organisations(r.Context(), actor)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, o := range orgs {
			if o.Kind == "agence" {
				v.Agencies = append(v.Agencies, o)
			}
		}
	}
	for _, sess := range sessions {
		sv := sessionView{Session: sess, Place: s.placeOf(sess.Commune, sess.Address)}
		if sv.Enrolments, err = s.deps.Trainings.Enrolments(r.Context(), sess.ID, actor); err != nil {
			s.fail(w, r, err)
			return
		}
		v.Sessions = append(v.Sessions, sv)
	}
	s.render(w, r, status, "training", s.page(r, t.Title, v))
}

func (s *Server) trainingPage(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showTraining(w, r, http.StatusOK, id, nil, 0)
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	actor := httpkit.ActorOf(r)
	sess, err := s.deps.Trainings.Session(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := formOf(r, "name", "email", "organisation")
	in := training.EnrolInput{Name: f.Value("name"), Email: f.Value("email"), OrganisationID: int64(atoiOr(f.Value("organisation"), 0))}
	_, err = s.deps.Trainings.Enrol(r.Context(), id, in, actor)
	if err == training.ErrAlreadyEnrolled {
		f.Add("email", "cette personne est déjà inscrite à cette session")
		s.showTraining(w, r, http.StatusConflict, sess.TrainingID, f, id)
		return
	}
	if err == nil {
		s.wakeMail()
	}
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showTraining(w, r, status, sess.TrainingID, f, id)
	}, fmt.Sprintf("/formations/%d?ok=training-enrolled#session-%d", sess.TrainingID, id))
}

func (s *Server) cancelEnrolment(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.deps.Trainings.CancelEnrolment(r.Context(), id, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, fmt.Sprintf("/formations/%d?ok=training-cancelled", atoiOr(r.PostFormValue("training"), 0)))
}
