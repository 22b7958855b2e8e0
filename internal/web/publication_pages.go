package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/markdown"
	"vivier/internal/publication"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// The publications' library: the public list with its French search and
// filters, a publication's page, its download (counted), and the staff's
// form.

type publicationListPage struct {
	Query  url.Values
	Result publication.List
	Paging pageLink
	Form   *Form
	Kinds  []publication.Kind
	Themes []skill.Domain
	Staff  bool
}

func (s *Server) listPublications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := publication.Filter{Text: strings.TrimSpace(q.Get("q")), Kind: publication.Kind(q.Get("type")), Theme: q.Get("theme"),
		Year: atoiOr(q.Get("annee"), 0), Page: max(atoiOr(q.Get("page"), 1), 1)}
	if v := q.Get("annee"); v != "" && f.Year == 0 {
		f.Year = -1 // refused below, named
	}
	form := &Form{Values: map[string]string{}}
	status := http.StatusOK
	actor := httpkit.ActorOf(r)
	res, err := s.deps.Publications.List(r.Context(), f, actor)
	if list, ok := valid.As(err); ok {
		for _, e := range list {
			form.Add(map[string]string{"kind": "type", "theme": "theme", "year": "annee", "q": "q", "page": "page"}[e.Field], e.Message)
		}
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "page" && len(v) > 0 && v[0] != "" {
			rest[k] = v
		}
	}
	s.render(w, r, status, "publications", s.page(r, "Publications", publicationListPage{Query: q, Result: res, Form: form,
		Kinds: publication.Kinds(), Themes: skill.Domains, Staff: actor.Staff(),
		Paging: pageLink{Query: rest.Encode(), Page: res.Page, Pages: pages(res.Total, res.PageSize)}}))
}

type publicationPage struct {
	Publication publication.Publication
	Summary     template.HTML
	Staff       bool
}

// ThemeLabel names a skill domain.
func (publicationPage) ThemeLabel(code string) string { return themeLabel(code) }

func themeLabel(code string) string {
	if d, ok := skill.DomainOf(code); ok {
		return d.Label
	}
	return code
}

func (s *Server) showPublication(w http.ResponseWriter, r *http.Request) {
	p, ok := recordOf(s, w, r, s.deps.Publications.Get)
	if !ok {
		return
	}
	summary, err := markdown.Render(p.Summary)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "publication", s.page(r, p.Title, publicationPage{Publication: p, Summary: summary, Staff: httpkit.ActorOf(r).Staff()}))
}

// downloadPublication hands out the file (as an attachment: it was
// uploaded by a person) or follows the link, and counts the download; a
// failure to count is logged, never shown.
func (s *Server) downloadPublication(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.deps.Publications.Download(r.Context(), id, r.UserAgent(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.CountErr != nil {
		s.deps.Logger.Warn("download not counted", "publication", id, "request_id", httpkit.RequestID(r), "err", d.CountErr)
	}
	if d.Content == nil {
		http.Redirect(w, r, d.Link, http.StatusFound)
		return
	}
	name := d.Publication.FileName
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="publication-`+strconv.FormatInt(id, 10)+`.pdf"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(d.Content)))
	_, _ = w.Write(d.Content)
}

// publicationForm is the staff's form of a publication.
type publicationForm struct {
	ID       int64 // 0 for a new one
	HasFile  string
	Form     *Form
	Kinds    []publication.Kind
	Themes   []skill.Domain
	Chosen   map[string]bool // themes and co-authors ticked, by value
	Authors  []publication.Author
	Audience []publication.Audience
}

var publicationFields = []string{"title", "kind", "summary", "published_on", "audience", "link"}

func (s *Server) newPublication(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string]string{"audience": string(publication.Public), "published_on": date.Today().String()}}
	s.renderPublicationForm(w, r, http.StatusOK, 0, "", f, map[string]bool{})
}

func (s *Server) editPublication(w http.ResponseWriter, r *http.Request) {
	p, ok := recordOf(s, w, r, s.deps.Publications.Get)
	if !ok {
		return
	}
	f := &Form{Values: map[string]string{"title": p.Title, "kind": string(p.Kind), "summary": p.Summary, "published_on": p.PublishedOn.String(),
		"audience": string(p.Audience), "link": p.Link}}
	chosen := map[string]bool{}
	for _, t := range p.Themes {
		chosen[t] = true
	}
	for _, a := range p.CoAuthors {
		chosen[strconv.FormatInt(a.ID, 10)] = true
	}
	s.renderPublicationForm(w, r, http.StatusOK, p.ID, p.FileName, f, chosen)
}

func (s *Server) renderPublicationForm(w http.ResponseWriter, r *http.Request, status int, id int64, file string, f *Form, chosen map[string]bool) {
	authors, err := s.deps.Publications.AuthorChoices(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Nouvelle publication"
	if id != 0 {
		title = "Modifier la publication"
	}
	s.render(w, r, status, "publication_form", s.page(r, title, publicationForm{ID: id, HasFile: file, Form: f, Kinds: publication.Kinds(),
		Themes: skill.Domains, Chosen: chosen, Authors: authors, Audience: []publication.Audience{publication.Public, publication.Members}}))
}

// readPublicationForm reads the form and its file (nil when none was
// chosen); a file that cannot be read is an error of the form.
func (s *Server) readPublicationForm(r *http.Request) (publication.Input, *publication.Upload, *Form, map[string]bool) {
	f := formOf(r, publicationFields...)
	chosen := map[string]bool{}
	in := publication.Input{Title: f.Value("title"), Kind: publication.Kind(f.Value("kind")), Summary: f.Value("summary"),
		Audience: publication.Audience(f.Value("audience")), Link: f.Value("link"), Themes: r.PostForm["themes"]}
	for _, t := range in.Themes {
		chosen[t] = true
	}
	for _, v := range r.PostForm["co_authors"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.Add("co_authors", "co-auteur inconnu : cochez des personnes de la liste")
			continue
		}
		in.CoAuthors = append(in.CoAuthors, n)
		chosen[v] = true
	}
	if d, ok := parseDate(f.Value("published_on")); ok {
		in.PublishedOn = d
	} else {
		f.Add("published_on", "date invalide : AAAA-MM-JJ")
	}
	var up *publication.Upload
	file, head, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		f.Add("file", "le fichier dépasse 20 Mo")
	case errors.Is(err, http.ErrMissingFile):
	case err != nil:
		f.Add("file", "le fichier n’a pas pu être lu : déposez-le de nouveau")
	default:
		defer file.Close()
		content, err := io.ReadAll(io.LimitReader(file, publication.MaxFileSize+1))
		if err != nil {
			f.Add("file", "le fichier n’a pas pu être lu : déposez-le de nouveau")
		} else if len(content) > 0 || head.Filename != "" {
			up = &publication.Upload{Name: head.Filename, Content: content}
		}
	}
	return in, up, f, chosen
}

func (s *Server) createPublication(w http.ResponseWriter, r *http.Request) {
	in, up, f, chosen := s.readPublicationForm(r)
	if f.Failed() {
		s.renderPublicationForm(w, r, http.StatusUnprocessableEntity, 0, "", f, chosen)
		return
	}
	p, err := s.deps.Publications.Create(r.Context(), in, up, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderPublicationForm(w, r, status, 0, "", f, chosen)
	}, "/publications/"+strconv.FormatInt(p.ID, 10)+"?ok=publication-saved")
}

func (s *Server) updatePublication(w http.ResponseWriter, r *http.Request) {
	old, ok := recordOf(s, w, r, s.deps.Publications.Get)
	if !ok {
		return
	}
	in, up, f, chosen := s.readPublicationForm(r)
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderPublicationForm(w, r, status, old.ID, old.FileName, f, chosen)
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err := s.deps.Publications.Update(r.Context(), old.ID, in, up, r.PostFormValue("remove_file") == "oui", httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, "/publications/"+strconv.FormatInt(old.ID, 10)+"?ok=publication-saved")
}

// ThemeLabel names a skill domain.
func (publicationListPage) ThemeLabel(code string) string { return themeLabel(code) }
