package tabular

import (
	"bytes"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"vivier/internal/tabular/tabulartest"
)

// TestArchiveBombsAreRefusedInBoundedMemory reads a workbook of about a
// megabyte whose shared strings unzip to 600 MB: it is refused with a clear
// message, having allocated less than 200 MB in all, and leaves no
// temporary file behind.
func TestArchiveBombsAreRefusedInBoundedMemory(t *testing.T) {
	bomb := tabulartest.Bomb(600 << 20)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Read(bytes.NewReader(bomb), 20<<20)
	runtime.ReadMemStats(&after)
	var te *Error
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "se décompresse en plus de") {
		t.Fatalf("a bomb of %d bytes: %v, want a refusal", len(bomb), err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("refusing the bomb allocated %d MB, want less than 200", alloc>>20)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestHostileCSVIsRefusedWithBoundedMessages(t *testing.T) {
	wide := strings.Repeat("x;", 200_000) + "x\n1\n"
	tests := []struct {
		name, data, want string
		max              int // the longest message accepted
	}{
		{"a UTF-8 file with one stray byte", "nom;prénom\nLefèvre;H\xe9lène\n", "ligne 2 : le fichier est en UTF-8 mais contient un octet invalide : l’octet 0xE9, 11e octet de la ligne (23e du fichier)", 300},
		{"a byte Windows-1252 does not define", "nom\nab\x81\n", "ligne 2 : le fichier n’est ni de l’UTF-8 valide ni du Windows-1252", 300},
		{"an unclosed quote", "nom;bio\nMartin;\"il a dit\nbonjour\nDupont;x\n", "ligne 2 : guillemet ouvert à cette ligne et jamais refermé", 300},
		{"a header of 200,000 columns", wide, "ligne 1 : 200\u202f001 colonnes, au plus 500 sont admises", 300},
		{"a 10 MB cell", "nom;bio\nMartin;" + strings.Repeat("é", 5<<20) + "\n", "ligne 2, colonne 2 : cellule de plus de 32 Ko", 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.data), 20<<20)
			var te *Error
			if !errors.As(err, &te) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %.300v, want %q", err, tt.want)
			}
			if len(err.Error()) > tt.max {
				t.Errorf("a message of %d bytes", len(err.Error()))
			}
		})
	}
}

func TestWindows1252IsStillRead(t *testing.T) {
	tab, err := Read(strings.NewReader("nom;pr\xe9nom\r\nLef\xe8vre;H\xe9l\xe8ne\r\n"), 1<<20)
	if err != nil || tab.Encoding != "windows-1252" || tab.Rows[0].Cells[0] != "Lefèvre" {
		t.Fatalf("%+v %v", tab, err)
	}
}

func TestCellsBeyondTheHeaderAreProblems(t *testing.T) {
	tab, err := Read(strings.NewReader("nom;prénom\nMartin;Paul;en trop\nDurand;Léa;;\n"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Problems) != 1 || tab.Problems[0].Line != 2 || tab.Problems[0].Column != 3 || !strings.Contains(tab.Problems[0].Message, Quote("en trop")) {
		t.Errorf("problems %+v, want one, line 2, column 3 (empty trailing cells are fine)", tab.Problems)
	}
}

func TestQuoteCutsLongValues(t *testing.T) {
	if q := Quote(strings.Repeat("é", 10_000)); len([]rune(q)) != MaxQuoted+4 || !strings.HasSuffix(q, "…\u00a0»") {
		t.Errorf("Quote of 10,000 characters: %d characters", len([]rune(q)))
	}
}

// BenchmarkRefuseArchiveBomb measures the refusal of a workbook of about
// 1.3 MB whose shared strings unzip to 1 GB.
func BenchmarkRefuseArchiveBomb(b *testing.B) {
	bomb := tabulartest.Bomb(1 << 30)
	b.SetBytes(int64(len(bomb)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(bomb), 20<<20); err == nil {
			b.Fatal("the bomb was read")
		}
	}
}
