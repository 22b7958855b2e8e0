package web

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	charts "vivier/internal/chart"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/press"
)

// The press page: the figures of a year by scope and outlet (the very
// figures the activity report shows), the year's mentions, the form of a
// new one and the import of a file.

type pressPageData struct {
	Year     int
	Figures  press.Figures
	Chart    template.HTML
	Scopes   []press.Scope
	Agencies []press.Cited
	Chosen   map[string]bool
	Form     *Form
	Errors   []press.RowError // of a refused file
	Mention  *press.Mention   // the mention edited, nil on the year's page
}

// yearOf reads the year of the query ("annee"), this year by default;
// ok is false when it is not a year.
func yearOf(r *http.Request) (int, bool) {
	v := r.URL.Query().Get("annee")
	if v == "" {
		return date.Today().Year, true
	}
	y, err := strconv.Atoi(v)
	return y, err == nil && y >= 1990 && y <= 9999
}

func (s *Server) pressPage(w http.ResponseWriter, r *http.Request) {
	y, ok := yearOf(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	s.renderPress(w, r, http.StatusOK, y, &Form{Values: map[string]string{"published_on": date.Today().String()}}, map[string]bool{}, nil)
}

func (s *Server) renderPress(w http.ResponseWriter, r *http.Request, status, year int, f *Form, chosen map[string]bool, fileErrors []press.RowError) {
	from, to := date.Date{Year: year, Month: 1, Day: 1}, date.Date{Year: year, Month: 12, Day: 31}
	actor := httpkit.ActorOf(r)
	fig, err := s.deps.Press.Figures(r.Context(), from, to, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	agencies, err := s.deps.Press.AgencyChoices(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var bars []charts.Bar
	for _, c := range fig.ByScope {
		bars = append(bars, charts.Bar{Label: c.Label, Value: float64(c.Value)})
	}
	svg, err := charts.Bars("Retombées presse "+strconv.Itoa(year)+" par portée", scopeDesc(fig), bars).SVG("chart-press")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "press", s.page(r, "Retombées presse", pressPageData{Year: year, Figures: fig, Chart: svg, Scopes: press.Scopes(),
		Agencies: agencies, Chosen: chosen, Form: f, Errors: fileErrors}))
}

func scopeDesc(f press.Figures) string {
	var parts []string
	for _, c := range f.ByScope {
		parts = append(parts, c.Label+" : "+fr.Int(int64(c.Value)))
	}
	return strings.Join(parts, " ; ")
}

var mentionFields = []string{"outlet", "scope", "published_on", "title", "url", "topic", "experts"}

// readMention reads the form of a mention; the experts are typed by
// reference (« EXP-000123, EXP-000456 »).
func (s *Server) readMention(r *http.Request) (press.Input, *Form, map[string]bool) {
	f := formOf(r, mentionFields...)
	chosen := map[string]bool{}
	in := press.Input{Outlet: f.Value("outlet"), Scope: press.Scope(f.Value("scope")), Title: f.Value("title"), URL: f.Value("url"), Topic: f.Value("topic")}
	if d, ok := parseDate(f.Value("published_on")); ok {
		in.PublishedOn = d
	} else {
		f.Add("published_on", "date invalide : AAAA-MM-JJ")
	}
	for _, v := range r.PostForm["agencies"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.Agencies = append(in.Agencies, n)
			chosen[v] = true
		}
	}
	for _, ref := range strings.FieldsFunc(f.Value("experts"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '|' }) {
		e, err := s.deps.Experts.ByReference(r.Context(), ref, httpkit.ActorOf(r))
		if err != nil {
			f.Add("experts", "aucun expert n’a la référence "+fr.Quote(ref))
			continue
		}
		in.Experts = append(in.Experts, e.ID)
	}
	return in, f, chosen
}

func (s *Server) createMention(w http.ResponseWriter, r *http.Request) {
	in, f, chosen := s.readMention(r)
	year := in.PublishedOn.Year
	if year == 0 {
		year = date.Today().Year
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderPress(w, r, status, year, f, chosen, nil)
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err := s.deps.Press.Create(r.Context(), in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, "/presse?annee="+strconv.Itoa(year)+"&ok=mention-saved")
}

func (s *Server) editMention(w http.ResponseWriter, r *http.Request) {
	m, ok := recordOf(s, w, r, s.deps.Press.Get)
	if !ok {
		return
	}
	var refs []string
	chosen := map[string]bool{}
	for _, a := range m.Agencies {
		chosen[strconv.FormatInt(a.ID, 10)] = true
	}
	for _, e := range m.Experts {
		if ex, err := s.deps.Experts.Get(r.Context(), e.ID, httpkit.ActorOf(r)); err == nil {
			refs = append(refs, ex.Reference)
		}
	}
	f := &Form{Values: map[string]string{"outlet": m.Outlet, "scope": string(m.Scope), "published_on": m.PublishedOn.String(), "title": m.Title,
		"url": m.URL, "topic": m.Topic, "experts": strings.Join(refs, ", ")}}
	s.renderMention(w, r, http.StatusOK, m, f, chosen)
}

func (s *Server) renderMention(w http.ResponseWriter, r *http.Request, status int, m press.Mention, f *Form, chosen map[string]bool) {
	agencies, err := s.deps.Press.AgencyChoices(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "press_mention", s.page(r, "Retombée presse", pressPageData{Year: m.PublishedOn.Year, Scopes: press.Scopes(),
		Agencies: agencies, Chosen: chosen, Form: f, Mention: &m}))
}

func (s *Server) updateMention(w http.ResponseWriter, r *http.Request) {
	m, ok := recordOf(s, w, r, s.deps.Press.Get)
	if !ok {
		return
	}
	in, f, chosen := s.readMention(r)
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderMention(w, r, status, m, f, chosen)
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err := s.deps.Press.Update(r.Context(), m.ID, in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, "/presse?annee="+strconv.Itoa(in.PublishedOn.Year)+"&ok=mention-saved")
}

// importPress imports a file of mentions, all or nothing; a refused file
// is shown with every error by line and column.
func (s *Server) importPress(w http.ResponseWriter, r *http.Request) {
	year := date.Today().Year
	data, _, ok := s.uploadedFile(w, r, press.MaxImportSize, func(status int, f *Form) { s.renderPress(w, r, status, year, f, map[string]bool{}, nil) })
	if !ok {
		return
	}
	_, err := s.deps.Press.Import(r.Context(), bytes.NewReader(data), httpkit.ActorOf(r))
	var bad *press.ImportError
	if errors.As(err, &bad) {
		s.renderPress(w, r, http.StatusUnprocessableEntity, year, &Form{}, map[string]bool{}, bad.Errors)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/presse?ok=press-imported")
}

// uploadedFile reads the field "file" of a multipart form of at most limit
// bytes; when it is missing or too large, again shows the page with the
// error and ok is false.
func (s *Server) uploadedFile(w http.ResponseWriter, r *http.Request, limit int64, again func(status int, f *Form)) (data []byte, name string, ok bool) {
	file, head, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	f := &Form{Values: map[string]string{}}
	switch {
	case errors.As(err, &tooBig):
		f.Add("file", "le fichier dépasse la taille permise ("+strconv.FormatInt(limit>>20, 10)+" Mo)")
		again(http.StatusRequestEntityTooLarge, f)
		return nil, "", false
	case err != nil:
		f.Add("file", "choisissez un fichier")
		again(http.StatusUnprocessableEntity, f)
		return nil, "", false
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, limit+1))
	switch {
	case err != nil:
		f.Add("file", "le fichier n’a pas pu être lu : déposez-le de nouveau")
		again(http.StatusUnprocessableEntity, f)
		return nil, "", false
	case int64(len(data)) > limit:
		f.Add("file", "le fichier dépasse la taille permise ("+strconv.FormatInt(limit>>20, 10)+" Mo)")
		again(http.StatusRequestEntityTooLarge, f)
		return nil, "", false
	}
	return data, head.Filename, true
}
