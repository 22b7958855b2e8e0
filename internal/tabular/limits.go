package tabular

import (
	"fmt"
	"unicode/utf8"

	"vivier/internal/fr"
)

// The limits of a file read, whatever its size in bytes: a spreadsheet
// that unzips to gigabytes (an « archive bomb »), a header of 200,000
// columns or a 10 MB cell are refused with a message instead of exhausting
// the memory or flooding the error report.
const (
	MaxRows      = 500_000  // data rows
	MaxColumns   = 500      // cells of the header, and of any row
	MaxCellBytes = 32 << 10 // bytes of one cell
	// MaxUnzipped bounds what an XLSX workbook may unzip to, all its parts
	// together, and MaxPart one part (a sheet, the shared strings), as
	// their headers declare (archive/zip refuses a part that unzips to more
	// than it declared).
	MaxUnzipped = 256 << 20
	MaxPart     = 128 << 20
	// MaxQuoted is the length at which a value quoted in a message is cut.
	MaxQuoted = 80
)

// Quote quotes a cell's value for a message, « like this », cut to
// MaxQuoted characters: a report must stay readable whatever the file holds.
func Quote(s string) string {
	return "«\u00a0" + Cut(s, MaxQuoted) + "\u00a0»"
}

// Cut shortens s to at most n characters, marking the cut with « … ».
func Cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func tooManyRows() *Error {
	return &Error{Message: "le fichier a plus de " + fr.Int(MaxRows) + " lignes : découpez-le en plusieurs fichiers"}
}

func tooManyColumns(line, n int) *Error {
	return &Error{Line: line, Message: fr.Int(int64(n)) + " colonnes, au plus " + fr.Int(MaxColumns) + " sont admises"}
}

func cellTooLarge(line, column int) *Error {
	return &Error{Line: line, Column: column, Message: fmt.Sprintf("cellule de plus de %d Ko : raccourcissez-la", MaxCellBytes>>10)}
}

// checkRecord applies the limits to one record read at line.
func checkRecord(line int, cells []string) *Error {
	if len(cells) > MaxColumns {
		return tooManyColumns(line, len(cells))
	}
	for i, c := range cells {
		if len(c) > MaxCellBytes {
			return cellTooLarge(line, i+1)
		}
	}
	return nil
}
