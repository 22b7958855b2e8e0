package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/httpkit"
	"vivier/internal/need"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// The public need form: a mayor describes what their commune needs, without
// an account, and gets a confirmation page and email.

// ConsentWording is the sentence the public need form asks the person to
// accept; the exact text is recorded with the need (audit log).
const ConsentWording = "J’accepte que la fédération enregistre mes coordonnées pour traiter ce besoin et me recontacter à son sujet. Elles sont conservées le temps du traitement du besoin et de la mission qui en découle."

// publicSkillLevel is the minimum level a skill ticked on the public form
// asks for: « pratique ». The coordinator refines the need when qualifying it.
const publicSkillLevel = skill.Pratique

// needFormOrder is the order of the public form's fields on the page, the
// order of its error summary.
var needFormOrder = []string{"title", "description", "commune", "requester", "skills", "kind", "start", "end", "days_per_week",
	"format", "max_daily_rate", "contact_name", "contact_role", "contact_email", "contact_phone", "consent"}

var needFormFields = []string{"title", "description", "commune", "commune_code", "kind", "start", "end", "days_per_week",
	"format", "max_daily_rate", "contact_name", "contact_role", "contact_email", "contact_phone", "consent", "requester"}

type needFormPage struct {
	Form     *Form
	Domains  []domainSkills
	Skills   map[string]bool // ticked
	Choices  []geo.Commune   // when the commune typed is ambiguous
	Consent  string
	Roles    []string
	Kinds    []need.Kind
	Formats  []need.Format
	Received *need.Need       // the stored need, once confirmed
	Pending  *need.Submission // the submission waiting for the email's link
	Confirm  *need.Submission // the submission whose link was opened
	Token    string           // its link's secret, for the form that confirms
}

func (s *Server) showNeedForm(w http.ResponseWriter, r *http.Request, status int, p needFormPage) {
	groups, _, err := s.skillGroups(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Domains, p.Consent = groups, ConsentWording
	p.Roles = []string{"Maire", "Adjoint ou adjointe au maire", "Président ou présidente d’EPCI", "DGS", "Secrétaire de mairie", "Chargé ou chargée de mission", "Autre"}
	p.Kinds, p.Formats = []need.Kind{need.Mission, need.Interim}, []need.Format{need.Onsite, need.Hybrid, need.Remote}
	if p.Skills == nil {
		p.Skills = map[string]bool{}
	}
	if p.Form == nil {
		p.Form = &Form{Values: map[string]string{"kind": "mission", "format": "onsite", "days_per_week": "2", "requester": "commune"}}
	}
	s.render(w, r, status, "need_form", s.page(r, "Déposer un besoin", p))
}

// needForm shows the public form; a signed-in requester finds their name,
// address and commune already filled in.
func (s *Server) needForm(w http.ResponseWriter, r *http.Request) {
	p := needFormPage{}
	if v := httpkit.VisitorOf(r); v.SignedIn() && v.User.Role == access.Requester {
		code, err := s.deps.Needs.FormDefaults(r.Context(), httpkit.ActorOf(r))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.Form = &Form{Values: map[string]string{"kind": "mission", "format": "onsite", "days_per_week": "2", "requester": "commune",
			"contact_name": v.User.Name, "contact_email": v.User.Email}}
		if code != "" {
			p.Form.Values["commune"] = s.places.communeChoice(code)
		}
	}
	s.showNeedForm(w, r, http.StatusOK, p)
}

func (s *Server) submitNeed(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, needFormFields...)
	ticked := map[string]bool{}
	p := needFormPage{Form: f, Skills: ticked}
	in := need.Input{Title: f.Value("title"), Description: f.Value("description"), Kind: need.Kind(f.Value("kind")),
		Format: need.Format(f.Value("format")), Requester: cmp.Or(f.Value("requester"), "commune"),
		Contact: &need.Contact{Name: f.Value("contact_name"), Role: f.Value("contact_role"), Email: f.Value("contact_email"), Phone: f.Value("contact_phone")}}
	for _, code := range r.PostForm["skills"] {
		if !ticked[code] {
			ticked[code] = true
			in.Skills = append(in.Skills, need.WantedSkill{Code: code, MinLevel: publicSkillLevel, Required: true})
		}
	}
	var errs valid.Errors
	code, choices, msg := s.places.resolveCommune(f.Value("commune_code"), f.Value("commune"))
	if msg != "" {
		errs.Add("commune", "%s", msg)
		p.Choices = choices
	} else {
		in.Commune = code
		f.Values["commune"] = s.places.communeChoice(code)
	}
	var ok bool
	if in.Start, ok = parseDate(f.Value("start")); !ok {
		errs.Add("start", "date de début illisible : choisissez-la dans le calendrier ou écrivez-la AAAA-MM-JJ")
	}
	if in.End, ok = parseDate(f.Value("end")); !ok {
		errs.Add("end", "date de fin illisible : choisissez-la dans le calendrier ou écrivez-la AAAA-MM-JJ")
	}
	in.DaysPerWeek = atoiOr(f.Value("days_per_week"), 0)
	if v := f.Value("max_daily_rate"); v != "" {
		n := atoiOr(v, -1)
		in.MaxDailyRate = &n
	}
	if f.Value("consent") == "" {
		errs.Add("consent", "cochez la case pour que la fédération puisse traiter votre demande")
	}
	// Validate everything at once, so the person sees every error, in the
	// order of the form's fields.
	err := s.deps.Needs.CheckSubmission(r.Context(), in)
	if list, isList := valid.As(err); isList {
		for _, e := range list {
			if field := needFormField(e.Field); !errs.Has(field) {
				errs.Add(field, "%s", e.Message)
			}
		}
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(errs) > 0 {
		f.Errors = inFieldOrder(errs, needFormOrder)
		s.showNeedForm(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	in.ConsentWording = ConsentWording
	_, err = s.deps.Needs.Submit(r.Context(), in, httpkit.VisitorOf(r).Actor())
	if list, isList := valid.As(err); isList {
		for _, e := range list {
			f.Add(needFormField(e.Field), e.Message)
		}
		s.showNeedForm(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if access.CodeOf(err) == access.TooMany {
		f.Add("contact_email", access.MessageOf(err, ""))
		s.showNeedForm(w, r, http.StatusTooManyRequests, p)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, "/besoins/envoye")
}

// needSent tells, after the public form, that a confirmation link is on
// its way. It names neither the address nor the commune: the page is
// reached by a redirect (reloading it sends nothing again), and its URL
// carries nothing a stranger could read back.
func (s *Server) needSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "need_received", s.page(r, "Confirmez votre adresse", needFormPage{Pending: &need.Submission{}}))
}

// needConfirmPage asks for a click before confirming a submission: mail
// scanners that open every link must not confirm a need for the person.
func (s *Server) needConfirmPage(w http.ResponseWriter, r *http.Request) {
	sub, err := s.deps.Needs.Submission(r.Context(), r.PathValue("token"))
	if errors.Is(err, need.ErrSubmissionLink) {
		// A link already used shows the need it created.
		if n, err := s.deps.Needs.Receipt(r.Context(), r.PathValue("token")); err == nil {
			s.render(w, r, http.StatusOK, "need_received", s.page(r, "Besoin reçu", needFormPage{Received: &n}))
			return
		}
		s.submissionLinkRefused(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "need_received", s.page(r, "Confirmer votre besoin", needFormPage{Confirm: &sub, Token: r.PathValue("token")}))
}

// confirmNeed puts a confirmed submission in the coordinators' queue.
func (s *Server) confirmNeed(w http.ResponseWriter, r *http.Request) {
	_, err := s.deps.Needs.Confirm(r.Context(), r.PathValue("token"), httpkit.ActorOf(r))
	if errors.Is(err, need.ErrSubmissionLink) {
		s.submissionLinkRefused(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, "/confirmer-besoin/"+r.PathValue("token"))
}

func (s *Server) submissionLinkRefused(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusGone, "error", s.page(r, "Lien expiré", errorPage{
		Message: "Ce lien de confirmation n’est plus valable : il a déjà servi, ou sept jours ont passé. Déposez de nouveau votre besoin."}))
}

// inFieldOrder returns errs sorted by the place of their field in order;
// fields it does not name come last, in their order.
func inFieldOrder(errs valid.Errors, order []string) valid.Errors {
	out := slices.Clone(errs)
	slices.SortStableFunc(out, func(a, b valid.FieldError) int {
		return cmp.Compare(fieldRank(order, a.Field), fieldRank(order, b.Field))
	})
	return out
}

func fieldRank(order []string, field string) int {
	if i := slices.Index(order, field); i >= 0 {
		return i
	}
	return len(order)
}

// needFormField maps a field of package need to the public form's:
// "contact.email" → "contact_email", "skills[0].code" → "skills".
func needFormField(f string) string {
	if strings.HasPrefix(f, "skills") {
		return "skills"
	}
	return strings.ReplaceAll(f, ".", "_")
}

// communeHit is one answer of the commune search.
type communeHit struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Departement string   `json:"departement"`
	PostalCodes []string `json:"postal_codes"`
	Population  int      `json:"population"`
	Label       string   `json:"label"` // the value the form's picker puts in the field
}

// searchCommunes answers the commune picker of the public form:
// GET /communes/recherche?q=ambérieu → at most 10 communes, JSON.
func (s *Server) searchCommunes(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	hits := []communeHit{}
	if len([]rune(q)) >= 2 {
		for _, c := range s.places.searchCommunes(q, 10) {
			hits = append(hits, communeHit{Code: c.Code, Name: c.Name, Departement: c.DepartementCode,
				PostalCodes: c.PostalCodes, Population: c.Population, Label: s.places.communeChoice(c.Code)})
		}
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"communes": hits})
}
