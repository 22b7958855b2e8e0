package match

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"vivier/internal/geo"
	"vivier/internal/store"
)

// HistorySource provides the mission figures of experts. The missions
// package implements it; Load calls it for every expert at start and Sync
// for the experts it reloads.
type HistorySource interface {
	History(ctx context.Context, q store.Querier, expertIDs []int64) (map[int64]History, error)
}

// loadBatch is how many experts are read, given their history and placed
// at a time.
const loadBatch = 10000

// Load reads every expert from the database into a new engine, with the
// stored weights, and remembers where the change journal stands so that
// Sync applies only later changes.
func Load(ctx context.Context, db *store.DB, g *geo.Reference, opts Options) (*Engine, error) {
	e := newEngine(g, opts)
	e.db = db
	if err := e.loadAll(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// loadAll fills e, which no one else can see yet, from the database.
func (e *Engine) loadAll(ctx context.Context) error {
	var seq int64
	if err := e.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM expert_changes`).Scan(&seq); err != nil {
		return fmt.Errorf("match: read the change journal: %w", err)
	}
	w, err := LoadWeights(ctx, e.db)
	if err != nil {
		return err
	}
	e.weights = w
	err = e.readExperts(ctx, "", nil, func(batch []Expert) error {
		for i := range batch {
			if err := e.put(&batch[i]); err != nil {
				return fmt.Errorf("match: load: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.lastSeq = seq
	e.lastSync = e.opts.now()
	return nil
}

// readExperts reads the experts whose id satisfies cond ("" for all, or
// " IN ($1, …)" with args), in id order, and hands them to fn by batches
// with their history. The five tables are read at once and merged on the
// expert id, so memory holds one batch, not the whole pool.
func (e *Engine) readExperts(ctx context.Context, cond string, args []any, fn func([]Expert) error) error {
	where := func(col string) string {
		if cond == "" {
			return ""
		}
		return " WHERE " + col + cond
	}
	open := func(query string) (*sql.Rows, error) {
		rows, err := e.db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, fmt.Errorf("match: read experts: %w", err)
		}
		return rows, nil
	}
	experts, err := open(`SELECT id, reference, status, commune, employer_siren, daily_rate, experience_years, languages, updated_at FROM experts` +
		where("id") + ` ORDER BY id`)
	if err != nil {
		return err
	}
	defer experts.Close()
	var subs [4]*sql.Rows
	for i, q := range []string{
		`SELECT expert_id, skill_code, level FROM expert_skills` + where("expert_id") + ` ORDER BY expert_id, skill_code`,
		`SELECT expert_id, zone FROM expert_zones` + where("expert_id") + ` ORDER BY expert_id, zone`,
		`SELECT expert_id, start_date, end_date, days_per_week FROM expert_availability` + where("expert_id") + ` ORDER BY expert_id, start_date, id`,
		`SELECT expert_id, siren FROM expert_conflicts` + where("expert_id") + ` ORDER BY expert_id, siren`,
	} {
		if subs[i], err = open(q); err != nil {
			return err
		}
		defer subs[i].Close()
	}
	skills := newChild(subs[0], func(r *sql.Rows, id *int64, s *SkillLevel) error { return r.Scan(id, &s.Code, &s.Level) })
	zones := newChild(subs[1], func(r *sql.Rows, id *int64, z *string) error { return r.Scan(id, z) })
	periods := newChild(subs[2], func(r *sql.Rows, id *int64, p *Period) error {
		return r.Scan(id, &p.Start, &p.End, &p.DaysPerWeek)
	})
	conflicts := newChild(subs[3], func(r *sql.Rows, id *int64, s *string) error { return r.Scan(id, s) })
	batch := make([]Expert, 0, min(loadBatch, 1024))
	for experts.Next() {
		var x Expert
		var rate, years sql.NullInt64
		var langs string
		if err := experts.Scan(&x.ID, &x.Reference, &x.Status, &x.Commune, &x.EmployerSIREN, &rate, &years, &langs, &x.UpdatedAt); err != nil {
			return fmt.Errorf("match: read experts: %w", err)
		}
		x.DailyRate, x.ExperienceYears = int(rate.Int64), int(years.Int64)
		if langs != "" {
			x.Languages = strings.Split(langs, "|")
		}
		x.Skills = skills.of(x.ID)
		x.Zones = zones.of(x.ID)
		x.Availability = periods.of(x.ID)
		x.Conflicts = conflicts.of(x.ID)
		batch = append(batch, x)
		if len(batch) == loadBatch {
			if err := e.flush(ctx, batch, fn); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := errors.Join(experts.Err(), skills.err, zones.err, periods.err, conflicts.err); err != nil {
		return fmt.Errorf("match: read experts: %w", err)
	}
	return e.flush(ctx, batch, fn)
}

// flush adds the history to a batch and hands it on.
func (e *Engine) flush(ctx context.Context, batch []Expert, fn func([]Expert) error) error {
	if len(batch) == 0 {
		return nil
	}
	if e.opts.History != nil {
		ids := make([]int64, len(batch))
		for i := range batch {
			ids[i] = batch[i].ID
		}
		h, err := e.opts.History.History(ctx, e.db, ids)
		if err != nil {
			return fmt.Errorf("match: history: %w", err)
		}
		for i := range batch {
			batch[i].History = h[batch[i].ID]
		}
	}
	return fn(batch)
}

// child walks the rows of a child table ordered by expert id, alongside
// the experts.
type child[T any] struct {
	rows    *sql.Rows
	scan    func(*sql.Rows, *int64, *T) error
	pending bool  // a row was read and not yet handed out
	id      int64 // its expert id
	v       T
	err     error
}

func newChild[T any](rows *sql.Rows, scan func(*sql.Rows, *int64, *T) error) *child[T] {
	c := &child[T]{rows: rows, scan: scan}
	c.advance()
	return c
}

func (c *child[T]) advance() {
	var zero T
	c.v = zero
	c.pending = c.rows.Next()
	if !c.pending {
		c.err = errors.Join(c.err, c.rows.Err())
		return
	}
	if err := c.scan(c.rows, &c.id, &c.v); err != nil {
		c.err, c.pending = err, false
	}
}

// of returns the rows of expert id, skipping rows of experts before it
// (none exist with foreign keys on).
func (c *child[T]) of(id int64) []T {
	for c.pending && c.id < id {
		c.advance()
	}
	var out []T
	for c.pending && c.id == id {
		out = append(out, c.v)
		c.advance()
	}
	return out
}
