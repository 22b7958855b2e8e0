// Package chart draws the figures people compare — dashboards, newsletter
// rates, the activity report — as SVG for the pages (no JavaScript, embedded
// in the HTML, each with a title and a description for screen readers) and
// as vector drawings in PDFs. A chart is computed once (Bars, Lines) into
// shapes in a fixed 600 × height box; SVG renders it through html/template,
// so every label is escaped, and DrawPDF scales the same shapes. A chart
// never stands alone: pages put its data table after it (« voir les
// données »), which is the accessible alternative.
package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strconv"

	"vivier/internal/fr"
)

// Width is the width of every chart's box, in SVG user units.
const Width = 600

// Bar is one value of a bar chart.
type Bar struct {
	Label string
	Value float64
	// Text is the value as the reader reads it ("1 250 €", "17,4 %"); the
	// number in French when empty.
	Text string
}

// Point is one value of a line chart's series.
type Point struct {
	X     int // index of the label on the horizontal axis
	Value float64
}

// Series is one line of a line chart.
type Series struct {
	Name   string
	Points []Point
}

// Chart is a computed chart: its shapes in a Width × Height box.
type Chart struct {
	Title, Desc string
	Height      float64
	Rects       []Rect
	Texts       []Text
	Lines       []Polyline
}

// Rect is a bar.
type Rect struct {
	X, Y, W, H float64
	Class      string // colour class: "c0" … "c5"
}

// Text is a label.
type Text struct {
	X, Y   float64
	Anchor string // start, middle, end
	S      string
	Class  string
}

// Polyline is a series of a line chart.
type Polyline struct {
	Points []XY
	Class  string
	Name   string
}

// XY is a point of the box.
type XY struct{ X, Y float64 }

const (
	barHeight = 22
	barGap    = 8
	labelW    = 220 // the labels' column of a bar chart
	valueW    = 90  // the values' column
)

// Bars computes a horizontal bar chart, one bar per item, longest value at
// full length. Negative values count as zero.
func Bars(title, desc string, bars []Bar) Chart {
	c := Chart{Title: title, Desc: desc, Height: float64(len(bars))*(barHeight+barGap) + barGap}
	top := 0.0
	for _, b := range bars {
		top = math.Max(top, b.Value)
	}
	span := float64(Width - labelW - valueW)
	for i, b := range bars {
		y := float64(barGap + i*(barHeight+barGap))
		w := 0.0
		if top > 0 && b.Value > 0 {
			w = math.Max(1, span*b.Value/top)
		}
		text := b.Text
		if text == "" {
			text = number(b.Value)
		}
		c.Rects = append(c.Rects, Rect{X: labelW, Y: y, W: w, H: barHeight, Class: "c" + strconv.Itoa(i%6)})
		c.Texts = append(c.Texts,
			Text{X: labelW - 6, Y: y + barHeight*0.7, Anchor: "end", S: b.Label, Class: "label"},
			Text{X: labelW + w + 6, Y: y + barHeight*0.7, Anchor: "start", S: text, Class: "value"})
	}
	return c
}

// Lines computes a line chart of series over the labels of the horizontal
// axis (dates, years, campaigns), from zero to the largest value, with a
// legend under it. format writes the values of the vertical axis.
func Lines(title, desc string, labels []string, series []Series, format func(float64) string) Chart {
	const left, right, top, plotH = 70.0, 20.0, 10.0, 220.0
	if format == nil {
		format = number
	}
	c := Chart{Title: title, Desc: desc, Height: top + plotH + 40 + float64(len(series))*18}
	hi := 0.0
	for _, s := range series {
		for _, p := range s.Points {
			hi = math.Max(hi, p.Value)
		}
	}
	hi = niceCeil(hi)
	stepX := 0.0
	if len(labels) > 1 {
		stepX = (Width - left - right) / float64(len(labels)-1)
	}
	for i := 0; i <= 4; i++ {
		v := hi * float64(i) / 4
		y := top + plotH - plotH*float64(i)/4
		c.Rects = append(c.Rects, Rect{X: left, Y: y, W: Width - left - right, H: 0.5, Class: "grid"})
		c.Texts = append(c.Texts, Text{X: left - 6, Y: y + 4, Anchor: "end", S: format(v), Class: "axis"})
	}
	every := max(1, len(labels)/8) // at most about eight labels under the axis
	for i, l := range labels {
		if i%every == 0 || i == len(labels)-1 {
			c.Texts = append(c.Texts, Text{X: left + stepX*float64(i), Y: top + plotH + 16, Anchor: "middle", S: l, Class: "axis"})
		}
	}
	for k, s := range series {
		pl := Polyline{Class: "c" + strconv.Itoa(k%6), Name: s.Name}
		for _, p := range s.Points {
			y := top + plotH
			if hi > 0 {
				y -= plotH * p.Value / hi
			}
			pl.Points = append(pl.Points, XY{left + stepX*float64(p.X), y})
		}
		c.Lines = append(c.Lines, pl)
		ly := top + plotH + 36 + float64(k)*18
		c.Rects = append(c.Rects, Rect{X: left, Y: ly - 8, W: 14, H: 4, Class: pl.Class})
		c.Texts = append(c.Texts, Text{X: left + 20, Y: ly, Anchor: "start", S: s.Name, Class: "label"})
	}
	return c
}

// niceCeil rounds v up to 1, 2, 4 or 8 times a power of ten, so that the
// axis and its four intervals read in round numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 8, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func number(v float64) string {
	if v == math.Trunc(v) {
		return fr.Int(int64(v))
	}
	return fr.Decimal(v, 1)
}

var svg = template.Must(template.New("svg").Funcs(template.FuncMap{"f": func(v float64) string {
	return strconv.FormatFloat(v, 'f', 1, 64)
}, "pts": func(ps []XY) string {
	var b bytes.Buffer
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", p.X, p.Y)
	}
	return b.String()
}}).Parse(`<svg class="chart" viewBox="0 0 600 {{f .Height}}" role="img" aria-labelledby="{{.ID}}-t {{.ID}}-d" xmlns="http://www.w3.org/2000/svg">` +
	`<title id="{{.ID}}-t">{{.Title}}</title><desc id="{{.ID}}-d">{{.Desc}}</desc>` +
	`{{range .Rects}}<rect x="{{f .X}}" y="{{f .Y}}" width="{{f .W}}" height="{{f .H}}" class="{{.Class}}"/>{{end}}` +
	`{{range .Lines}}<polyline points="{{pts .Points}}" class="line {{.Class}}" fill="none"><title>{{.Name}}</title></polyline>{{end}}` +
	`{{range .Texts}}<text x="{{f .X}}" y="{{f .Y}}" text-anchor="{{.Anchor}}" class="{{.Class}}">{{.S}}</text>{{end}}` +
	`</svg>`))

// SVG renders the chart as an inline SVG element; id makes its title's and
// description's ids unique in the page.
func (c Chart) SVG(id string) (template.HTML, error) {
	var b bytes.Buffer
	err := svg.Execute(&b, struct {
		Chart
		ID string
	}{c, id})
	return template.HTML(b.String()), err
}
