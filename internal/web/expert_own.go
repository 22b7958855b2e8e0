package web

import (
	"errors"
	"net/http"

	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/store"
)

// CVUploadLimit bounds the body of the CV upload: the CV itself (at most
// expert.MaxCVSize) plus the form's envelope.
const CVUploadLimit = expert.MaxCVSize + 64<<10

// The expert's own profile: /mon-profil and its forms. The profile is
// always the one linked to the signed-in account (expert.ByUser): an expert
// never names a profile id, so cannot reach another one.

// ownExpert loads the signed-in expert's profile.
func (s *Server) ownExpert(w http.ResponseWriter, r *http.Request) (expert.Expert, bool) {
	e, err := s.deps.Experts.Mine(r.Context(), httpkit.ActorOf(r))
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, r, http.StatusNotFound, "error", s.page(r, "Aucun profil", errorPage{
			Message: "Aucun profil d’expert n’est lié à votre compte. Écrivez à la fédération pour qu’elle le rattache."}))
		return e, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return e, false
	}
	return e, true
}

func (s *Server) myProfile(w http.ResponseWriter, r *http.Request) {
	e, ok := s.ownExpert(w, r)
	if ok {
		s.showOwnProfile(w, r, http.StatusOK, e, s.identityForm(e.Profile))
	}
}

func (s *Server) showOwnProfile(w http.ResponseWriter, r *http.Request, status int, e expert.Expert, f *Form) {
	p, err := s.profileEditPage(r, e, f, false)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if e.HasCV {
		if cv, err := s.deps.Experts.CV(r.Context(), e.ID, httpkit.ActorOf(r)); err == nil {
			p.CV = &expert.CVInfo{Filename: cv.Filename, Size: cv.Size, UploadedAt: cv.UploadedAt}
		}
	}
	s.render(w, r, status, "expert_own", s.page(r, "Mon profil", p))
}

// saveOwn validates and saves p as the expert's profile, or shows the page
// again with the errors on f.
func (s *Server) saveOwn(w http.ResponseWriter, r *http.Request, e expert.Expert, p expert.Profile, f *Form, ok string) {
	shown := e
	shown.Profile = p
	if f.Failed() {
		s.showOwnProfile(w, r, http.StatusUnprocessableEntity, shown, f)
		return
	}
	_, err := s.deps.Experts.Update(r.Context(), e.ID, p, httpkit.VisitorOf(r).Actor())
	if failProfile(f, err) {
		s.showOwnProfile(w, r, http.StatusUnprocessableEntity, shown, f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/mon-profil?ok="+ok)
}

func (s *Server) saveMyProfile(w http.ResponseWriter, r *http.Request) {
	e, ok := s.ownExpert(w, r)
	if !ok {
		return
	}
	f := formOf(r, identityFields...)
	s.saveOwn(w, r, e, s.readIdentity(f, e.Profile, false), f, "profile-saved")
}

func (s *Server) saveMySkills(w http.ResponseWriter, r *http.Request) {
	e, ok := s.ownExpert(w, r)
	if !ok {
		return
	}
	cat, err := s.deps.Skills.Catalog(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := e.Profile
	p.Skills = readSkills(r, cat)
	s.saveOwn(w, r, e, p, s.identityForm(e.Profile), "skills-saved")
}

func (s *Server) saveMyZones(w http.ResponseWriter, r *http.Request) {
	e, ok := s.ownExpert(w, r)
	if !ok {
		return
	}
	p := e.Profile
	p.Zones = r.PostForm["zones"]
	if r.PostFormValue("national") != "" {
		p.Zones = append([]string{"national"}, p.Zones...)
	}
	s.saveOwn(w, r, e, p, s.identityForm(e.Profile), "zones-saved")
}

func (s *Server) addMyPeriod(w http.ResponseWriter, r *http.Request) {
	e, ok := s.ownExpert(w, r)
	if !ok {
		return
	}
	f := s.identityForm(e.Profile)
	for _, n := range []string{"period_start", "period_end", "period_days"} {
		f.Values[n] = r.PostFormValue(n)
	}
	start, ok1 := parseDate(f.Value("period_start"))
	end, ok2 := parseDate(f.Value("period_end"))
	if !ok1 || start.IsZero() {
		f.Add("period_start", "indiquez le premier jour de la période (AAAA-MM-JJ)")
	}
	if !ok2 || end.IsZero() {
		f.Add("period_end", "indiquez le dernier jour de la période (AAAA-MM-JJ)")
	}
	p := e.Profile
	p.Availability = append(append([]expert.Period(nil), p.Availability...),
		expert.Period{Start: start, End: end, DaysPerWeek: atoiOr(f.Value("period_days"), 0)})
	if f.Failed() {
		s.showOwnProfile(w, r, http.StatusUnprocessableEntity, e, f)
		return
	}
	s.saveOwn(w, r, e, p, f, "period-added")
}

func (s *Server) removeMyPeriod(w http.ResponseWriter, r *http.Request) {
	e, ok := s.ownExpert(w, r)
	if !ok {
		return
	}
	start, _ := parseDate(r.PostFormValue("start"))
	p := e.Profile
	p.Availability = nil
	for _, per := range e.Availability {
		if per.Start != start {
			p.Availability = append(p.Availability, per)
		}
	}
	s.saveOwn(w, r, e, p, s.identityForm(e.Profile), "period-removed")
}

func (s *Server) uploadMyCV(w http.ResponseWriter, r *http.Request) {
	e, ok := s.ownExpert(w, r)
	if !ok {
		return
	}
	f := s.identityForm(e.Profile)
	file, header, err := r.FormFile("cv")
	if err != nil {
		f.Add("cv", "choisissez un fichier PDF de 5 Mo au plus")
		s.showOwnProfile(w, r, http.StatusUnprocessableEntity, e, f)
		return
	}
	defer file.Close()
	err = s.deps.Experts.UploadCV(r.Context(), e.ID, header.Filename, file, httpkit.VisitorOf(r).Actor())
	if f.Fail(err) {
		s.showOwnProfile(w, r, http.StatusUnprocessableEntity, e, f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/mon-profil?ok=cv-saved")
}
