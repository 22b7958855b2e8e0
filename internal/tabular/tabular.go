// Package tabular reads and writes the spreadsheets people exchange with
// Vivier: CSV files as French Excel and LibreOffice save them (comma,
// semicolon or tab separated; UTF-8 with or without BOM, Windows-1252 or
// UTF-16) and XLSX workbooks, recognised by their content rather than their
// name. It knows nothing of experts: it turns a file into a header and rows
// with their line numbers, and back.
//
// Cells that a spreadsheet would run as a formula (starting with =, +, -,
// @, a tab or a carriage return) are neutralised on writing by a leading
// apostrophe, and Read removes that apostrophe again, so a written file
// reads back to the same values.
package tabular

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"vivier/internal/fr"
)

// Table is a file read: its header cells and its data rows.
type Table struct {
	Format   string // "csv" or "xlsx"
	Encoding string // "utf-8", "utf-8 (BOM)", "windows-1252", "utf-16" for CSV
	Header   []string
	Rows     []Row
	// Problems are the rows that cannot be right whatever they mean — more
	// filled cells than the header has columns —, each with its line; the
	// caller reports them with its own checks of the rows' values.
	Problems     []Error
	MoreProblems int // beyond the MaxProblems kept
}

// Row is one data row and the line (CSV) or spreadsheet row (XLSX) it
// came from, counting the header as line 1.
type Row struct {
	Line  int
	Cells []string
}

// Cell returns the cell in column i, "" when the row is shorter.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// Blank reports whether every cell of r is empty or spaces.
func (r Row) Blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Error is a file that cannot be read as a table, in French, with the line
// and column when known.
type Error struct {
	Line    int // 0 when the whole file is at fault
	Column  int // 1-based character column, 0 when unknown
	Message string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return "ligne " + fr.Int(int64(e.Line)) + ", colonne " + fr.Int(int64(e.Column)) + " : " + e.Message
	case e.Line > 0:
		return "ligne " + fr.Int(int64(e.Line)) + " : " + e.Message
	}
	return e.Message
}

// Read reads a CSV or XLSX table of at most limit bytes from r. The first
// non-empty line is the header; entirely blank rows are skipped. A file
// beyond the limits (see MaxRows…) is refused as a whole with an *Error.
func Read(r io.Reader, limit int64) (Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Table{}, fmt.Errorf("read file: %w", err)
	}
	if int64(len(data)) > limit {
		return Table{}, &Error{Message: fmt.Sprintf("le fichier dépasse la taille admise (%s) : découpez-le en plusieurs fichiers", Size(limit))}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Table{}, &Error{Message: "le fichier est vide"}
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readXLSX(data)
	}
	text, enc, err := decode(data)
	if err != nil {
		return Table{}, err
	}
	return readCSV(text, enc)
}

// Size writes a byte count in French: "20 Mo".
func Size(n int64) string {
	if n >= 1<<20 {
		return fr.Int(n>>20) + " Mo"
	}
	return fr.Int((n+1023)>>10) + " Ko"
}

// Neutralise prefixes with an apostrophe a cell that a spreadsheet would
// read as a formula (=, +, -, @, tab, carriage return) — and a cell that
// already starts with an apostrophe, so that Unneutralise gives it back.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Unneutralise undoes Neutralise: one leading apostrophe is removed.
func Unneutralise(s string) string {
	return strings.TrimPrefix(s, "'")
}

// WriteCSV writes header and rows as UTF-8 CSV with commas, neutralising
// formula-like cells.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(neutraliseAll(header)); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(neutraliseAll(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes header and rows as a one-sheet XLSX workbook, every cell
// as text (no number or date guessing), formula-like cells neutralised.
func WriteXLSX(w io.Writer, sheet string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	write := func(i int, cells []string) error {
		vals := make([]any, len(cells))
		for j, c := range neutraliseAll(cells) {
			vals[j] = excelize.Cell{Value: c}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		return sw.SetRow(cell, vals)
	}
	if err := write(0, header); err != nil {
		return err
	}
	for i, r := range rows {
		if err := write(i+1, r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func neutraliseAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Neutralise(c)
	}
	return out
}

// Key normalises a header for matching: lower case, accents removed,
// spaces, hyphens and apostrophes turned into underscores, so that
// "Expérience (années)", "experience_annees" and " EXPERIENCE ANNEES " meet.
func Key(header string) string {
	var b strings.Builder
	under := false
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(header))) {
		switch {
		case r >= 0x300 && r <= 0x36f:
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		default:
			under = true
		}
	}
	return b.String()
}
