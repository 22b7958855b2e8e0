package chart

import "codeberg.org/go-pdf/fpdf"

// palette is the colour of each class, the same as the stylesheet's.
var palette = map[string][3]int{
	"c0": {0, 83, 179}, "c1": {225, 0, 15}, "c2": {24, 117, 60}, "c3": {182, 101, 0},
	"c4": {106, 61, 154}, "c5": {0, 121, 140}, "grid": {210, 210, 210},
}

// DrawPDF draws the chart at the current position of f, w millimetres
// wide, in the font family already set on f, and moves below it.
func (c Chart) DrawPDF(f *fpdf.Fpdf, w float64) {
	x0, y0 := f.GetXY()
	k := w / Width
	for _, r := range c.Rects {
		col := palette[r.Class]
		f.SetFillColor(col[0], col[1], col[2])
		f.Rect(x0+r.X*k, y0+r.Y*k, r.W*k, r.H*k, "F")
	}
	for _, l := range c.Lines {
		col := palette[l.Class]
		f.SetDrawColor(col[0], col[1], col[2])
		f.SetLineWidth(0.6)
		for i := 1; i < len(l.Points); i++ {
			a, b := l.Points[i-1], l.Points[i]
			f.Line(x0+a.X*k, y0+a.Y*k, x0+b.X*k, y0+b.Y*k)
		}
	}
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.2)
	size, _ := f.GetFontSize()
	f.SetFontSize(7)
	for _, t := range c.Texts {
		tw := f.GetStringWidth(t.S)
		x := x0 + t.X*k
		switch t.Anchor {
		case "end":
			x -= tw
		case "middle":
			x -= tw / 2
		}
		f.Text(x, y0+t.Y*k, t.S)
	}
	f.SetFontSize(size)
	f.SetXY(x0, y0+c.Height*k+3)
}
