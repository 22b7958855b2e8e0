package web

import (
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// Editing a profile: the coordinators' edit page (/experts/{id}/modifier)
// and the expert's own editor (/mon-profil) read the same fields.

var identityFields = []string{"reference", "first_name", "last_name", "email", "phone", "employment", "employer_siren",
	"commune", "bio", "daily_rate", "experience_years", "languages"}

// identityForm shows a profile's identity fields as a form.
func (s *Server) identityForm(p expert.Profile) *Form {
	f := &Form{Values: map[string]string{
		"reference": p.Reference, "first_name": p.FirstName, "last_name": p.LastName, "email": p.Email, "phone": p.Phone,
		"employment": string(p.Employment), "employer_siren": p.EmployerSIREN, "commune": s.places.communeChoice(p.Commune),
		"bio": p.Bio, "languages": strings.Join(p.Languages, ", "),
	}}
	if p.Commune == "" {
		f.Values["commune"] = ""
	}
	if p.DailyRate != nil {
		f.Values["daily_rate"] = strconv.Itoa(*p.DailyRate)
	}
	if p.ExperienceYears != nil {
		f.Values["experience_years"] = strconv.Itoa(*p.ExperienceYears)
	}
	return f
}

// readIdentity applies the identity fields of f to p; a field that cannot
// be read is an error on the form.
func (s *Server) readIdentity(f *Form, p expert.Profile, staff bool) expert.Profile {
	if staff {
		p.Reference = f.Value("reference")
	}
	p.FirstName, p.LastName, p.Email, p.Phone = f.Value("first_name"), f.Value("last_name"), f.Value("email"), f.Value("phone")
	p.Employment, p.EmployerSIREN, p.Bio = expert.Employment(f.Value("employment")), f.Value("employer_siren"), f.Value("bio")
	p.Commune = ""
	if f.Value("commune") != "" {
		code, _, msg := s.places.resolveCommune("", f.Value("commune"))
		if msg != "" {
			f.Add("commune", msg)
		}
		p.Commune = code
	}
	p.DailyRate, p.ExperienceYears = optionalInt(f, "daily_rate"), optionalInt(f, "experience_years")
	p.Languages = nil
	for _, l := range strings.FieldsFunc(f.Value("languages"), func(r rune) bool { return r == ',' || r == ' ' || r == '|' }) {
		p.Languages = append(p.Languages, l)
	}
	return p
}

func optionalInt(f *Form, name string) *int {
	v := f.Value(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.Add(name, "écrivez un nombre entier, sans espace ni symbole")
		return nil
	}
	return &n
}

// readSkills reads the level select of every skill ("level.CODE", 0 for
// none).
func readSkills(r *http.Request, cat *skill.Catalog) []expert.SkillLevel {
	var out []expert.SkillLevel
	for _, k := range cat.All() {
		if n := atoiOr(r.PostFormValue("level."+k.Code), 0); n != 0 {
			out = append(out, expert.SkillLevel{Code: k.Code, Level: skill.Level(n)})
		}
	}
	return out
}

// profileField maps a field of package expert to the form's.
func profileField(f string) string {
	for _, prefix := range []string{"skills", "zones", "availability", "languages"} {
		if strings.HasPrefix(f, prefix+"[") {
			return prefix
		}
	}
	return f
}

// failProfile puts the validation errors of err on f; false when err is
// not one.
func failProfile(f *Form, err error) bool {
	list, ok := valid.As(err)
	for _, e := range list {
		f.Add(profileField(e.Field), e.Message)
	}
	return ok
}

type profileEditPage struct {
	Expert  expert.Expert
	Form    *Form
	Domains []domainSkills
	Regions []regionDeps
	Levels  []skill.Level
	Jobs    []expert.Employment
	Levelof map[string]skill.Level
	ZoneSet map[string]bool
	Staff   bool
	// Own page only: the calendar and the CV.
	CV *expert.CVInfo
}

func (s *Server) profileEditPage(r *http.Request, e expert.Expert, f *Form, staff bool) (profileEditPage, error) {
	groups, _, err := s.skillGroups(r)
	if err != nil {
		return profileEditPage{}, err
	}
	p := profileEditPage{Expert: e, Form: f, Domains: groups, Regions: s.places.regions, Levels: skill.Levels(),
		Jobs: expert.Employments(), Levelof: map[string]skill.Level{}, ZoneSet: map[string]bool{}, Staff: staff}
	for _, sk := range e.Skills {
		p.Levelof[sk.Code] = sk.Level
	}
	for _, z := range e.Zones {
		p.ZoneSet[z] = true
	}
	return p, nil
}

func (s *Server) editExpertForm(w http.ResponseWriter, r *http.Request) {
	e, ok := s.expertOfPath(w, r)
	if !ok {
		return
	}
	s.showExpertEdit(w, r, http.StatusOK, e, s.identityForm(e.Profile))
}

func (s *Server) showExpertEdit(w http.ResponseWriter, r *http.Request, status int, e expert.Expert, f *Form) {
	p, err := s.profileEditPage(r, e, f, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "expert_edit", s.page(r, "Modifier "+e.Name(), p))
}

// editExpert saves the coordinators' edit form: identity, skills and zones
// (availability is the expert's to keep).
func (s *Server) editExpert(w http.ResponseWriter, r *http.Request) {
	e, ok := s.expertOfPath(w, r)
	if !ok {
		return
	}
	cat, err := s.deps.Skills.Catalog(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := formOf(r, identityFields...)
	p := s.readIdentity(f, e.Profile, true)
	p.Skills, p.Zones = readSkills(r, cat), r.PostForm["zones"]
	shown := e
	shown.Profile = p
	if f.Failed() {
		s.showExpertEdit(w, r, http.StatusUnprocessableEntity, shown, f)
		return
	}
	_, err = s.deps.Experts.Update(r.Context(), e.ID, p, httpkit.VisitorOf(r).Actor())
	if failProfile(f, err) {
		s.showExpertEdit(w, r, http.StatusUnprocessableEntity, shown, f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/experts/"+strconv.FormatInt(e.ID, 10)+"?ok=expert-saved")
}
