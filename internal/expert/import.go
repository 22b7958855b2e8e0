package expert

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"vivier/internal/access"
	"vivier/internal/search"
	"vivier/internal/store"
	"vivier/internal/tabular"
)

// Size limits of an imported experts file: the command line takes large
// files, the web upload a bounded body.
const (
	MaxImportSize    = 200 << 20 // vivier import experts
	MaxWebImportSize = 20 << 20  // the coordinators' upload page
)

// ImportOptions tune Import and Preview.
type ImportOptions struct {
	Limit    int64 // largest file accepted in bytes; MaxImportSize when 0
	Progress func(done, total int)
}

// Change says what importing a row does.
type Change string

// The changes of a row.
const (
	Created   Change = "created"
	Updated   Change = "updated"
	Unchanged Change = "unchanged"
)

// ImportRow is a valid row of a previewed file.
type ImportRow struct {
	Line    int     `json:"line"`
	Profile Profile `json:"profile"`
	Status  Status  `json:"status"` // after the import
	Change  Change  `json:"change"`
}

// Report tells what an import did, or would do (Preview).
type Report struct {
	Format    string      `json:"format"`   // csv or xlsx
	Encoding  string      `json:"encoding"` // of a CSV file
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Rows      []ImportRow `json:"rows,omitempty"` // Preview only
	Errors    []RowError  `json:"errors"`
}

// ImportError refuses a file: every bad row and column, nothing written.
type ImportError struct{ Errors []RowError }

func (e *ImportError) Error() string {
	const shown = 20
	var b strings.Builder
	fmt.Fprintf(&b, "fichier refusé, rien n’a été importé (%d erreur%s) : ", len(e.Errors), plural(len(e.Errors)))
	for i, re := range e.Errors {
		if i == shown {
			fmt.Fprintf(&b, " ; … et %d autres", len(e.Errors)-shown)
			break
		}
		if i > 0 {
			b.WriteString(" ; ")
		}
		b.WriteString(re.Error())
	}
	return b.String()
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// Preview reads and checks a file as Import would, without writing: the
// upload page shows the rows, what each would change and every error, then
// asks to confirm.
func (s *Service) Preview(ctx context.Context, r io.Reader, opts ImportOptions, actor access.Actor) (Report, error) {
	if err := staffOnly(actor); err != nil {
		return Report{}, err
	}
	var rep Report
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		plan, err := s.plan(ctx, tx, r, opts)
		rep = plan.report
		rep.Rows = plan.rows
		if err != nil {
			return err
		}
		return errRollback
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return rep, err
}

var errRollback = errors.New("preview: roll back")

// Import reads an experts file (CSV or XLSX, see package tabular) and
// upserts every row on its reference, all in one transaction. When any row
// is bad nothing is written and the error is an *ImportError listing every
// bad row and column; the report then holds the same errors.
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions, actor access.Actor) (Report, error) {
	if err := staffOnly(actor); err != nil {
		return Report{}, err
	}
	var rep Report
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		plan, err := s.plan(ctx, tx, r, opts)
		rep = plan.report
		if err != nil {
			return err
		}
		return s.apply(ctx, tx, plan, opts, actor)
	})
	if err != nil {
		rep.Created, rep.Updated, rep.Unchanged = 0, 0, 0
		return rep, err
	}
	if rep.Created+rep.Updated > 1000 {
		if err := s.dialect.Analyze(ctx, s.db, "experts", "expert_skills", "expert_zones", "expert_availability", "expert_spans", "expert_search"); err != nil {
			return rep, fmt.Errorf("imported, but refreshing statistics failed: %w", err)
		}
	}
	return rep, nil
}

// plan is a checked file: the rows to write and the stored experts they
// update.
type plan struct {
	report Report
	rows   []ImportRow
	old    map[string]*Expert // by reference
	c      checker
}

// plan reads and checks the file within tx, so that the checks against
// stored experts hold when the writes follow.
func (s *Service) plan(ctx context.Context, tx *sql.Tx, r io.Reader, opts ImportOptions) (plan, error) {
	var p plan
	limit := opts.Limit
	if limit == 0 {
		limit = MaxImportSize
	}
	t, err := tabular.Read(r, limit)
	if err != nil {
		var te *tabular.Error
		if errors.As(err, &te) {
			p.report.Errors = []RowError{{Line: te.Line, Message: te.Message}}
			return p, &ImportError{Errors: p.report.Errors}
		}
		return p, err
	}
	p.report.Format, p.report.Encoding = t.Format, t.Encoding
	l, errs := readLayout(t.Header)
	if len(errs) > 0 {
		p.report.Errors = errs
		return p, &ImportError{Errors: errs}
	}
	if p.c, err = s.checker(ctx, tx); err != nil {
		return p, err
	}
	owners, err := emailOwners(ctx, tx)
	if err != nil {
		return p, err
	}
	refs := make([]string, 0, len(t.Rows))
	for _, row := range t.Rows {
		refs = append(refs, l.cell(row, "reference"))
	}
	if p.old, err = loadByReference(ctx, tx, refs); err != nil {
		return p, err
	}
	seenRef, seenEmail := map[string]int{}, map[string]int{}
	for _, row := range t.Rows {
		errs = append(errs, p.check(l, row, owners, seenRef, seenEmail)...)
	}
	p.report.Errors = errs
	if len(errs) > 0 {
		return p, &ImportError{Errors: errs}
	}
	if p.report.Errors == nil {
		p.report.Errors = []RowError{}
	}
	return p, nil
}

// check parses and validates one row, appending it to the plan when valid.
func (p *plan) check(l layout, row tabular.Row, owners map[string]string, seenRef, seenEmail map[string]int) []RowError {
	ref := l.cell(row, "reference")
	old := p.old[ref]
	var base Profile
	if old != nil {
		base = old.Profile
	}
	fr, errs := l.parseRow(row, base)
	if ref == "" {
		errs = append(errs, RowError{Line: row.Line, Column: "reference", Message: "référence vide : chaque expert a une référence stable"})
	}
	prof, verrs := p.c.normalise(fr.profile)
	for _, fe := range verrs {
		if fe.Field == "reference" && ref == "" {
			continue
		}
		errs = append(errs, RowError{Line: row.Line, Column: columnOf(fe.Field), Message: fe.Message})
	}
	if first, dup := seenRef[ref]; dup && ref != "" {
		errs = append(errs, RowError{Line: row.Line, Column: "reference", Message: fmt.Sprintf("référence %s déjà donnée ligne %d", quoteCell(ref), first)})
	} else {
		seenRef[ref] = row.Line
	}
	if first, dup := seenEmail[prof.Email]; dup && prof.Email != "" {
		errs = append(errs, RowError{Line: row.Line, Column: "email", Message: fmt.Sprintf("adresse %s déjà donnée ligne %d", prof.Email, first)})
	} else {
		seenEmail[prof.Email] = row.Line
	}
	if owner, ok := owners[prof.Email]; ok && owner != ref && prof.Email != "" {
		errs = append(errs, RowError{Line: row.Line, Column: "email", Message: fmt.Sprintf("l’adresse %s est déjà celle de l’expert %s", prof.Email, owner)})
	}
	status, msg := importStatus(old, fr.qualify)
	if msg != "" {
		errs = append(errs, RowError{Line: row.Line, Column: "qualifie", Message: msg})
	}
	if len(errs) > 0 {
		return errs
	}
	ir := ImportRow{Line: row.Line, Profile: prof, Status: status, Change: Created}
	switch {
	case old == nil:
		p.report.Created++
	case same(old, prof) && status == old.Status:
		ir.Change = Unchanged
		p.report.Unchanged++
	default:
		ir.Change = Updated
		p.report.Updated++
	}
	p.rows = append(p.rows, ir)
	return nil
}

// importStatus is the status after importing a row: "oui" qualifies a
// candidate or a suspended expert; "non" makes a new expert a candidate and
// leaves a stored one as it is, except that it may not withdraw a
// qualification silently (the coordinator suspends or archives on the
// expert's page, with a reason). An archived expert is reactivated on its
// page, not by a file.
func importStatus(old *Expert, qualify *bool) (Status, string) {
	want := qualify != nil && *qualify
	switch {
	case old == nil && want:
		return Qualified, ""
	case old == nil:
		return Candidate, ""
	case qualify == nil:
		return old.Status, ""
	case want && old.Status == Archived:
		return old.Status, "cet expert est archivé : réactivez-le sur sa fiche avant de le qualifier"
	case want:
		return Qualified, ""
	case old.Status == Qualified:
		return old.Status, "cet expert est qualifié : pour lui retirer sa qualification, suspendez-le ou archivez-le sur sa fiche, avec un motif"
	}
	return old.Status, ""
}

// apply writes the planned rows.
func (s *Service) apply(ctx context.Context, tx *sql.Tx, p plan, opts ImportOptions, actor access.Actor) error {
	w, err := s.newWriter(ctx, tx, p.c, actor, "import")
	if err != nil {
		return err
	}
	defer w.close()
	w.bulk = true
	w.documents = documents(p)
	if len(p.rows) > 1000 {
		defer s.dialect.BulkWrite(ctx, tx)()
	}
	for i, row := range p.rows {
		old := p.old[row.Profile.Reference]
		switch {
		case row.Change == Unchanged:
		case old == nil:
			if _, err := w.save(nil, row.Profile, row.Status, "import"); err != nil {
				return err
			}
		default:
			if _, err := w.save(old, row.Profile, old.Status, ""); err != nil {
				return err
			}
			if row.Status != old.Status {
				if err := s.move(ctx, tx, old.ID, old.Status, row.Status, "import", actor, "import"); err != nil {
					return err
				}
			}
		}
		if opts.Progress != nil && (i%500 == 499 || i == len(p.rows)-1) {
			opts.Progress(i+1, len(p.rows))
		}
	}
	return w.flush()
}

// documents computes the search documents of the rows to write on every
// core: French stemming is the import's main cost outside the database.
func documents(p plan) map[string]string {
	docs := make([]string, len(p.rows))
	workers := min(runtime.GOMAXPROCS(0), 8)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < len(p.rows); i += workers {
				if p.rows[i].Change != Unchanged {
					docs[i] = search.Document(documentParts(p.c, p.rows[i].Profile)...)
				}
			}
		}()
	}
	wg.Wait()
	out := make(map[string]string, len(docs))
	for i, r := range p.rows {
		if r.Change != Unchanged {
			out[r.Profile.Reference] = docs[i]
		}
	}
	return out
}

// emailOwners maps every stored email to its expert's reference.
func emailOwners(ctx context.Context, q store.Querier) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT email, reference FROM experts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var email, ref string
		if err := rows.Scan(&email, &ref); err != nil {
			return nil, err
		}
		m[email] = ref
	}
	return m, rows.Err()
}

// loadByReference loads the stored experts among refs, by reference.
func loadByReference(ctx context.Context, q store.Querier, refs []string) (map[string]*Expert, error) {
	ids, err := idsByReference(ctx, q)
	if err != nil {
		return nil, err
	}
	var want []string
	for _, r := range refs {
		if id, ok := ids[r]; ok {
			want = append(want, strconv.FormatInt(id, 10))
		}
	}
	out := map[string]*Expert{}
	const chunk = 500
	for len(want) > 0 {
		n := min(chunk, len(want))
		// ids are integers read from the database: safe to inline.
		list, err := load(ctx, q, `e.id IN (`+strings.Join(want[:n], ", ")+`)`)
		if err != nil {
			return nil, err
		}
		for i := range list {
			out[list[i].Reference] = &list[i]
		}
		want = want[n:]
	}
	return out, nil
}

func idsByReference(ctx context.Context, q store.Querier) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT reference, id FROM experts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var ref string
		var id int64
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, err
		}
		m[ref] = id
	}
	return m, rows.Err()
}

// Export writes every expert, by reference, in format "csv" (UTF-8, comma)
// or "xlsx", with the columns Import reads, formula-like cells neutralised;
// it returns how many experts it wrote.
func (s *Service) Export(ctx context.Context, w io.Writer, format string, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	list, err := load(ctx, s.db, `TRUE`)
	if err != nil {
		return 0, err
	}
	rows := make([][]string, len(list))
	for i, e := range list {
		rows[i] = record(e)
	}
	sortRows(rows)
	switch format {
	case "csv", "":
		return len(rows), tabular.WriteCSV(w, Columns, rows)
	case "xlsx":
		return len(rows), tabular.WriteXLSX(w, "experts", Columns, rows)
	}
	return 0, fmt.Errorf("format %q: want csv or xlsx", format)
}

func sortRows(rows [][]string) {
	slices.SortFunc(rows, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
}
