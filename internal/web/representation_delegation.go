package web

import (
	"net/http"
	"net/url"
	"strconv"

	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/representation"
	"vivier/internal/store"
)

// The delegation of a hearing: the helper's proposal (agencies ranked by
// their experience of the themes, picked for territorial spread, each
// explained), the choice of the agencies proposed or of others by hand, the
// people who took part and the documents.

// DefaultDelegation is the size the helper proposes first.
const DefaultDelegation = 4

type helperPage struct {
	Act      representation.Act
	Size     int
	Proposal representation.Proposal
	Form     *Form
}

// Percent writes a component's value as a share.
func (helperPage) Percent(v float64) string { return fr.Percent(v) }

// Score writes a score with two decimals.
func (helperPage) Score(v float64) string { return fr.Decimal(v, 2) }

// ThemeLabels names skill domains.
func (helperPage) ThemeLabels(list []string) string { return representation.DomainLabels(list) }

func (s *Server) delegationHelper(w http.ResponseWriter, r *http.Request) {
	size := atoiOr(r.URL.Query().Get("taille"), DefaultDelegation)
	s.renderHelper(w, r, http.StatusOK, size, &Form{Values: map[string]string{"taille": strconv.Itoa(size)}})
}

func (s *Server) renderHelper(w http.ResponseWriter, r *http.Request, status, size int, f *Form) {
	a, ok := recordOf(s, w, r, s.deps.Representation.Get)
	if !ok {
		return
	}
	p, err := s.deps.Representation.ProposeFor(r.Context(), a.ID, size, httpkit.ActorOf(r))
	if f.Fail(err) {
		status = http.StatusUnprocessableEntity
		if size != DefaultDelegation {
			p, err = s.deps.Representation.ProposeFor(r.Context(), a.ID, DefaultDelegation, httpkit.ActorOf(r))
		}
	}
	if err != nil && !f.Fail(err) {
		s.fail(w, r, err)
		return
	}
	for i := range f.Errors {
		if f.Errors[i].Field == "size" {
			f.Errors[i].Field = "taille"
		}
	}
	s.render(w, r, status, "representation_helper", s.page(r, "Proposer une délégation", helperPage{Act: a, Size: size, Proposal: p, Form: f}))
}

// chooseDelegation adds the agencies ticked on the helper's page. The
// proposal is computed again, so that each agency keeps the reason the
// helper gives now; an agency ticked among the other candidates keeps its
// score as reason.
func (s *Server) chooseDelegation(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	size := atoiOr(r.PostFormValue("taille"), DefaultDelegation)
	actor := httpkit.ActorOf(r)
	p, err := s.deps.Representation.ProposeFor(r.Context(), id, size, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reasons := map[string]string{}
	for _, pk := range p.Picks {
		reasons[strconv.FormatInt(pk.ID, 10)] = pk.Reason
	}
	for _, c := range p.Others {
		reasons[strconv.FormatInt(c.ID, 10)] = "Ajoutée parmi les autres candidates, score " + fr.Decimal(c.Score, 2) + "."
	}
	var chosen []representation.Delegate
	for _, v := range r.PostForm["agence"] {
		n, err := strconv.ParseInt(v, 10, 64)
		reason, proposed := reasons[v]
		if err != nil || !proposed {
			continue // an agency the helper does not propose any more (already in, or gone)
		}
		chosen = append(chosen, representation.Delegate{ID: n, Reason: reason})
	}
	f := &Form{Values: map[string]string{"taille": strconv.Itoa(size)}}
	if len(chosen) == 0 {
		f.Add("agence", "cochez au moins une agence")
		s.renderHelper(w, r, http.StatusUnprocessableEntity, size, f)
		return
	}
	err = s.deps.Representation.AddAgencies(r.Context(), id, chosen, actor)
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderHelper(w, r, status, size, f)
	}, "/representation/"+strconv.FormatInt(id, 10)+"?ok=delegation")
}

// actAction runs an action on the act of the path with the form's fields,
// showing the act's page again with the errors, or redirecting with flash.
func (s *Server) actAction(flash string, fields []string, do func(r *http.Request, id int64, f *Form) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := httpkit.PathID(r, "id")
		if !ok {
			s.notFound(w, r)
			return
		}
		f := formOf(r, fields...)
		err := do(r, id, f)
		if err == nil && f.Failed() {
			s.renderAct(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.answerForm(w, r, f, err, s.renderAct, "/representation/"+strconv.FormatInt(id, 10)+"?ok="+flash)
	}
}

func (s *Server) addAgency(w http.ResponseWriter, r *http.Request) {
	s.actAction("delegation", []string{"agency"}, func(r *http.Request, id int64, f *Form) error {
		n, err := strconv.ParseInt(f.Value("agency"), 10, 64)
		if err != nil {
			f.Add("agency", "choisissez une agence")
			return nil
		}
		return s.deps.Representation.AddAgencies(r.Context(), id, []representation.Delegate{{ID: n}}, httpkit.ActorOf(r))
	})(w, r)
}

func (s *Server) removeAgency(w http.ResponseWriter, r *http.Request) {
	s.actAction("delegation", nil, func(r *http.Request, id int64, f *Form) error {
		org, ok := httpkit.PathID(r, "org")
		if !ok {
			return store.NotFound("path")
		}
		return s.deps.Representation.RemoveAgency(r.Context(), id, org, httpkit.ActorOf(r))
	})(w, r)
}

func (s *Server) addPerson(w http.ResponseWriter, r *http.Request) {
	s.actAction("person", []string{"name", "role", "organisation_id"}, func(r *http.Request, id int64, f *Form) error {
		p := representation.Person{Name: f.Value("name"), Role: f.Value("role")}
		if v := f.Value("organisation_id"); v != "" {
			p.OrganisationID, _ = strconv.ParseInt(v, 10, 64)
		}
		return s.deps.Representation.AddPerson(r.Context(), id, p, httpkit.ActorOf(r))
	})(w, r)
}

func (s *Server) removePerson(w http.ResponseWriter, r *http.Request) {
	s.actAction("person", nil, func(r *http.Request, id int64, f *Form) error {
		person, ok := httpkit.PathID(r, "person")
		if !ok {
			return store.NotFound("path")
		}
		return s.deps.Representation.RemovePerson(r.Context(), id, person, httpkit.ActorOf(r))
	})(w, r)
}

func (s *Server) uploadActDocument(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	data, name, ok := s.uploadedFile(w, r, representation.MaxDocumentSize, func(status int, f *Form) { s.renderAct(w, r, status, f) })
	if !ok {
		return
	}
	err := s.deps.Representation.AddDocument(r.Context(), id, name, data, httpkit.ActorOf(r))
	f := &Form{Values: map[string]string{}}
	s.answerForm(w, r, f, err, s.renderAct, "/representation/"+strconv.FormatInt(id, 10)+"?ok=document")
}

// downloadActDocument serves a document as an attachment.
func (s *Server) downloadActDocument(w http.ResponseWriter, r *http.Request) {
	id, ok1 := httpkit.PathID(r, "id")
	docID, ok2 := httpkit.PathID(r, "doc")
	if !ok1 || !ok2 {
		s.notFound(w, r)
		return
	}
	d, content, err := s.deps.Representation.DocumentFile(r.Context(), id, docID, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="document-`+strconv.FormatInt(d.ID, 10)+`.pdf"; filename*=UTF-8''`+url.PathEscape(d.Filename))
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	_, _ = w.Write(content)
}
