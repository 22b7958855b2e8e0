package tabular

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads the first sheet of a workbook, row by row. Before anything
// is unzipped, the sizes the archive declares for its parts are checked
// against MaxPart and MaxUnzipped (a part cannot unzip to more than it
// declares: archive/zip refuses it), so that a bomb — a few megabytes that
// unzip to gigabytes of shared strings — is refused at once, in a few
// kilobytes of memory. excelize then gets the same limits and a temporary
// folder of its own, removed when the reading ends, whatever happened: a
// failed reading leaves no temporary file behind.
func readXLSX(data []byte) (Table, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Table{}, &Error{Message: "ce fichier ressemble à une archive ZIP abîmée, pas à un classeur XLSX lisible"}
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxPart || total > MaxUnzipped {
			return Table{}, &Error{Message: fmt.Sprintf("le classeur se décompresse en plus de %s (partie %s) : ce n’est pas un tableau d’experts ; enregistrez-le en CSV ou découpez-le",
				Size(MaxUnzipped), Cut(f.Name, MaxQuoted))}
		}
	}
	tmp, err := os.MkdirTemp("", "vivier-xlsx-")
	if err != nil {
		return Table{}, fmt.Errorf("temporary folder for the workbook: %w", err)
	}
	defer os.RemoveAll(tmp)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: 16 << 20, TmpDir: tmp})
	if f != nil {
		defer f.Close()
	}
	if err != nil {
		return Table{}, &Error{Message: "classeur XLSX illisible : " + Cut(err.Error(), 200)}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Table{}, &Error{Message: "le classeur n’a aucune feuille"}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return Table{}, &Error{Message: "feuille " + Quote(sheets[0]) + " illisible : " + Cut(err.Error(), 200)}
	}
	defer rows.Close()
	t := Table{Format: "xlsx"}
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns()
		if err != nil {
			return Table{}, &Error{Line: line, Message: "ligne illisible : " + Cut(err.Error(), 200)}
		}
		if e := t.add(line, trimTrailing(cells)); e != nil {
			return Table{}, e
		}
	}
	if err := rows.Error(); err != nil {
		return Table{}, &Error{Message: "feuille " + Quote(sheets[0]) + " illisible : " + Cut(err.Error(), 200)}
	}
	return t, t.check()
}

// trimTrailing drops the empty cells at the end of a row, which
// spreadsheets keep for formatted but empty columns.
func trimTrailing(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}
