package web

import (
	"html/template"
	"net/http"
	"strconv"

	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/markdown"
	"vivier/internal/publication"
	"vivier/internal/representation"
	"vivier/internal/skill"
)

// The representation pages: the acts of a year with their figures (the
// very figures the activity report shows), an act's page with its
// delegation, people and documents, and the staff's form.

type representationListPage struct {
	Year    int
	Figures representation.Figures
	Acts    []representation.Act
}

// ThemeLabels names skill domains.
func (representationListPage) ThemeLabels(list []string) string {
	return representation.DomainLabels(list)
}

func (s *Server) representationPage(w http.ResponseWriter, r *http.Request) {
	y, ok := yearOf(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	from, to := date.Date{Year: y, Month: 1, Day: 1}, date.Date{Year: y, Month: 12, Day: 31}
	actor := httpkit.ActorOf(r)
	fig, err := s.deps.Representation.Figures(r.Context(), from, to, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts, err := s.deps.Representation.List(r.Context(), representation.Filter{From: from, To: to}, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "representation", s.page(r, "Représentation", representationListPage{Year: y, Figures: fig, Acts: acts}))
}

type actPage struct {
	Act      representation.Act
	Summary  template.HTML
	Agencies []representation.Delegate // to add by hand
	Form     *Form
}

// ThemeLabels names skill domains.
func (actPage) ThemeLabels(list []string) string { return representation.DomainLabels(list) }

func (s *Server) showAct(w http.ResponseWriter, r *http.Request) {
	s.renderAct(w, r, http.StatusOK, &Form{Values: map[string]string{}})
}

func (s *Server) renderAct(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	a, ok := recordOf(s, w, r, s.deps.Representation.Get)
	if !ok {
		return
	}
	summary, err := markdown.Render(a.Summary)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	agencies, err := s.deps.Representation.AgencyChoices(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "representation_act", s.page(r, a.Kind.Label()+" : "+a.Body, actPage{Act: a, Summary: summary, Agencies: agencies, Form: f}))
}

// actForm is the staff's form of an act.
type actForm struct {
	ID           int64
	Form         *Form
	Kinds        []representation.Kind
	BodyKinds    []representation.BodyKind
	Themes       []skill.Domain
	Chosen       map[string]bool
	Publications []publication.Publication // the notes a note may link to
}

var actFields = []string{"kind", "body", "body_kind", "held_on", "topic", "summary", "publication_id"}

func (s *Server) newAct(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string]string{"kind": string(representation.Hearing), "held_on": date.Today().String()}}
	s.renderActForm(w, r, http.StatusOK, 0, f, map[string]bool{})
}

func (s *Server) editAct(w http.ResponseWriter, r *http.Request) {
	a, ok := recordOf(s, w, r, s.deps.Representation.Get)
	if !ok {
		return
	}
	f := &Form{Values: map[string]string{"kind": string(a.Kind), "body": a.Body, "body_kind": string(a.BodyKind), "held_on": a.HeldOn.String(),
		"topic": a.Topic, "summary": a.Summary}}
	if a.PublicationID != 0 {
		f.Values["publication_id"] = strconv.FormatInt(a.PublicationID, 10)
	}
	chosen := map[string]bool{}
	for _, d := range a.Domains {
		chosen[d] = true
	}
	s.renderActForm(w, r, http.StatusOK, a.ID, f, chosen)
}

func (s *Server) renderActForm(w http.ResponseWriter, r *http.Request, status int, id int64, f *Form, chosen map[string]bool) {
	notes, err := s.deps.Publications.List(r.Context(), publication.Filter{Kind: publication.Note, PageSize: publication.MaxPageSize}, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Nouvel acte de représentation"
	if id != 0 {
		title = "Modifier l’acte de représentation"
	}
	s.render(w, r, status, "representation_form", s.page(r, title, actForm{ID: id, Form: f, Kinds: representation.Kinds(),
		BodyKinds: representation.BodyKinds(), Themes: skill.Domains, Chosen: chosen, Publications: notes.Publications}))
}

func readAct(r *http.Request) (representation.Input, *Form, map[string]bool) {
	f := formOf(r, actFields...)
	in := representation.Input{Kind: representation.Kind(f.Value("kind")), Body: f.Value("body"), BodyKind: representation.BodyKind(f.Value("body_kind")),
		Topic: f.Value("topic"), Summary: f.Value("summary"), Domains: r.PostForm["domains"]}
	chosen := map[string]bool{}
	for _, d := range in.Domains {
		chosen[d] = true
	}
	if d, ok := parseDate(f.Value("held_on")); ok {
		in.HeldOn = d
	} else {
		f.Add("held_on", "date invalide : AAAA-MM-JJ")
	}
	if v := f.Value("publication_id"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.PublicationID = n
		} else {
			f.Add("publication_id", "publication inconnue")
		}
	}
	return in, f, chosen
}

func (s *Server) createAct(w http.ResponseWriter, r *http.Request) {
	in, f, chosen := readAct(r)
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderActForm(w, r, status, 0, f, chosen)
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	a, err := s.deps.Representation.Create(r.Context(), in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, "/representation/"+strconv.FormatInt(a.ID, 10)+"?ok=act-saved")
}

func (s *Server) updateAct(w http.ResponseWriter, r *http.Request) {
	a, ok := recordOf(s, w, r, s.deps.Representation.Get)
	if !ok {
		return
	}
	in, f, chosen := readAct(r)
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderActForm(w, r, status, a.ID, f, chosen)
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err := s.deps.Representation.Update(r.Context(), a.ID, in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, "/representation/"+strconv.FormatInt(a.ID, 10)+"?ok=act-saved")
}
