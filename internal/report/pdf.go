package report

import (
	"strconv"

	"vivier/internal/chart"
	"vivier/internal/fr"
	"vivier/internal/pdf"
)

// PDF writes v as a PDF (package pdf: A4, DejaVu Sans embedded): a title
// page with the status and a table of contents with each part's page,
// then one part per page onwards with its figures, last year's and the
// change, its formulas, and its breakdowns drawn as charts above their
// tables. Each part is also a bookmark of the document.
func PDF(v View) ([]byte, error) {
	// The contents need the parts' pages, known once laid out: the
	// document is laid out twice, the second time with the pages of the
	// first (the contents take the same room both times).
	pages, _, err := renderPDF(v, nil)
	if err != nil {
		return nil, err
	}
	_, out, err := renderPDF(v, pages)
	return out, err
}

func renderPDF(v View, pages map[string]int) (map[string]int, []byte, error) {
	r := v.Report
	year := strconv.Itoa(r.Year)
	prev := strconv.Itoa(r.Year - 1)
	d := pdf.New(pdf.Options{Title: "Rapport d’activité " + year, Header: "Fédération des agences de développement économique — rapport d’activité " + year,
		Author: "Vivier", Subject: "Rapport d’activité de la fédération, " + year})
	f := d.Fpdf()
	if v.Snapshot != nil {
		status := "Rapport publié le " + fr.DateTime(v.Snapshot.PublishedAt)
		if v.Snapshot.Version > 1 {
			status += " (version " + strconv.Itoa(v.Snapshot.Version) + ")"
		}
		d.Paragraph(status + ", selon les formules de la version " + v.Snapshot.Formulas + ". Ses chiffres sont figés à cette date.")
	} else {
		d.Paragraph("Brouillon calculé le " + fr.DateTime(r.GeneratedAt) + " à partir des fiches du jour, selon les formules de la version " +
			r.FormulasVersion + " : il n’est pas publié.")
	}
	d.Paragraph("Chaque chiffre est calculé à partir des fiches tenues dans Vivier ; sa formule est donnée dans sa partie, avec le chiffre de " +
		prev + " et l’évolution. « Non suivi » signale une partie du réseau que Vivier ne tient pas encore : son chiffre vaut zéro.")
	d.Heading("Sommaire")
	var toc [][]string
	for i, sec := range r.Sections {
		page := "…"
		if n, ok := pages[sec.Key]; ok {
			page = strconv.Itoa(n)
		}
		toc = append(toc, []string{strconv.Itoa(i+1) + ". " + sec.Title, page})
	}
	d.Table([]string{"Partie", "Page"}, toc, []float64{0.85, 0.15})
	found := map[string]int{}
	for i, sec := range r.Sections {
		d.NewPage()
		found[sec.Key] = f.PageNo()
		f.Bookmark(sec.Title, 0, -1)
		d.Heading(strconv.Itoa(i+1) + ". " + sec.Title)
		d.Paragraph(sec.Intro)
		var rows [][]string
		for _, fig := range sec.Figures {
			rows = append(rows, []string{fig.Label, fig.ValueText(), fig.PreviousText(), fig.ChangeText()})
		}
		d.Table([]string{"Indicateur", year, prev, "Évolution"}, rows, []float64{0.52, 0.16, 0.16, 0.16})
		var formulas [][]string
		for _, fig := range sec.Figures {
			text := fig.Formula
			if fig.Detail != "" {
				text += " (" + fig.Detail + ")"
			}
			if !fig.Tracked {
				text += " Non suivi : cette partie n’est pas encore tenue dans Vivier."
			}
			formulas = append(formulas, []string{fig.Label, text})
		}
		d.Heading("Formules")
		d.Table([]string{"Indicateur", "Formule"}, formulas, []float64{0.3, 0.7})
		for _, t := range sec.Tables {
			tablePDF(d, t, r.Year)
		}
	}
	out, err := d.Bytes()
	return found, out, err
}

// tablePDF writes a breakdown: its title, its chart, then its table. The
// title starts a page when what follows it would not fit under it.
func tablePDF(d *pdf.Doc, t Table, year int) {
	f := d.Fpdf()
	pageW, pageH := f.GetPageSize()
	l, _, right, _ := f.GetMargins()
	width := pageW - l - right
	room := 40.0 // a title and the first lines of a table
	var c chart.Chart
	if t.Chart && len(t.Rows) > 0 {
		c = barChart(t, year)
		room = 25 + c.Height*width/chart.Width
	}
	if f.GetY()+room > pageH-20 {
		d.NewPage()
	}
	d.Heading(t.Title)
	if len(t.Rows) == 0 {
		d.Paragraph("Aucune donnée pour l’année.")
		return
	}
	ht, err := tableOf(t, year)
	if err != nil {
		return
	}
	if t.Chart {
		// The paragraph sets the document's regular font, which the chart's
		// labels take.
		d.Paragraph("Graphique : " + t.Title + " (" + strconv.Itoa(year) + ")")
		c.DrawPDF(f, width)
	}
	headers := append([]string{"Libellé"}, ht.Headers...)
	var rows [][]string
	for _, l := range ht.Lines {
		rows = append(rows, append([]string{l.Label}, l.Cells...))
	}
	d.Table(headers, rows, nil)
}
