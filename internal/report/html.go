package report

import (
	"bytes"
	"embed"
	"html/template"
	"io"
	"strconv"
	"strings"

	"vivier/internal/chart"
	"vivier/internal/fr"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are the report's templates: "body" (the report, put in a page of
// the site) and "document" (a standalone HTML file, with its own style).
var pages = template.Must(template.New("report").Funcs(template.FuncMap{
	"dateTime": fr.DateTime,
	"plural":   fr.Plural,
}).ParseFS(templateFiles, "templates/*.html"))

// htmlData is what the templates read: the view and its figures, tables
// and charts laid out for reading.
type htmlData struct {
	View       View
	Year, Prev int
	Staff      bool
	Sections   []htmlSection
}

type htmlSection struct {
	Key, Title, Intro string
	Figures           []htmlFigure
	Tables            []htmlTable
}

type htmlFigure struct {
	Figure
	ID   string // the row's id: « f-expertise-needs »
	Link string // the page of its records, "" when the reader may not list them
}

type htmlTable struct {
	Key, Title string
	SVG        template.HTML
	Headers    []string
	Lines      []htmlLine
	Rows       []Row
}

type htmlLine struct {
	Label string
	Cells []string
}

// FigureID is the id of the row of figure key in the HTML report, for
// links and tests: « f-expertise-needs ».
func FigureID(key string) string { return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(key) }

func layout(v View) (htmlData, error) {
	d := htmlData{View: v, Year: v.Report.Year, Prev: v.Report.Year - 1, Staff: !v.Public}
	for _, sec := range v.Report.Sections {
		hs := htmlSection{Key: sec.Key, Title: sec.Title, Intro: sec.Intro}
		for _, f := range sec.Figures {
			hf := htmlFigure{Figure: f, ID: FigureID(f.Key)}
			if f.Tracked && (d.Staff || f.Public) {
				hf.Link = RecordsPath(d.Year, f.Key)
			}
			hs.Figures = append(hs.Figures, hf)
		}
		for _, t := range sec.Tables {
			ht, err := tableOf(t, d.Year)
			if err != nil {
				return d, err
			}
			hs.Tables = append(hs.Tables, ht)
		}
		d.Sections = append(d.Sections, hs)
	}
	return d, nil
}

// tableOf writes a table's cells and draws its chart (this year's values).
func tableOf(t Table, year int) (htmlTable, error) {
	ht := htmlTable{Key: t.Key, Title: t.Title, Rows: t.Rows}
	ht.Headers = []string{strconv.Itoa(year)}
	if !t.NoPrevious {
		ht.Headers = append(ht.Headers, strconv.Itoa(year-1))
	}
	if t.NoPrevious && len(t.Columns) > 0 {
		ht.Headers = nil
	}
	ht.Headers = append(ht.Headers, t.Columns...)
	for _, r := range t.Rows {
		l := htmlLine{Label: r.Label}
		if !t.NoPrevious || len(t.Columns) == 0 {
			l.Cells = append(l.Cells, format(t.Unit, r.Value))
		}
		if !t.NoPrevious {
			l.Cells = append(l.Cells, format(t.Unit, r.Previous))
		}
		l.Cells = append(l.Cells, r.Cells...)
		ht.Lines = append(ht.Lines, l)
	}
	if t.Chart && len(t.Rows) > 0 {
		c := barChart(t, year)
		svg, err := c.SVG("chart-" + t.Key)
		if err != nil {
			return ht, err
		}
		ht.SVG = svg
	}
	return ht, nil
}

// barChart draws a table's values of the year as bars.
func barChart(t Table, year int) chart.Chart {
	bars := make([]chart.Bar, 0, len(t.Rows))
	var desc []string
	for _, r := range t.Rows {
		text := format(t.Unit, r.Value)
		bars = append(bars, chart.Bar{Label: r.Label, Value: r.Value, Text: text})
		desc = append(desc, r.Label+" : "+text)
	}
	return chart.Bars(t.Title+" ("+strconv.Itoa(year)+")", strings.Join(desc, " ; "), bars)
}

// Body renders v as HTML to put in a page: the report's sections, figures
// with their formulas and last year's, tables and charts (SVG, no
// JavaScript), and for staff the figures that moved since the publication.
func Body(v View) (template.HTML, error) {
	d, err := layout(v)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, "body", d); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// WriteHTML writes v as a standalone HTML file, with its own style.
func WriteHTML(w io.Writer, v View) error {
	d, err := layout(v)
	if err != nil {
		return err
	}
	return pages.ExecuteTemplate(w, "document", d)
}
