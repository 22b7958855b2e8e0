package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/fr"

	"vivier/internal/httpkit"
	"vivier/internal/newsletter"
)

// listsPage is staff's page of the lists and the suppression list.
type listsPage struct {
	Lists        []newsletter.List
	Suppressions []newsletter.Suppression
	Form         *Form
}

func (s *Server) adminLists(w http.ResponseWriter, r *http.Request) {
	s.showLists(w, r, http.StatusOK, &Form{Values: map[string]string{"double_opt_in": "oui"}})
}

func (s *Server) showLists(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx, actor := r.Context(), httpkit.ActorOf(r)
	lists, err := s.deps.Newsletter.Lists(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sup, err := s.deps.Newsletter.Suppressions(ctx, 50, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "newsletter_lists", s.page(r, "Listes de diffusion", listsPage{Lists: lists, Suppressions: sup, Form: f}))
}

func (s *Server) createList(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "name", "description", "public", "double_opt_in")
	l, err := s.deps.Newsletter.CreateList(r.Context(), newsletter.ListInput{Name: f.Value("name"), Description: f.Value("description"),
		Public: f.Value("public") == "oui", DoubleOptIn: f.Value("double_opt_in") == "oui"}, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, s.showLists, fmt.Sprintf("/admin/lettres/%d?ok=liste-creee", l.ID))
}

// listPage is a list's page: its people, the import form and the export.
type listPage struct {
	List     newsletter.List
	People   []newsletter.Subscriber
	Bases    []newsletter.Basis
	Form     *Form
	Problems []newsletter.RowError
	Imported string // what the last import did, after its redirect
}

func (s *Server) adminList(w http.ResponseWriter, r *http.Request) {
	s.showList(w, r, http.StatusOK, &Form{Values: map[string]string{"basis": string(newsletter.Consent)}}, nil)
}

func (s *Server) showList(w http.ResponseWriter, r *http.Request, status int, f *Form, problems []newsletter.RowError) {
	l, ok := recordOf(s, w, r, s.deps.Newsletter.GetList)
	if !ok {
		return
	}
	people, err := s.deps.Newsletter.Subscribers(r.Context(), l.ID, 200, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := listPage{List: l, People: people, Bases: newsletter.Bases(), Form: f, Problems: problems}
	q := r.URL.Query()
	if added, err := strconv.Atoi(q.Get("ajoutes")); err == nil && added >= 0 {
		skipped, _ := strconv.Atoi(q.Get("ignores"))
		p.Imported = fr.Plural(added, "personne ajoutée", "personnes ajoutées") + ", " + fr.Plural(max(skipped, 0), "ignorée", "ignorées") +
			" (désabonnées, rejets définitifs, plaintes ou déjà inscrites)."
	}
	s.render(w, r, status, "newsletter_list", s.page(r, l.Name, p))
}

func (s *Server) importSubscribers(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := &Form{Values: map[string]string{"basis": r.FormValue("basis")}}
	file, _, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		f.Add("file", "le fichier dépasse 20 Mo : importez-le en ligne de commande (vivier import subscribers --list ID FICHIER)")
		s.showList(w, r, http.StatusRequestEntityTooLarge, f, nil)
		return
	case err != nil:
		f.Add("file", "choisissez un fichier CSV ou XLSX")
		s.showList(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	defer file.Close()
	basis, err := newsletter.ParseBasis(f.Value("basis"))
	if err != nil {
		f.Fail(err)
		s.showList(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	added, err := s.deps.Newsletter.Import(r.Context(), id, file, basis, httpkit.ActorOf(r))
	var ie *newsletter.ImportError
	switch {
	case errors.As(err, &ie):
		f.Add("file", "fichier refusé, rien n’a été importé : "+fr.Int(int64(len(ie.Errors)))+" erreur(s), listées ci-dessous")
		s.showList(w, r, http.StatusUnprocessableEntity, f, ie.Errors)
	case f.Fail(err):
		s.showList(w, r, http.StatusUnprocessableEntity, f, nil)
	case err != nil:
		s.fail(w, r, err)
	default:
		redirect(w, r, fmt.Sprintf("/admin/lettres/%d?ok=import-abonnes&ajoutes=%d&ignores=%d", id, added.Added, added.Skipped))
	}
}

func (s *Server) exportSubscribers(w http.ResponseWriter, r *http.Request) {
	l, ok := recordOf(s, w, r, s.deps.Newsletter.GetList)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := s.deps.Newsletter.Export(r.Context(), l.ID, &buf, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(l.Name))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="abonnes-%s.csv"`, name))
	buf.WriteTo(w)
}
