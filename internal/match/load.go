package match

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

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
	w, err := e.storedWeights(ctx)
	if err != nil {
		return err
	}
	e.weights = w
	err = e.readExperts(ctx, func(batch []Expert) error {
		for i := range batch {
			if err := e.put(&batch[i]); err != nil {
				// Stored data the engine cannot read (an unknown zone) must
				// not keep the application from starting: the expert is
				// left out and the log says so.
				e.opts.logger().Warn("match: expert left out of matching", "expert", batch[i].ID, "error", err)
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

// readExperts reads every expert, by batches of loadBatch in id order
// (keyset paging, one query at a time, so that a small connection pool
// never waits on itself), and hands each batch to fn with its history.
func (e *Engine) readExperts(ctx context.Context, fn func([]Expert) error) error {
	var after int64 = -1 << 63
	for {
		batch, err := e.readBatch(ctx, ` WHERE id > $1 ORDER BY id LIMIT `+strconv.Itoa(loadBatch), []any{after},
			func(col string) string { return ` WHERE ` + col + ` BETWEEN $1 AND $2` },
			func(b []Expert) []any { return []any{b[0].ID, b[len(b)-1].ID} })
		if err != nil || len(batch) == 0 {
			return err
		}
		if err := e.flush(ctx, batch, fn); err != nil {
			return err
		}
		if len(batch) < loadBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// readSome reads the experts with the given IDs (those that exist).
func (e *Engine) readSome(ctx context.Context, ids []int64, fn func([]Expert) error) error {
	in, args := inList(ids)
	batch, err := e.readBatch(ctx, ` WHERE id`+in, args,
		func(col string) string { return ` WHERE ` + col + in },
		func([]Expert) []any { return args })
	if err != nil {
		return err
	}
	return e.flush(ctx, batch, fn)
}

func inList(ids []int64) (string, []any) {
	var in strings.Builder
	args := make([]any, len(ids))
	in.WriteString(" IN (")
	for i, id := range ids {
		if i > 0 {
			in.WriteByte(',')
		}
		in.WriteString("$" + strconv.Itoa(i+1))
		args[i] = id
	}
	in.WriteByte(')')
	return in.String(), args
}

// readBatch reads the experts that where selects, then their rows in each
// child table (childWhere filters a child table on its expert_id column
// with childArgs), one query after the other.
func (e *Engine) readBatch(ctx context.Context, where string, args []any,
	childWhere func(col string) string, childArgs func([]Expert) []any) ([]Expert, error) {
	rows, err := e.db.QueryContext(ctx, `SELECT id, reference, status, commune, employer_siren, daily_rate, experience_years,
		languages, updated_at FROM experts`+where, args...)
	if err != nil {
		return nil, fmt.Errorf("match: read experts: %w", err)
	}
	var batch []Expert
	for rows.Next() {
		var x Expert
		var rate, years sql.NullInt64
		var langs string
		if err := rows.Scan(&x.ID, &x.Reference, &x.Status, &x.Commune, &x.EmployerSIREN, &rate, &years, &langs, &x.UpdatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("match: read experts: %w", err)
		}
		x.DailyRate, x.ExperienceYears = int(rate.Int64), int(years.Int64)
		if langs != "" {
			x.Languages = strings.Split(langs, "|")
		}
		batch = append(batch, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(batch) == 0 {
		return batch, err
	}
	pos := make(map[int64]int, len(batch))
	for i := range batch {
		pos[batch[i].ID] = i
	}
	cargs := childArgs(batch)
	children := []struct {
		query string
		scan  func(*sql.Rows) (int64, func(*Expert), error)
	}{
		{`SELECT expert_id, skill_code, level FROM expert_skills`, func(r *sql.Rows) (int64, func(*Expert), error) {
			var id int64
			var s SkillLevel
			err := r.Scan(&id, &s.Code, &s.Level)
			return id, func(x *Expert) { x.Skills = append(x.Skills, s) }, err
		}},
		{`SELECT expert_id, zone FROM expert_zones`, func(r *sql.Rows) (int64, func(*Expert), error) {
			var id int64
			var z string
			err := r.Scan(&id, &z)
			return id, func(x *Expert) { x.Zones = append(x.Zones, z) }, err
		}},
		{`SELECT expert_id, start_date, end_date, days_per_week FROM expert_availability`, func(r *sql.Rows) (int64, func(*Expert), error) {
			var id int64
			var p Period
			err := r.Scan(&id, &p.Start, &p.End, &p.DaysPerWeek)
			return id, func(x *Expert) { x.Availability = append(x.Availability, p) }, err
		}},
		{`SELECT expert_id, siren FROM expert_conflicts`, func(r *sql.Rows) (int64, func(*Expert), error) {
			var id int64
			var s string
			err := r.Scan(&id, &s)
			return id, func(x *Expert) { x.Conflicts = append(x.Conflicts, s) }, err
		}},
	}
	// The four tables are read at once, on as many connections: reading
	// rows is most of the cost of a load, and each goroutine fills its own
	// field of the experts. None holds more than one connection, so a small
	// pool makes them wait in turn, never deadlock.
	errs := make([]error, len(children))
	var wg sync.WaitGroup
	for i, c := range children {
		wg.Go(func() {
			errs[i] = e.readChild(ctx, c.query+childWhere("expert_id"), cargs, batch, pos, c.scan)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return batch, nil
}

// readChild reads one child table's rows and adds each to its expert.
func (e *Engine) readChild(ctx context.Context, query string, args []any, batch []Expert, pos map[int64]int,
	scan func(*sql.Rows) (int64, func(*Expert), error)) error {
	rows, err := e.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("match: read experts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		id, add, err := scan(rows)
		if err != nil {
			return fmt.Errorf("match: read expert %d: %w", id, err)
		}
		if i, ok := pos[id]; ok {
			add(&batch[i])
		}
	}
	return rows.Err()
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
