package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	vchart "vivier/internal/chart"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/network"
)

// The engagement of members: the sortable table of every member with its
// score and churn flag, and one member's figures with the records behind
// them.

// engagementPeriod reads the period of ?du=&au= (the last twelve months by
// default); an unreadable date is an error on the form.
func engagementPeriod(r *http.Request, f *Form) (date.Date, date.Date) {
	today := date.Today()
	from, to := today.AddDays(-364), today
	q := r.URL.Query()
	f.Values["du"], f.Values["au"] = q.Get("du"), q.Get("au")
	if v := q.Get("du"); v != "" {
		d, err := date.Parse(v)
		if err != nil {
			f.Add("from", "date invalide : saisissez-la au format AAAA-MM-JJ")
		}
		from = d
	}
	if v := q.Get("au"); v != "" {
		d, err := date.Parse(v)
		if err != nil {
			f.Add("to", "date invalide : saisissez-la au format AAAA-MM-JJ")
		}
		to = d
	}
	f.Values["du"], f.Values["au"] = from.String(), to.String()
	return from, to
}

// activityColumn is one activity of the table, with its sort link.
type activityColumn struct {
	network.Activity
	Tracked bool
	Sort    string // the query that sorts by it
	Sorted  bool
}

// engagementRowView is one member's line.
type engagementRowView struct {
	network.EngagementRow
	Cells   []engagementCell
	Renewal string
}

// engagementCell is one count, or « non suivi pour l’instant ».
type engagementCell struct {
	Key     string
	Count   int
	Tracked bool
	Records []network.Record
}

// engagementPage is the data of both engagement pages.
type engagementPage struct {
	Form             *Form
	From, To         string
	PrevFrom, PrevTo string
	Formula          string
	Columns          []activityColumn
	Rows             []engagementRowView
	Chart            template.HTML
	SortName         string
	SortScore        string
	SortChurn        string
	Sort             string
	Staff            bool
	Member           *network.Member // one member's page
}

func (s *Server) engagementView(e network.Engagement, sort string, query url.Values) engagementPage {
	d := engagementPage{From: fr.Date(e.From), To: fr.Date(e.To), PrevFrom: fr.Date(e.PrevFrom), PrevTo: fr.Date(e.PrevTo), Formula: e.Formula, Sort: sort}
	link := func(by string) string {
		q := url.Values{"du": {e.From.String()}, "au": {e.To.String()}, "tri": {by}}
		return "?" + q.Encode()
	}
	d.SortName, d.SortScore, d.SortChurn = link("name"), link("score"), link("churn")
	for _, a := range e.Activities {
		d.Columns = append(d.Columns, activityColumn{Activity: a, Tracked: e.Tracked[a.Key], Sort: link(a.Key), Sorted: sort == a.Key})
	}
	for _, r := range e.Rows {
		v := engagementRowView{EngagementRow: r}
		if r.Renewal != "" {
			v.Renewal = r.Renewal.Label()
		}
		for _, a := range e.Activities {
			v.Cells = append(v.Cells, engagementCell{Key: a.Key, Count: r.Counts[a.Key], Tracked: e.Tracked[a.Key], Records: e.Records[a.Key]})
		}
		d.Rows = append(d.Rows, v)
	}
	return d
}

func (s *Server) engagementPage(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string]string{}}
	from, to := engagementPeriod(r, f)
	sort := r.URL.Query().Get("tri")
	var e network.Engagement
	var err error
	if !f.Failed() {
		e, err = s.deps.Network.EngagementTable(r.Context(), from, to, sort, httpkit.ActorOf(r))
		if err != nil && !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
	}
	d := s.engagementView(e, sort, r.URL.Query())
	d.Form, d.Staff = f, true
	status := http.StatusOK
	if f.Failed() {
		status = http.StatusUnprocessableEntity
	} else {
		var bars []vchart.Bar
		for i, row := range e.Rows {
			if i == 15 || row.Score == 0 {
				break
			}
			bars = append(bars, vchart.Bar{Label: row.Name, Value: float64(row.Score), Text: fr.Int(int64(row.Score))})
		}
		if len(bars) > 0 && (sort == "" || sort == "score") {
			if d.Chart, err = vchart.Bars("Les adhérents les plus engagés", "Score d’engagement des quinze premiers adhérents sur la période ; le tableau donne tous les chiffres.", bars).SVG("engagement"); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
	}
	s.render(w, r, status, "network_engagement", s.page(r, "Engagement des adhérents", d))
}

func (s *Server) memberEngagementPage(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	actor := httpkit.ActorOf(r)
	v, err := s.deps.Network.Member(ctx, id, actor)
	if err != nil {
		s.networkFail(w, r, err)
		return
	}
	f := &Form{Values: map[string]string{}}
	from, to := engagementPeriod(r, f)
	var e network.Engagement
	if !f.Failed() {
		e, err = s.deps.Network.MemberEngagement(ctx, id, from, to, actor)
		if err != nil && !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
	}
	d := s.engagementView(e, "", r.URL.Query())
	d.Form, d.Staff, d.Member = f, actor.Staff(), &v.Member
	status := http.StatusOK
	if f.Failed() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "network_member_engagement", s.page(r, fmt.Sprintf("Engagement · %s", v.Name), d))
}
