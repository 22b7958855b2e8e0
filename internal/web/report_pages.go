package web

import (
	"html/template"
	"net/http"
	"strconv"

	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/report"
)

// The activity report: the list of years, the report of a year (staff's
// live draft, or the published snapshot with, for staff, the figures that
// moved since), its PDF, the records behind a figure, and publishing.

type reportIndexPage struct {
	Published []report.Snapshot
	Drafts    []int // staff: the years whose draft they may open
}

func (s *Server) reportIndex(w http.ResponseWriter, r *http.Request) {
	list, err := s.deps.Reports.Published(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := reportIndexPage{Published: list}
	if httpkit.ActorOf(r).Staff() {
		y := date.Today().Year
		p.Drafts = []int{y, y - 1, y - 2}
	}
	s.render(w, r, http.StatusOK, "report_index", s.page(r, "Rapports d’activité", p))
}

type reportPageData struct {
	Year  int
	View  report.View
	Body  template.HTML
	Staff bool
	Form  *Form
}

// reportYear reads {annee} of the path; the answer is written when it is
// not a year.
func (s *Server) reportYear(w http.ResponseWriter, r *http.Request) (int, bool) {
	y, err := strconv.Atoi(r.PathValue("annee"))
	if err != nil || y < 1 || y > 9999 {
		s.notFound(w, r)
		return 0, false
	}
	return y, true
}

// reportOfPath reads the report of the path's year as the visitor may see
// it (live draft or published), answering the page itself when it cannot.
func (s *Server) reportOfPath(w http.ResponseWriter, r *http.Request) (int, report.View, bool) {
	y, ok := s.reportYear(w, r)
	if !ok {
		return 0, report.View{}, false
	}
	v, err := s.deps.Reports.Get(r.Context(), y, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return 0, report.View{}, false
	}
	return y, v, true
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	s.renderReport(w, r, http.StatusOK, &Form{Values: map[string]string{}})
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	y, v, ok := s.reportOfPath(w, r)
	if !ok {
		return
	}
	body, err := report.Body(v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "report", s.page(r, "Rapport d’activité "+strconv.Itoa(y), reportPageData{Year: y, View: v, Body: body,
		Staff: !v.Public, Form: f}))
}

func (s *Server) reportPDF(w http.ResponseWriter, r *http.Request) {
	y, v, ok := s.reportOfPath(w, r)
	if !ok {
		return
	}
	doc, err := report.PDF(v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="rapport-activite-`+strconv.Itoa(y)+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	_, _ = w.Write(doc)
}

type recordsPage struct {
	Year   int
	Figure report.Figure
	Live   bool // staff read today's records of a published figure
	Staff  bool
}

func (s *Server) reportRecords(w http.ResponseWriter, r *http.Request) {
	y, ok := s.reportYear(w, r)
	if !ok {
		return
	}
	actor := httpkit.ActorOf(r)
	fig, live, err := s.deps.Reports.Records(r.Context(), y, r.PathValue("cle"), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report_records", s.page(r, fig.Label+" — "+strconv.Itoa(y), recordsPage{Year: y, Figure: fig, Live: live, Staff: actor.Staff()}))
}

func (s *Server) publishReport(w http.ResponseWriter, r *http.Request) {
	y, ok := s.reportYear(w, r)
	if !ok {
		return
	}
	_, err := s.deps.Reports.Publish(r.Context(), y, httpkit.ActorOf(r))
	s.answerForm(w, r, &Form{Values: map[string]string{}}, err, s.renderReport, "/rapport/"+strconv.Itoa(y)+"?ok=report-published")
}

func (s *Server) republishReport(w http.ResponseWriter, r *http.Request) {
	y, ok := s.reportYear(w, r)
	if !ok {
		return
	}
	f := formOf(r, "reason")
	_, err := s.deps.Reports.Republish(r.Context(), y, f.Value("reason"), httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, s.renderReport, "/rapport/"+strconv.Itoa(y)+"?ok=report-published")
}
