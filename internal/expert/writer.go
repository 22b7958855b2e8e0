package expert

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/search"
	"vivier/internal/store"
)

// writer saves profiles within one transaction. The experts row is written
// at once (its id is needed); zones, skills, periods, search documents and
// status history go through multi-row batches, which is what lets a file of
// 100,000 experts import in seconds. The same path serves a single form
// save, so both are tested together.
type writer struct {
	ctx       context.Context
	tx        *sql.Tx
	c         checker
	now       time.Time
	actor     access.Actor
	actorName string
	source    string // "form", "import"…, written in audit details

	// bulk writers (imports) insert new experts by batches.
	bulk      bool
	documents map[string]string // search documents computed ahead, by reference
	pending   []pending
	experts   *batch

	insert, update *sql.Stmt
	insertMany     *sql.Stmt // a full batch of new experts
	deletes        []*sql.Stmt
	zones, skills  *batch
	periods, docs  *batch
	spans          *batch
	history        *batch
	audit          *batch // the audit entries of the saves
}

const expertColumns = `reference, first_name, last_name, email, phone, employment, employer_siren, commune,
	daily_rate, experience_years, languages, bio, sort_name, home_departement, updated_at`

func (s *Service) newWriter(ctx context.Context, tx *sql.Tx, c checker, actor access.Actor, source string) (*writer, error) {
	name, err := audit.ActorName(ctx, tx, actor, source)
	if err != nil {
		return nil, err
	}
	w := &writer{ctx: ctx, tx: tx, c: c, now: s.now(), actor: actor, actorName: name, source: source}
	if w.insert, err = tx.PrepareContext(ctx, `INSERT INTO experts (`+expertColumns+`, status, created_at, archived_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`); err != nil {
		return nil, err
	}
	if w.update, err = tx.PrepareContext(ctx, `UPDATE experts SET (`+expertColumns+`)
		= ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) WHERE id = $16`); err != nil {
		w.close()
		return nil, err
	}
	for _, table := range []string{"expert_zones", "expert_skills", "expert_availability", "expert_spans", "expert_search"} {
		st, err := tx.PrepareContext(ctx, `DELETE FROM `+table+` WHERE expert_id = $1`)
		if err != nil {
			w.close()
			return nil, err
		}
		w.deletes = append(w.deletes, st)
	}
	w.experts = newBatch(tx, s.dialect, "experts", expertColumns+", status, created_at, archived_at")
	w.zones = newBatch(tx, s.dialect, "expert_zones", "expert_id, zone")
	w.skills = newBatch(tx, s.dialect, "expert_skills", "expert_id, skill_code, level")
	w.periods = newBatch(tx, s.dialect, "expert_availability", "expert_id, start_date, end_date, days_per_week")
	w.docs = newBatch(tx, s.dialect, "expert_search", "expert_id, tokens")
	w.spans = newBatch(tx, s.dialect, "expert_spans", "expert_id, days_per_week, start_date, end_date")
	w.history = newBatch(tx, s.dialect, "expert_status_history", "expert_id, from_status, to_status, comment, actor_id, actor, created_at")
	w.audit = newBatch(tx, s.dialect, "audit_log", audit.Columns)
	return w, nil
}

func (w *writer) close() {
	for _, b := range []*batch{w.experts, w.zones, w.skills, w.periods, w.spans, w.docs, w.history, w.audit} {
		if b != nil {
			b.close()
		}
	}
	for _, st := range append([]*sql.Stmt{w.insert, w.update, w.insertMany}, w.deletes...) {
		if st != nil {
			st.Close()
		}
	}
}

// same reports whether saving p over old would change nothing.
func same(old *Expert, p Profile) bool {
	return old != nil && reflect.DeepEqual(normalisedCopy(old.Profile), normalisedCopy(p))
}

// normalisedCopy makes nil and empty lists compare equal.
func normalisedCopy(p Profile) Profile {
	if len(p.Zones) == 0 {
		p.Zones = nil
	}
	if len(p.Skills) == 0 {
		p.Skills = nil
	}
	if len(p.Availability) == 0 {
		p.Availability = nil
	}
	return p
}

// pending is a new expert waiting for its batch insert (bulk writers).
type pending struct {
	p       Profile
	status  Status
	comment string
}

// save writes the normalised profile p, as a new expert in status when old
// is nil, or over old (whose status is kept; status is then ignored).
// comment goes to the status history of a new expert. A bulk writer queues
// new experts and returns id 0: their rows are inserted by batches (see
// flushNew).
func (w *writer) save(old *Expert, p Profile, status Status, comment string) (int64, error) {
	if old == nil && w.bulk {
		w.pending = append(w.pending, pending{p, status, comment})
		w.experts.args = append(w.experts.args, w.rowArgs(p, status)...)
		if len(w.pending) == batchRows {
			return 0, w.flushNew()
		}
		return 0, nil
	}
	args := w.rowArgs(p, status)
	var id int64
	if old == nil {
		if err := w.insert.QueryRowContext(w.ctx, args...).Scan(&id); err != nil {
			return 0, fmt.Errorf("insert expert %s: %w", p.Reference, err)
		}
		return id, w.details(id, nil, p, status, comment)
	}
	id = old.ID
	if _, err := w.update.ExecContext(w.ctx, append(args[:15:15], id)...); err != nil {
		return 0, fmt.Errorf("update expert %s: %w", p.Reference, err)
	}
	for _, st := range w.deletes {
		if _, err := st.ExecContext(w.ctx, id); err != nil {
			return 0, err
		}
	}
	return id, w.details(id, old, p, status, comment)
}

// rowArgs are the values of the experts row: expertColumns, then status,
// created_at and archived_at.
func (w *writer) rowArgs(p Profile, status Status) []any {
	dep := ""
	if c, ok := w.c.geo.Commune(p.Commune); ok {
		dep = c.DepartementCode
	}
	var archived any
	if status == Archived {
		archived = w.now
	}
	return []any{p.Reference, p.FirstName, p.LastName, p.Email, p.Phone, string(p.Employment), p.EmployerSIREN, p.Commune,
		nullInt(p.DailyRate), nullInt(p.ExperienceYears), strings.Join(p.Languages, "|"), p.Bio,
		sortName(p.LastName, p.FirstName), dep, w.now, string(status), w.now, archived}
}

// flushNew inserts the queued new experts in one statement, reads back
// their ids by reference, then queues their details.
func (w *writer) flushNew() error {
	if len(w.pending) == 0 {
		return nil
	}
	// RETURNING gives the ids; they are matched by reference, not by
	// order, which neither engine promises.
	n := len(w.pending)
	var rows *sql.Rows
	var err error
	if n == batchRows {
		if w.insertMany == nil {
			if w.insertMany, err = w.tx.PrepareContext(w.ctx, w.experts.statement(n)+` RETURNING reference, id`); err != nil {
				return err
			}
		}
		rows, err = w.insertMany.QueryContext(w.ctx, w.experts.args...)
	} else {
		rows, err = w.tx.QueryContext(w.ctx, w.experts.statement(n)+` RETURNING reference, id`, w.experts.args...)
	}
	w.experts.args = w.experts.args[:0]
	if err != nil {
		return fmt.Errorf("insert experts: %w", err)
	}
	ids := make(map[string]int64, n)
	for rows.Next() {
		var ref string
		var id int64
		if err := rows.Scan(&ref, &id); err != nil {
			rows.Close()
			return err
		}
		ids[ref] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, pe := range w.pending {
		if err := w.details(ids[pe.p.Reference], nil, pe.p, pe.status, pe.comment); err != nil {
			return err
		}
	}
	w.pending = w.pending[:0]
	return nil
}

// details queues the zones, skills, periods, search document and, for a
// new expert, the first line of history of expert id, and records the
// change in the audit log.
func (w *writer) details(id int64, old *Expert, p Profile, status Status, comment string) error {
	action := "expert.update"
	if old == nil {
		action = "expert.create"
		if err := w.history.add(w.ctx, id, "", string(status), comment, nullID(w.actor.UserID), w.actorName, w.now); err != nil {
			return err
		}
	}
	for _, z := range p.Zones {
		if err := w.zones.add(w.ctx, id, z); err != nil {
			return err
		}
	}
	for _, s := range p.Skills {
		if err := w.skills.add(w.ctx, id, s.Code, int(s.Level)); err != nil {
			return err
		}
	}
	for _, a := range p.Availability {
		if err := w.periods.add(w.ctx, id, a.Start, a.End, a.DaysPerWeek); err != nil {
			return err
		}
	}
	for _, sp := range spans(p.Availability) {
		if err := w.spans.add(w.ctx, id, sp.DaysPerWeek, sp.Start, sp.End); err != nil {
			return err
		}
	}
	doc, ok := w.documents[p.Reference]
	if !ok {
		doc = search.Document(documentParts(w.c, p)...)
	}
	if err := w.docs.add(w.ctx, id, doc); err != nil {
		return err
	}
	row, err := audit.Row(audit.Entry{At: w.now, Actor: w.actor, Action: action, Subject: subject(id),
		Details: map[string]any{"source": w.source, "fields": changedFields(old, p)}})
	if err != nil {
		return err
	}
	return w.audit.add(w.ctx, row...)
}

// flush writes what the batches still hold.
func (w *writer) flush() error {
	if err := w.flushNew(); err != nil {
		return err
	}
	for _, b := range []*batch{w.experts, w.zones, w.skills, w.periods, w.spans, w.docs, w.history, w.audit} {
		if err := b.flush(w.ctx); err != nil {
			return err
		}
	}
	return nil
}

// changedFields names the profile fields that differ, for the audit log
// (names only, never values).
func changedFields(old *Expert, p Profile) []string {
	var out []string
	nv := reflect.ValueOf(normalisedCopy(p))
	var ov reflect.Value
	if old != nil {
		ov = reflect.ValueOf(normalisedCopy(old.Profile))
	}
	t := nv.Type()
	for i := 0; i < t.NumField(); i++ {
		if old == nil || !reflect.DeepEqual(nv.Field(i).Interface(), ov.Field(i).Interface()) {
			out = append(out, strings.TrimSuffix(t.Field(i).Tag.Get("json"), ",omitempty"))
		}
	}
	return out
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// batch gathers rows for one multi-row INSERT: far fewer round trips than
// one INSERT per row. The statement for a full batch is prepared once and
// reused. Its placeholders are the engine's (see store.Dialect.BatchPlaceholder).
type batch struct {
	tx      *sql.Tx
	mark    func(i int) string // the i-th placeholder, from 1
	table   string
	columns string
	width   int
	rows    int // rows of a full batch
	args    []any
	full    *sql.Stmt
}

// batchRows is the number of new experts inserted by one statement;
// narrower tables take up to batchParams parameters per statement. Fewer,
// larger statements also make SQLite's FTS5 index flush its pending terms
// less often.
const (
	batchRows   = 64
	batchParams = 1024
)

func newBatch(tx *sql.Tx, d store.Dialect, table, columns string) *batch {
	width := strings.Count(columns, ",") + 1
	return &batch{tx: tx, mark: d.BatchPlaceholder, table: table, columns: columns, width: width, rows: max(batchRows, batchParams/width)}
}

func (b *batch) add(ctx context.Context, values ...any) error {
	b.args = append(b.args, values...)
	if len(b.args) >= b.rows*b.width {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) statement(rows int) string {
	var q strings.Builder
	q.WriteString("INSERT INTO " + b.table + " (" + b.columns + ") VALUES ")
	for i := range rows * b.width {
		switch {
		case i == 0:
			q.WriteString("(")
		case i%b.width == 0:
			q.WriteString("), (")
		default:
			q.WriteString(", ")
		}
		q.WriteString(b.mark(i + 1))
	}
	q.WriteString(")")
	return q.String()
}

func (b *batch) flush(ctx context.Context) error {
	if len(b.args) == 0 {
		return nil
	}
	rows := len(b.args) / b.width
	var err error
	if rows == b.rows {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(ctx, b.statement(rows)); err != nil {
				return fmt.Errorf("prepare insert into %s: %w", b.table, err)
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(ctx, b.statement(rows), b.args...)
	}
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	return nil
}

func (b *batch) close() {
	if b.full != nil {
		b.full.Close()
	}
}
