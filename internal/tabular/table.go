package tabular

import (
	"fmt"

	"golang.org/x/text/unicode/norm"
)

// MaxProblems is how many row problems a Table keeps; the others are only
// counted (MoreProblems), so that a report stays readable.
const MaxProblems = 100

// add appends a record read at line, the first non-blank one becoming the
// header. A record beyond the limits stops the reading (the *Error); a row
// with filled cells beyond the header's columns is a problem of the table.
func (t *Table) add(line int, cells []string) *Error {
	if e := checkRecord(line, cells); e != nil {
		return e
	}
	row := Row{Line: line, Cells: cells}
	if row.Blank() {
		return nil
	}
	for i, c := range cells {
		cells[i] = Unneutralise(norm.NFC.String(c))
	}
	if t.Header == nil {
		t.Header = cells
		return nil
	}
	if len(t.Rows) >= MaxRows {
		return tooManyRows()
	}
	for i := len(t.Header); i < len(cells); i++ {
		if cells[i] != "" {
			t.problem(Error{Line: line, Column: i + 1, Message: fmt.Sprintf(
				"cellule %s au-delà des %d colonnes de l’en-tête : ajoutez son en-tête ou retirez-la", Quote(cells[i]), len(t.Header))})
			break
		}
	}
	t.Rows = append(t.Rows, row)
	return nil
}

func (t *Table) problem(e Error) {
	if len(t.Problems) < MaxProblems {
		t.Problems = append(t.Problems, e)
		return
	}
	t.MoreProblems++
}

func (t *Table) check() error {
	if t.Header == nil {
		return &Error{Message: "le fichier est vide"}
	}
	return nil
}
