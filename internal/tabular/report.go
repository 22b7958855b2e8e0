package tabular

import (
	"fmt"
	"strings"

	"vivier/internal/fr"
)

// RowError is one bad line or cell of an imported file: what and where, in
// French (« ligne 4, colonne budget : … »). Every import reports its errors
// with it, so that pages, the API and the command line show them alike.
type RowError struct {
	Line    int    `json:"line"`   // 0 for the whole file (a missing column…)
	Column  string `json:"column"` // the file's column name, "" when none
	Message string `json:"message"`
}

func (e RowError) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("ligne %s, colonne %s : %s", fr.Int(int64(e.Line)), e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("ligne %s : %s", fr.Int(int64(e.Line)), e.Message)
	case e.Column != "":
		return fmt.Sprintf("colonne %s : %s", e.Column, e.Message)
	}
	return e.Message
}

// MaxReportedErrors is how many errors a report lists; the others are
// counted. A file with a header of thousands of unknown columns, or a
// column wrong on every line, makes a report one can read, not a page of
// megabytes.
const MaxReportedErrors = 100

// ImportError refuses a whole file: its bad lines and cells (the first
// MaxReportedErrors, and the count of the others); nothing was written.
type ImportError struct {
	Errors []RowError
	More   int // errors beyond those listed
}

// Refuse returns the ImportError of errs, keeping the first
// MaxReportedErrors.
func Refuse(errs []RowError) *ImportError {
	if len(errs) <= MaxReportedErrors {
		return &ImportError{Errors: errs}
	}
	return &ImportError{Errors: errs[:MaxReportedErrors:MaxReportedErrors], More: len(errs) - MaxReportedErrors}
}

// Total is the number of errors of the file.
func (e *ImportError) Total() int { return len(e.Errors) + e.More }

// Error lists the first twenty errors on one line, and counts the others.
func (e *ImportError) Error() string {
	const shown = 20
	var b strings.Builder
	fmt.Fprintf(&b, "fichier refusé, rien n’a été importé (%s erreur%s) : ", fr.Int(int64(e.Total())), plural(e.Total()))
	for i, re := range e.Errors {
		if i == shown {
			break
		}
		if i > 0 {
			b.WriteString(" ; ")
		}
		b.WriteString(re.Error())
	}
	if rest := e.Total() - min(shown, len(e.Errors)); rest > 0 {
		fmt.Fprintf(&b, " ; … et %s autre%s", fr.Int(int64(rest)), plural(rest))
	}
	return b.String()
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
