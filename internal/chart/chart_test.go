package chart_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"vivier/internal/chart"
	"vivier/internal/fr"
	"vivier/internal/pdf"
	"vivier/internal/pdf/pdftest"
)

func TestBarsAreProportionalAndEscaped(t *testing.T) {
	c := chart.Bars("Ouvertures par lettre", "Taux d’ouverture humaine de chaque lettre", []chart.Bar{
		{Label: "Lettre <n° 1>", Value: 20, Text: "20 %"}, {Label: "Lettre n° 2", Value: 10}, {Label: "vide", Value: -3}})
	if c.Rects[0].W != 2*c.Rects[1].W || c.Rects[2].W != 0 {
		t.Fatalf("bar widths %v, %v, %v: want the first twice the second, a negative one empty", c.Rects[0].W, c.Rects[1].W, c.Rects[2].W)
	}
	out, err := c.SVG("ouv")
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Contains(s, "<n° 1>") || !strings.Contains(s, "&lt;n° 1&gt;") {
		t.Errorf("a label is not escaped: %s", s)
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="ouv-t ouv-d"`, "<title id=\"ouv-t\">Ouvertures par lettre</title>", ">20 %<", ">10<"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if err := xml.Unmarshal([]byte(out), new(struct{})); err != nil {
		t.Errorf("not well-formed SVG: %v", err)
	}
}

func TestLinesScaleToRoundNumbersAndDrawInPDFs(t *testing.T) {
	c := chart.Lines("Abonnés", "Abonnés de la page à chaque relevé", []string{"janv.", "févr.", "mars"},
		[]chart.Series{{Name: "Page professionnelle", Points: []chart.Point{{0, 1200}, {1, 1700}, {2, 2100}}}}, nil)
	out, err := c.SVG("abo")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []int64{1000, 2000, 3000, 4000} {
		if !strings.Contains(string(out), ">"+fr.Int(v)+"<") {
			t.Errorf("the axis lacks %d (in round thousands up to 4 000): %s", v, out)
		}
	}
	if !strings.Contains(string(out), "Page professionnelle") {
		t.Errorf("the legend is missing: %s", out)
	}
	d := pdf.New(pdf.Options{Title: "Rapport"})
	c.DrawPDF(d.Fpdf(), 170)
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, b); !strings.Contains(text, "Page professionnelle") || !strings.Contains(text, "févr.") {
		t.Errorf("the chart's labels are not in the PDF: %s", text)
	}
}
