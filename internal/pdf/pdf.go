// Package pdf writes Vivier's printable documents (calls for membership
// fees, sign-in sheets, certificates of completion, the activity report)
// with one look: A4, DejaVu Sans embedded in the binary (every French
// character, « », the euro sign and the narrow no-break space), a title, the
// federation's name in the header and « page 1 sur 3 » in the footer. It
// wraps codeberg.org/go-pdf/fpdf; documents only call the few helpers here,
// so they share the layout and can be read back by tests (pdftest).
package pdf

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

//go:embed fonts/DejaVuSans.ttf
var regular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var bold []byte

const family = "DejaVu"

// Doc is a document being written. Its methods add content in reading
// order; Bytes finishes it.
type Doc struct {
	f     *fpdf.Fpdf
	width float64 // usable width, in millimetres
}

// Options are the fixed parts of a document.
type Options struct {
	Title   string // in the metadata and at the top of the first page
	Header  string // at the top of every page, e.g. the federation's name
	Author  string
	Subject string
}

// New starts an A4 portrait document.
func New(o Options) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(20, 20, 20)
	f.SetAutoPageBreak(true, 20)
	f.AddUTF8FontFromBytes(family, "", regular)
	f.AddUTF8FontFromBytes(family, "B", bold)
	f.SetTitle(o.Title, true)
	f.SetAuthor(o.Author, true)
	f.SetSubject(o.Subject, true)
	f.SetCreator("Vivier", true)
	f.AliasNbPages("{nb}")
	f.SetHeaderFunc(func() {
		if o.Header == "" {
			return
		}
		f.SetFont(family, "", 8)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(0, 5, o.Header, "", 1, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
		f.Ln(2)
	})
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont(family, "", 8)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(0, 5, fmt.Sprintf("page %d sur {nb}", f.PageNo()), "", 0, "C", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	w, _ := f.GetPageSize()
	l, _, r, _ := f.GetMargins()
	d := &Doc{f: f, width: w - l - r}
	if o.Title != "" {
		d.Title(o.Title)
	}
	return d
}

// Title writes the document's title.
func (d *Doc) Title(s string) {
	d.f.SetFont(family, "B", 16)
	d.f.MultiCell(0, 8, s, "", "L", false)
	d.f.Ln(3)
}

// Heading writes a section heading.
func (d *Doc) Heading(s string) {
	d.f.Ln(2)
	d.f.SetFont(family, "B", 12)
	d.f.MultiCell(0, 6, s, "", "L", false)
	d.f.Ln(1)
}

// Paragraph writes text, wrapped, with a blank line after.
func (d *Doc) Paragraph(s string) {
	d.f.SetFont(family, "", 10)
	d.f.MultiCell(0, 5, s, "", "L", false)
	d.f.Ln(2)
}

// Facts writes label: value lines, the labels in bold in a column.
func (d *Doc) Facts(pairs ...[2]string) {
	for _, p := range pairs {
		d.f.SetFont(family, "B", 10)
		d.f.CellFormat(55, 6, p[0], "", 0, "L", false, 0, "")
		d.f.SetFont(family, "", 10)
		d.f.MultiCell(0, 6, p[1], "", "L", false)
	}
	d.f.Ln(2)
}

// Table writes a table: headers in bold on a grey row, then rows. widths
// are fractions of the usable width (nil: equal columns). A cell may
// contain several lines; a row never splits across pages.
func (d *Doc) Table(headers []string, rows [][]string, widths []float64) {
	cols := len(headers)
	if len(widths) != cols {
		widths = make([]float64, cols)
		for i := range widths {
			widths[i] = 1 / float64(cols)
		}
	}
	w := make([]float64, cols)
	for i, f := range widths {
		w[i] = f * d.width
	}
	d.row(headers, w, true)
	for _, r := range rows {
		d.row(r, w, false)
	}
	d.f.Ln(3)
}

const lineHeight = 5

func (d *Doc) row(cells []string, w []float64, head bool) {
	style := ""
	if head {
		style = "B"
	}
	d.f.SetFont(family, style, 9)
	lines := 1
	split := make([][]string, len(w))
	for i := range w {
		text := ""
		if i < len(cells) {
			text = cells[i]
		}
		split[i] = d.f.SplitText(text, w[i]-2)
		lines = max(lines, len(split[i]))
	}
	h := float64(lines) * lineHeight
	_, pageH := d.f.GetPageSize()
	if d.f.GetY()+h > pageH-20 {
		d.f.AddPage()
	}
	x, y := d.f.GetXY()
	for i, width := range w {
		if head {
			d.f.SetFillColor(230, 230, 230)
		}
		d.f.Rect(x, y, width, h, map[bool]string{true: "FD", false: "D"}[head])
		d.f.SetXY(x+1, y)
		d.f.MultiCell(width-2, lineHeight, strings.Join(split[i], "\n"), "", "L", false)
		x += width
	}
	d.f.SetXY(d.f.GetX(), y+h)
	d.f.SetX(20)
}

// Image draws a PNG (a chart, a logo) the width of the page or w
// millimetres wide, keeping its proportions.
func (d *Doc) Image(name string, png []byte, w float64) {
	if w <= 0 || w > d.width {
		w = d.width
	}
	opt := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
	d.f.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
	d.f.ImageOptions(name, d.f.GetX(), d.f.GetY(), w, 0, true, opt, 0, "")
	d.f.Ln(2)
}

// NewPage starts a new page.
func (d *Doc) NewPage() { d.f.AddPage() }

// Bytes finishes the document and returns it.
func (d *Doc) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// Fpdf gives the underlying document, for drawings the helpers do not
// offer (the charts of the activity report). Use the helpers first.
func (d *Doc) Fpdf() *fpdf.Fpdf { return d.f }
