package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	svgchart "vivier/internal/chart"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/newsletter"
	"vivier/internal/tabular"
)

// figure is one line of a figures table.
type figure struct{ Label, Value, Note string }

// figuresPage is a campaign's figures.
type figuresPage struct {
	Stats       newsletter.Stats
	Rows        []figure
	Rates       template.HTML // the rates' chart
	Links       []newsletter.LinkStat
	LinksChart  template.HTML
	Definitions []string
}

var definitions = []string{newsletter.DefOpenRate, newsletter.DefClickRate, newsletter.DefNaiveOpenRate, newsletter.DefTracked}

// figureRows are the figures of c, in the order the page and the CSV show.
func figureRows(c newsletter.Counts) []figure {
	n := func(v int) string { return fr.Int(int64(v)) }
	return []figure{
		{"Destinataires", n(c.Recipients), ""},
		{"Délivrés au relais", n(c.Delivered), ""},
		{"Rejets définitifs", n(c.Bounced), "adresses retirées des envois"},
		{"Refusés (contenu ou politique du serveur)", n(c.Failed), ""},
		{"Délivrés et mesurés", n(c.Tracked), "dénominateur des taux"},
		{"Ouvreurs humains uniques", n(c.HumanOpeners), "dont les clics humains"},
		{"Ouvreurs machines seulement", n(c.MachineOpeners), "image chargée par des machines seulement"},
		{"Image chargée au moins une fois", n(c.PixelOpeners), "ce que compte un outil naïf"},
		{"Cliqueurs humains uniques", n(c.HumanClickers), ""},
		{"Clics de machines", n(c.MachineClicks), "analyseurs de liens, automates, lien piège"},
		{"Taux d’ouverture", fr.Percent(c.OpenRate()), "ouvreurs humains ÷ délivrés mesurés"},
		{"Taux d’ouverture naïf", fr.Percent(c.NaiveOpenRate()), "chaque chargement de l’image compté"},
		{"Taux de clic", fr.Percent(c.ClickRate()), "cliqueurs humains ÷ délivrés mesurés"},
		{"Désabonnements", n(c.Unsubscribed), ""},
		{"Plaintes", n(c.Complaints), ""},
	}
}

// ratesChart draws a campaign's rates beside the naive one.
func ratesChart(c newsletter.Counts, id string) (template.HTML, error) {
	bars := []svgchart.Bar{
		{Label: "Ouverture (humains)", Value: c.OpenRate() * 100, Text: fr.Percent(c.OpenRate())},
		{Label: "Ouverture naïve", Value: c.NaiveOpenRate() * 100, Text: fr.Percent(c.NaiveOpenRate())},
		{Label: "Clic (humains)", Value: c.ClickRate() * 100, Text: fr.Percent(c.ClickRate())},
	}
	return svgchart.Bars("Taux d’ouverture et de clic", "Le taux d’ouverture humain, le taux naïf qui compte chaque chargement de l’image, et le taux de clic humain.", bars).SVG(id)
}

// campaignStats reads the figures and the links of the campaign of the
// path, answering the page itself when it cannot.
func (s *Server) campaignStats(w http.ResponseWriter, r *http.Request) (newsletter.Stats, []newsletter.LinkStat, bool) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return newsletter.Stats{}, nil, false
	}
	ctx, actor := r.Context(), httpkit.ActorOf(r)
	st, err := s.deps.Newsletter.Stats(ctx, id, actor)
	if err != nil {
		s.fail(w, r, err)
		return newsletter.Stats{}, nil, false
	}
	links, err := s.deps.Newsletter.Links(ctx, id, actor)
	if err != nil {
		s.fail(w, r, err)
		return newsletter.Stats{}, nil, false
	}
	return st, links, true
}

func (s *Server) campaignFigures(w http.ResponseWriter, r *http.Request) {
	st, links, ok := s.campaignStats(w, r)
	if !ok {
		return
	}
	p := figuresPage{Stats: st, Rows: figureRows(st.Counts), Links: links, Definitions: definitions}
	var err error
	if p.Rates, err = ratesChart(st.Counts, "taux"); err != nil {
		s.serverError(w, r, err)
		return
	}
	var bars []svgchart.Bar
	for i, l := range links {
		if !l.Trap {
			bars = append(bars, svgchart.Bar{Label: "Lien " + strconv.Itoa(i+1), Value: float64(l.HumanClickers)})
		}
	}
	if len(bars) > 0 {
		if p.LinksChart, err = svgchart.Bars("Cliqueurs humains par lien", "Nombre de destinataires ayant cliqué chaque lien.", bars).SVG("liens"); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "newsletter_figures", s.page(r, "Chiffres : "+st.Campaign.Subject, p))
}

func (s *Server) campaignFiguresCSV(w http.ResponseWriter, r *http.Request) {
	st, links, ok := s.campaignStats(w, r)
	if !ok {
		return
	}
	var rows [][]string
	for _, f := range figureRows(st.Counts) {
		rows = append(rows, []string{f.Label, f.Value, f.Note})
	}
	for i, l := range links {
		label := "Lien " + strconv.Itoa(i+1) + " : " + l.URL
		if l.Trap {
			label = "Lien piège invisible"
		}
		rows = append(rows, []string{label, fr.Int(int64(l.HumanClickers)) + " cliqueurs humains, " + fr.Int(int64(l.HumanClicks)) + " clics humains",
			fr.Int(int64(l.MachineClicks)) + " clics de machines"})
	}
	writeCSV(w, r, fmt.Sprintf("campagne-%d.csv", st.Campaign.ID), []string{"chiffre", "valeur", "note"}, rows)
}

func writeCSV(w http.ResponseWriter, r *http.Request, name string, header []string, rows [][]string) {
	var buf bytes.Buffer
	if err := tabular.WriteCSV(&buf, header, rows); err != nil {
		http.Error(w, "erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	buf.WriteTo(w)
}

// periodPage is the figures of the campaigns of a period.
type periodPage struct {
	Figures       newsletter.Figures
	Rows          []figure
	Rates         template.HTML
	Trend         template.HTML
	Organisations []newsletter.OrganisationFigure
	OrgChart      template.HTML
	Definitions   []string
	From, To      string
	Form          *Form
}

func (s *Server) periodFigures(w http.ResponseWriter, r *http.Request) {
	from, to, f := period(r)
	ctx, actor := r.Context(), httpkit.ActorOf(r)
	fig, err := s.deps.Newsletter.Figures(ctx, from, to, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgs, err := s.deps.Newsletter.ByOrganisation(ctx, from, to, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := periodPage{Figures: fig, Rows: figureRows(fig.Counts), Organisations: orgs, Definitions: definitions,
		From: from.String(), To: to.String(), Form: f}
	if p.Rates, err = ratesChart(fig.Counts, "taux-periode"); err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(fig.Campaigns) > 1 {
		var labels []string
		open, naive := svgchart.Series{Name: "Taux d’ouverture (humains)"}, svgchart.Series{Name: "Taux d’ouverture naïf"}
		for i := range fig.Campaigns {
			c := fig.Campaigns[len(fig.Campaigns)-1-i] // oldest first
			labels = append(labels, fr.Date(dateOf(c.Campaign)))
			open.Points = append(open.Points, svgchart.Point{X: i, Value: c.OpenRate() * 100})
			naive.Points = append(naive.Points, svgchart.Point{X: i, Value: c.NaiveOpenRate() * 100})
		}
		p.Trend, err = svgchart.Lines("Ouvertures par campagne", "Le taux d’ouverture humain et le taux naïf de chaque campagne de la période.",
			labels, []svgchart.Series{open, naive}, func(v float64) string { return fr.Decimal(v, 0) + " %" }).SVG("tendance")
		if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	var bars []svgchart.Bar
	for _, o := range orgs {
		if len(bars) < 15 {
			bars = append(bars, svgchart.Bar{Label: o.Name, Value: float64(o.HumanOpens)})
		}
	}
	if len(bars) > 0 {
		if p.OrgChart, err = svgchart.Bars("Ouvertures humaines par organisation", "Ouvreurs humains uniques de chaque campagne, additionnés, par organisation membre.", bars).SVG("organisations"); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	status := http.StatusOK
	if f.Failed() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "newsletter_period", s.page(r, "Chiffres des lettres", p))
}

func (s *Server) periodFiguresCSV(w http.ResponseWriter, r *http.Request) {
	from, to, _ := period(r)
	fig, err := s.deps.Newsletter.Figures(r.Context(), from, to, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := [][]string{}
	for _, c := range fig.Campaigns {
		rows = append(rows, []string{c.Campaign.Subject, dateOf(c.Campaign).String(), strconv.Itoa(c.Delivered), strconv.Itoa(c.Tracked),
			strconv.Itoa(c.HumanOpeners), strconv.Itoa(c.MachineOpeners), strconv.Itoa(c.PixelOpeners), strconv.Itoa(c.HumanClickers),
			strconv.Itoa(c.MachineClicks), fr.Decimal(c.OpenRate()*100, 1), fr.Decimal(c.NaiveOpenRate()*100, 1), fr.Decimal(c.ClickRate()*100, 1),
			strconv.Itoa(c.Unsubscribed), strconv.Itoa(c.Complaints)})
	}
	writeCSV(w, r, "lettres-"+from.String()+"-"+to.String()+".csv", []string{"campagne", "envoi", "delivres", "mesures", "ouvreurs_humains",
		"ouvreurs_machines_seulement", "image_chargee", "cliqueurs_humains", "clics_machines", "taux_ouverture_pct", "taux_naif_pct", "taux_clic_pct",
		"desabonnements", "plaintes"}, rows)
}
