package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/audience"
	charts "vivier/internal/chart"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
)

// The audiences: every account with its growth over a period (from the
// counts nearest to its days, which are shown), the forms of an account
// and of a count, the import of a file, and an account's counts.

type audiencesPageData struct {
	From, To date.Date
	Growth   []audience.Growth
	Chart    template.HTML
	Kinds    []audience.Kind
	Formula  string
	Form     *Form
	Errors   []audience.RowError
}

// GrowthText writes a growth as a reader reads it.
func (audiencesPageData) GrowthText(g audience.Growth) string {
	if !g.Known {
		return "—"
	}
	return signed(g.Rate)
}

func signed(rate float64) string {
	if rate > 0 {
		return "+" + fr.Percent(rate)
	}
	if rate < 0 {
		return "−" + fr.Percent(-rate)
	}
	return fr.Percent(0)
}

func (s *Server) audiencesPage(w http.ResponseWriter, r *http.Request) {
	s.renderAudiences(w, r, http.StatusOK, &Form{Values: map[string]string{"day": date.Today().String()}}, nil)
}

// audiencePeriod reads du/au, by default this year to today.
func audiencePeriod(r *http.Request, f *Form) (from, to date.Date) {
	q := r.URL.Query()
	to = date.Today()
	from = date.Date{Year: to.Year, Month: 1, Day: 1}
	if d, ok := parseDate(q.Get("du")); ok && !d.IsZero() {
		from = d
	} else if !ok {
		f.Add("du", "date de début invalide : AAAA-MM-JJ")
	}
	if d, ok := parseDate(q.Get("au")); ok && !d.IsZero() {
		to = d
	} else if !ok {
		f.Add("au", "date de fin invalide : AAAA-MM-JJ")
	}
	if to.Before(from) {
		f.Add("au", "la fin de la période précède son début")
		from, to = to, from
	}
	return from, to
}

func (s *Server) renderAudiences(w http.ResponseWriter, r *http.Request, status int, f *Form, fileErrors []audience.RowError) {
	from, to := audiencePeriod(r, f)
	if f.Failed() && status == http.StatusOK {
		status = http.StatusUnprocessableEntity
	}
	gs, err := s.deps.Audiences.Growth(r.Context(), from, to, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var bars []charts.Bar
	var desc []string
	for _, g := range gs {
		if g.Known {
			bars = append(bars, charts.Bar{Label: g.Account.Name, Value: g.Rate, Text: signed(g.Rate)})
			desc = append(desc, g.Account.Name+" : "+signed(g.Rate))
		}
	}
	var svg template.HTML
	if len(bars) > 0 {
		if svg, err = charts.Bars("Évolution des audiences du "+fr.Date(from)+" au "+fr.Date(to), strings.Join(desc, " ; "), bars).SVG("chart-audiences"); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "audiences", s.page(r, "Audiences", audiencesPageData{From: from, To: to, Growth: gs, Chart: svg,
		Kinds: audience.Kinds(), Formula: audience.Formula, Form: f, Errors: fileErrors}))
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "slug", "name", "kind", "metric", "url")
	_, err := s.deps.Audiences.CreateAccount(r.Context(), audience.AccountInput{Slug: f.Value("slug"), Name: f.Value("name"),
		Kind: audience.Kind(f.Value("kind")), Metric: audience.Metric(f.Value("metric")), URL: f.Value("url")}, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderAudiences(w, r, status, f, nil)
	},
		"/audiences?ok=account-saved")
}

func (s *Server) addCount(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "account", "day", "value")
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.renderAudiences(w, r, status, f, nil)
	}
	id, err := strconv.ParseInt(f.Value("account"), 10, 64)
	if err != nil {
		f.Add("account", "choisissez le compte")
	}
	day, ok := parseDate(f.Value("day"))
	if !ok {
		f.Add("day", "date invalide : AAAA-MM-JJ")
	}
	value, err := strconv.Atoi(strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, f.Value("value")))
	if err != nil {
		f.Add("value", "saisissez un nombre entier")
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err = s.deps.Audiences.SetCount(r.Context(), id, audience.Count{Day: day, Value: value}, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, "/audiences?ok=count-saved")
}

func (s *Server) importCounts(w http.ResponseWriter, r *http.Request) {
	data, _, ok := s.uploadedFile(w, r, audience.MaxImportSize, func(status int, f *Form) { s.renderAudiences(w, r, status, f, nil) })
	if !ok {
		return
	}
	_, err := s.deps.Audiences.Import(r.Context(), bytes.NewReader(data), httpkit.ActorOf(r))
	var bad *audience.ImportError
	if errors.As(err, &bad) {
		s.renderAudiences(w, r, http.StatusUnprocessableEntity, &Form{Values: map[string]string{}}, bad.Errors)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/audiences?ok=counts-imported")
}

type accountPageData struct {
	Account audience.Account
	Counts  []audience.Count
	Chart   template.HTML
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	a, ok := recordOf(s, w, r, s.deps.Audiences.Account)
	if !ok {
		return
	}
	counts, err := s.deps.Audiences.Counts(r.Context(), a.ID, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := accountPageData{Account: a, Counts: counts}
	if len(counts) > 1 {
		labels := make([]string, len(counts))
		points := make([]charts.Point, len(counts))
		for i, c := range counts {
			labels[i] = fr.Date(c.Day)
			points[i] = charts.Point{X: i, Value: float64(c.Value)}
		}
		c := charts.Lines(a.Name+" : "+a.Metric.Label(), "Relevés du "+labels[0]+" au "+labels[len(labels)-1], labels,
			[]charts.Series{{Name: a.Metric.Label(), Points: points}}, nil)
		if p.Chart, err = c.SVG("chart-account"); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "audience_account", s.page(r, a.Name, p))
}
