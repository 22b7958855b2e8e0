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
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// Table is a file read: its header cells and its data rows.
type Table struct {
	Format   string // "csv" or "xlsx"
	Encoding string // "utf-8", "utf-8 (BOM)", "windows-1252", "utf-16" for CSV
	Header   []string
	Rows     []Row
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
		return fmt.Sprintf("ligne %d, colonne %d : %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("ligne %d : %s", e.Line, e.Message)
	}
	return e.Message
}

// Read reads a CSV or XLSX table of at most limit bytes from r. The first
// non-empty line is the header; entirely blank rows are skipped.
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
		return fmt.Sprintf("%d Mo", n>>20)
	}
	return fmt.Sprintf("%d Ko", (n+1023)>>10)
}

// decode turns the bytes of a CSV file into text: UTF-16 when it starts
// with a UTF-16 byte order mark (Excel's "Unicode text"), UTF-8 when the
// bytes are valid UTF-8 (a BOM is dropped), otherwise Windows-1252, the
// encoding of French Excel's "CSV (separator: semicolon)". A file holding
// NUL bytes, or control characters no text file has, is refused as binary.
func decode(data []byte) (string, string, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", "", &Error{Message: "le fichier UTF-16 est abîmé : enregistrez-le en « CSV UTF-8 »"}
		}
		return strings.TrimPrefix(string(out), "\uFEFF"), "utf-16", checkText(string(out))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", &Error{Message: "ce fichier n’est ni un CSV ni un classeur XLSX (contenu binaire) : enregistrez-le en « CSV UTF-8 » ou en XLSX"}
	}
	if utf8.Valid(data) {
		if rest, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF")); ok {
			return string(rest), "utf-8 (BOM)", checkText(string(rest))
		}
		return string(data), "utf-8", checkText(string(data))
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", &Error{Message: "encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 »"}
	}
	return string(out), "windows-1252", checkText(string(out))
}

// checkText refuses control characters other than tab and line breaks: a
// text file does not hold them, a mis-detected binary file does.
func checkText(s string) error {
	line := 1
	for _, r := range s {
		if r == '\n' {
			line++
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return &Error{Line: line, Message: "caractère de contrôle inattendu : ce fichier n’est pas un CSV texte (enregistrez-le en « CSV UTF-8 » ou en XLSX)"}
		}
	}
	return nil
}

// separator guesses the separator from the header line: the most frequent
// of semicolon, comma and tab outside quotes.
func separator(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func readCSV(text, enc string) (Table, error) {
	rd := csv.NewReader(strings.NewReader(text))
	rd.Comma = separator(text)
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = false
	t := Table{Format: "csv", Encoding: enc}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Table{}, &Error{Line: pe.Line, Column: pe.Column, Message: csvMessage(pe.Err)}
			}
			return Table{}, err
		}
		line, _ := rd.FieldPos(0)
		if !t.add(line, rec) {
			continue
		}
	}
	return t, t.check()
}

func csvMessage(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "guillemet en trop dans une cellule (doublez les guillemets à l’intérieur d’une cellule entre guillemets)"
	case errors.Is(err, csv.ErrBareQuote):
		return "guillemet inattendu dans une cellule non entourée de guillemets"
	}
	return err.Error()
}

// add appends a record read at line, the first non-blank one becoming the
// header; it reports whether the record was kept.
func (t *Table) add(line int, cells []string) bool {
	row := Row{Line: line, Cells: cells}
	if row.Blank() {
		return false
	}
	for i, c := range cells {
		cells[i] = Unneutralise(norm.NFC.String(c))
	}
	if t.Header == nil {
		t.Header = cells
		return true
	}
	t.Rows = append(t.Rows, row)
	return true
}

func (t *Table) check() error {
	if t.Header == nil {
		return &Error{Message: "le fichier est vide"}
	}
	return nil
}

func readXLSX(data []byte) (Table, error) {
	if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
		return Table{}, &Error{Message: "ce fichier ressemble à une archive ZIP abîmée, pas à un classeur XLSX lisible"}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return Table{}, &Error{Message: "classeur XLSX illisible : " + err.Error()}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Table{}, &Error{Message: "le classeur n’a aucune feuille"}
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: false})
	if err != nil {
		return Table{}, &Error{Message: "feuille " + sheets[0] + " illisible : " + err.Error()}
	}
	t := Table{Format: "xlsx"}
	for i, cells := range rows {
		t.add(i+1, cells)
	}
	return t, t.check()
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
