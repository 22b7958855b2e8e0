package web

import (
	"net/http"

	"vivier/internal/httpkit"
)

// The skill taxonomy page (coordinators): the skills by domain, adding one,
// renaming a label. Codes never change: files, the API and matching rely
// on them.

type skillsPage struct {
	Domains []domainSkills
	Add     *Form // the add form, as typed when refused
	// Renaming is the code whose rename was refused, Rename its form.
	Renaming string
	Rename   *Form
}

func (s *Server) skillsPage(w http.ResponseWriter, r *http.Request) {
	s.renderSkills(w, r, http.StatusOK, skillsPage{Add: &Form{}, Rename: &Form{}})
}

func (s *Server) renderSkills(w http.ResponseWriter, r *http.Request, status int, p skillsPage) {
	groups, _, err := s.skillGroups(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Domains = groups
	s.render(w, r, status, "skills", s.page(r, "Compétences", p))
}

// addSkill creates the skill domain.name with its label.
func (s *Server) addSkill(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "domain", "name", "label")
	_, err := s.deps.Skills.Add(r.Context(), f.Value("domain")+"."+f.Value("name"), f.Value("label"), httpkit.ActorOf(r))
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		for i := range f.Errors { // the code is typed as its name after the domain
			if f.Errors[i].Field == "code" {
				f.Errors[i].Field = "name"
			}
		}
		s.renderSkills(w, r, http.StatusUnprocessableEntity, skillsPage{Add: f, Rename: &Form{}})
		return
	}
	redirect(w, r, "/competences?ok=skill-added")
}

// renameSkill changes the label of the skill {code}; the search documents
// of its experts and needs follow in the same transaction.
func (s *Server) renameSkill(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	f := formOf(r, "label")
	err := s.deps.Skills.Rename(r.Context(), code, f.Value("label"), httpkit.ActorOf(r))
	showAgain := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderSkills(w, r, status, skillsPage{Add: &Form{}, Renaming: code, Rename: f})
	}
	s.answerForm(w, r, f, err, showAgain, "/competences?ok=skill-renamed#skill-"+code)
}
