package pdf_test

import (
	"strings"
	"testing"

	"vivier/internal/pdf"
	"vivier/internal/pdf/pdftest"
)

func TestDocumentReadsBackInFrench(t *testing.T) {
	d := pdf.New(pdf.Options{Title: "Appel de cotisation 2027", Header: "Fédération des agences de développement"})
	d.Heading("Agence d’attractivité de l’Ain")
	d.Paragraph("Montant dû : 4\u202f000\u00a0€ « avant le 31 mars 2027 ».")
	d.Facts([2]string{"SIREN", "732 829 320"}, [2]string{"Tranche", "budget 1–3 M€"})
	var rows [][]string
	for i := range 80 {
		rows = append(rows, []string{"Stagiaire n° " + strings.Repeat("x", i%5), "lundi matin", "émargé à 9 h 02"})
	}
	d.Table([]string{"Personne", "Demi-journée", "Signature"}, rows, []float64{0.4, 0.3, 0.3})
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, b)
	for _, want := range []string{"Appel de cotisation 2027", "Agence d’attractivité de l’Ain", "4 000 €", "« avant le 31 mars 2027 »", "732 829 320", "1–3 M€", "Demi-journée", "émargé", "page 1 sur"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%.400s", want, text)
		}
	}
	if n := pdftest.Pages(t, b); n < 2 {
		t.Errorf("80 rows fit on %d page", n)
	}
}
