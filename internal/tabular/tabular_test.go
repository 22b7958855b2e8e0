package tabular

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func TestReadDetectsEncodingAndSeparator(t *testing.T) {
	cp1252, _ := charmap.Windows1252.NewEncoder().String("nom;prénom\r\nLefèvre;Hélène\r\n")
	tests := []struct {
		name, data, encoding string
		want                 []string
	}{
		{"utf-8 comma", "nom,prénom\nLefèvre,Hélène\n", "utf-8", []string{"Lefèvre", "Hélène"}},
		{"utf-8 BOM semicolon", "\xEF\xBB\xBFnom;prénom\nLefèvre;Hélène\n", "utf-8 (BOM)", []string{"Lefèvre", "Hélène"}},
		{"windows-1252", cp1252, "windows-1252", []string{"Lefèvre", "Hélène"}},
		{"tab", "nom\tprénom\nDa Silva\tJoão\n", "utf-8", []string{"Da Silva", "João"}},
		{"quoted separators and line breaks", "nom,bio\n\"Martin, Paul\",\"ligne 1\nligne 2\"\n", "utf-8", []string{"Martin, Paul", "ligne 1\nligne 2"}},
		{"neutralised cells", "nom,tel\n'=SUM(A1),'+33 6\n", "utf-8", []string{"=SUM(A1)", "+33 6"}},
		{"decomposed accents become composed", "nom\nLefe\u0300vre\n", "utf-8", []string{"Lefèvre"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Read(strings.NewReader(tt.data), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tt.encoding || len(tab.Rows) != 1 || !slices.Equal(tab.Rows[0].Cells, tt.want) || tab.Rows[0].Line != 2 {
				t.Errorf("got %+v", tab)
			}
		})
	}
}

func TestReadRefusesWhatIsNotATable(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"binary", "\x00\x01\x02", "contenu binaire"},
		{"control characters", "nom\nab\x01cd\n", "ligne 2 : caractère de contrôle"},
		{"too large", strings.Repeat("x", 2000), "dépasse la taille admise (2 Ko)"},
		{"bare quote", "nom,bio\nMartin,il a dit \"oui\"\n", "ligne 2, colonne"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.data), 2000-1)
			var te *Error
			if !errors.As(err, &te) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestWrittenFilesReadBackToTheSameValues(t *testing.T) {
	header := []string{"nom", "bio"}
	rows := [][]string{{"=HYPERLINK(\"x\")", "-moins"}, {"'apostrophe", "@arobase\nsur deux lignes"}, {"Émery", ""}}
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			var err error
			if format == "csv" {
				err = WriteCSV(&b, header, rows)
			} else {
				err = WriteXLSX(&b, "feuille", header, rows)
			}
			if err != nil {
				t.Fatal(err)
			}
			if format == "csv" && !strings.Contains(b.String(), `"'=HYPERLINK(""x"")",'-moins`) {
				t.Errorf("formula not neutralised:\n%s", b.String())
			}
			tab, err := Read(&b, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != format || len(tab.Rows) != len(rows) {
				t.Fatalf("read %+v", tab)
			}
			for i, r := range tab.Rows {
				got := append(r.Cells, make([]string, 2)...)[:2]
				if !slices.Equal(got, rows[i]) {
					t.Errorf("row %d: %q, want %q", i, got, rows[i])
				}
			}
		})
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{"Expérience (années)": "experience_annees", " PRÉNOM ": "prenom", "E-mail": "e_mail", "employeur_siren": "employeur_siren"} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}
