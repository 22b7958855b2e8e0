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
	french "vivier/internal/fr" // the rows below are named fr
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
	Errors    []RowError  `json:"errors"`         // the first MaxReportedErrors
	// MoreErrors counts the errors beyond those listed.
	MoreErrors int `json:"more_errors,omitempty"`
}

// errorList collects a file's errors, keeping the first MaxReportedErrors.
type errorList struct {
	list []RowError
	more int
}

func (l *errorList) add(errs ...RowError) {
	for _, e := range errs {
		if len(l.list) < MaxReportedErrors {
			l.list = append(l.list, e)
		} else {
			l.more++
		}
	}
}

func (l *errorList) empty() bool { return len(l.list) == 0 }

func (l *errorList) err() *ImportError { return &ImportError{Errors: l.list, More: l.more} }

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
	plan, err := s.plan(ctx, r, opts)
	rep := plan.report
	rep.Rows = plan.rows
	return rep, err
}

// ImportBatch is how many rows of a file one write transaction holds.
// The file is read and checked whole before the first write; it is then
// written in transactions of this many rows, so that the writer is free
// between them: on SQLite, where one writer works at a time, a public need
// submitted during a long import waits for the end of a batch, not of the
// import.
const ImportBatch = 1000

// Import reads an experts file (CSV or XLSX, see package tabular), checks
// every row against the stored experts, and only then upserts the rows on
// their reference, in transactions of ImportBatch rows. When any row is bad
// nothing is written and the error is an *ImportError listing the bad rows
// and columns; the report then holds the same errors. Should a write fail
// midway (the database down), the batches before it stay written: the rows
// are upserts, so importing the same file again completes the import.
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions, actor access.Actor) (Report, error) {
	if err := staffOnly(actor); err != nil {
		return Report{}, err
	}
	plan, err := s.plan(ctx, r, opts)
	rep := plan.report
	if err == nil {
		err = s.apply(ctx, plan, opts, actor)
	}
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

// plan reads and checks the whole file against the stored experts, before
// any write transaction opens.
func (s *Service) plan(ctx context.Context, r io.Reader, opts ImportOptions) (plan, error) {
	var p plan
	limit := opts.Limit
	if limit == 0 {
		limit = MaxImportSize
	}
	t, err := tabular.Read(r, limit)
	if err != nil {
		var te *tabular.Error
		if errors.As(err, &te) {
			p.report.Errors = []RowError{{Line: te.Line, Column: columnName(te.Column), Message: te.Message}}
			return p, &ImportError{Errors: p.report.Errors}
		}
		return p, err
	}
	p.report.Format, p.report.Encoding = t.Format, t.Encoding
	var errs errorList
	l, headerErrs := readLayout(t.Header)
	errs.add(headerErrs...)
	if !errs.empty() {
		p.report.Errors, p.report.MoreErrors = errs.list, errs.more
		return p, errs.err()
	}
	for _, pr := range t.Problems {
		errs.add(RowError{Line: pr.Line, Column: columnName(pr.Column), Message: pr.Message})
	}
	errs.more += t.MoreProblems
	if p.c, err = s.checker(ctx, s.db); err != nil {
		return p, err
	}
	owners, err := emailOwners(ctx, s.db)
	if err != nil {
		return p, err
	}
	refs := make([]string, 0, len(t.Rows))
	for _, row := range t.Rows {
		refs = append(refs, l.cell(row, "reference"))
	}
	if p.old, err = loadByReference(ctx, s.db, refs); err != nil {
		return p, err
	}
	seenRef, seenEmail := map[string]int{}, map[string]int{}
	for _, row := range t.Rows {
		errs.add(p.check(l, row, owners, seenRef, seenEmail)...)
	}
	p.report.Errors, p.report.MoreErrors = errs.list, errs.more
	if !errs.empty() {
		return p, errs.err()
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
		errs = append(errs, RowError{Line: row.Line, Column: "reference", Message: fmt.Sprintf("référence %s déjà donnée ligne %s", tabular.Quote(ref), french.Int(int64(first)))})
	} else {
		seenRef[ref] = row.Line
	}
	if first, dup := seenEmail[prof.Email]; dup && prof.Email != "" {
		errs = append(errs, RowError{Line: row.Line, Column: "email", Message: fmt.Sprintf("adresse %s déjà donnée ligne %s", prof.Email, french.Int(int64(first)))})
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

// apply writes the planned rows, ImportBatch rows per transaction.
func (s *Service) apply(ctx context.Context, p plan, opts ImportOptions, actor access.Actor) error {
	docs := documents(p)
	for start := 0; start < len(p.rows); start += ImportBatch {
		batch := p.rows[start:min(start+ImportBatch, len(p.rows))]
		err := s.db.Tx(ctx, func(tx *sql.Tx) error { return s.applyBatch(ctx, tx, p, batch, docs, actor) })
		if err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(start+len(batch), len(p.rows))
		}
	}
	return nil
}

// applyBatch writes rows of the plan within tx.
func (s *Service) applyBatch(ctx context.Context, tx *sql.Tx, p plan, rows []ImportRow, docs map[string]string, actor access.Actor) error {
	w, err := s.newWriter(ctx, tx, p.c, actor, "import")
	if err != nil {
		return err
	}
	defer w.close()
	w.bulk = true
	w.documents = docs
	if len(rows) >= ImportBatch {
		defer s.dialect.BulkWrite(ctx, tx)()
	}
	for _, row := range rows {
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

// ImportError refuses a whole file, nothing written (see package tabular).
type ImportError = tabular.ImportError

// MaxReportedErrors is how many errors a report lists; the others are counted.
const MaxReportedErrors = tabular.MaxReportedErrors
