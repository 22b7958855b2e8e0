package tabular

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRead feeds the reader arbitrary bytes: it never panics, refuses with
// an *Error of bounded length, and what it accepts is within the limits
// and clean text.
func FuzzRead(f *testing.F) {
	var xlsx bytes.Buffer
	WriteXLSX(&xlsx, "experts", []string{"reference", "nom"}, [][]string{{"EXP-1", "Lefèvre"}, {"=1+1", ""}})
	for _, seed := range [][]byte{
		[]byte("nom;prénom\nLefèvre;Hélène\n"),
		[]byte("nom,bio\n\"Martin, Paul\",\"ligne 1\nligne 2\"\n"),
		[]byte("nom;pr\xe9nom\r\nLef\xe8vre;H\xe9l\xe8ne\r\n"),
		[]byte("\xff\xfen\x00o\x00m\x00\n\x00"),
		[]byte("nom;bio\nMartin;\"jamais fermé\n"),
		[]byte("a;b\n1;2;3\n"),
		xlsx.Bytes(),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Read(bytes.NewReader(data), 1<<20)
		if err != nil {
			var te *Error
			if errors.As(err, &te) && len(te.Error()) > 1000 {
				t.Fatalf("a message of %d bytes", len(te.Error()))
			}
			return
		}
		if len(tab.Header) > MaxColumns || len(tab.Rows) > MaxRows || len(tab.Problems) > MaxProblems {
			t.Fatalf("beyond the limits: %d columns, %d rows, %d problems", len(tab.Header), len(tab.Rows), len(tab.Problems))
		}
		for _, row := range append([]Row{{Cells: tab.Header}}, tab.Rows...) {
			for _, c := range row.Cells {
				if len(c) > MaxCellBytes || tab.Format == "csv" && (!utf8.ValidString(c) || strings.IndexByte(c, 0) >= 0) {
					t.Fatalf("a cell of %d bytes, or not clean text: %q", len(c), Cut(c, 40))
				}
			}
		}
	})
}
