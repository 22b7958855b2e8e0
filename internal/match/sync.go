package match

import (
	"context"
	"errors"
	"fmt"
	"time"

	"vivier/internal/valid"
)

// Sync applies the journal rows the engine has not seen: it reloads the
// experts they name (dropping those that no longer exist) and the weights
// when they changed. When nothing changed it costs one indexed query. An
// engine built with New has no database and Sync does nothing. An engine
// that has not synced for half the journal's retention reloads everything,
// since rows it never saw may have been pruned.
func (e *Engine) Sync(ctx context.Context) error {
	if e.db == nil {
		return nil
	}
	e.syncMu.Lock()
	defer e.syncMu.Unlock()
	now := e.opts.now()
	if now.Sub(e.lastSync) > e.retention()/2 {
		return e.reloadAll(ctx)
	}
	rows, err := e.db.QueryContext(ctx, `SELECT seq, expert_id FROM expert_changes WHERE seq > $1 ORDER BY seq`, e.lastSeq)
	if err != nil {
		return fmt.Errorf("match: read the change journal: %w", err)
	}
	defer rows.Close()
	seq := e.lastSeq
	var ids []int64
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&seq, &id); err != nil {
			return fmt.Errorf("match: read the change journal: %w", err)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("match: read the change journal: %w", err)
	}
	rows.Close()
	if err := e.apply(ctx, ids); err != nil {
		return err
	}
	e.lastSeq = seq
	e.lastSync = now
	return nil
}

// apply reloads the experts with the given IDs (0 stands for the weights).
func (e *Engine) apply(ctx context.Context, ids []int64) error {
	var experts []int64
	for _, id := range ids {
		if id != 0 {
			experts = append(experts, id)
			continue
		}
		w, err := e.storedWeights(ctx)
		if err != nil {
			return err
		}
		e.mu.Lock()
		e.weights = w
		e.mu.Unlock()
	}
	for len(experts) > 0 {
		n := min(len(experts), 500)
		if err := e.reload(ctx, experts[:n]); err != nil {
			return err
		}
		experts = experts[n:]
	}
	return nil
}

// reload reads the given experts and replaces or removes them.
func (e *Engine) reload(ctx context.Context, ids []int64) error {
	found := map[int64]bool{}
	err := e.readSome(ctx, ids, func(batch []Expert) error {
		e.mu.Lock()
		defer e.mu.Unlock()
		for i := range batch {
			found[batch[i].ID] = true
			if err := e.put(&batch[i]); err != nil {
				// Stored data the engine cannot read (an unknown zone)
				// must not stop every ranking: the expert is left out.
				e.opts.logger().Warn("match: expert left out of matching", "expert", batch[i].ID, "error", err)
				e.remove(batch[i].ID)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range ids {
		if !found[id] {
			e.remove(id)
		}
	}
	return nil
}

// reloadAll builds the whole state again from the database and swaps it in.
func (e *Engine) reloadAll(ctx context.Context) error {
	fresh := newEngine(e.geo, e.opts)
	fresh.db = e.db
	if err := fresh.loadAll(ctx); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.state = fresh.state
	return nil
}

// storedWeights reads the stored weights. Weights that do not parse (SaveWeights
// never writes such, but a hand edit could) must not stop every ranking:
// the engine keeps the ones it has and the log says why.
func (e *Engine) storedWeights(ctx context.Context) (Weights, error) {
	w, err := loadWeights(ctx, e.db)
	if _, bad := valid.As(err); bad || errors.Is(err, errBadWeights) {
		e.opts.logger().Warn("match: stored weights ignored", "error", err)
		return e.weights, nil
	}
	return w, err
}

func (e *Engine) retention() time.Duration {
	if e.opts.JournalRetention > 0 {
		return e.opts.JournalRetention
	}
	return 24 * time.Hour
}

// Run syncs every Options.SyncEvery until ctx ends, so that an idle
// instance stays current, and prunes journal rows older than the
// retention every ten minutes. Errors are logged, not fatal: the next tick
// tries again and queries sync on their own.
func (e *Engine) Run(ctx context.Context) {
	if e.db == nil {
		return
	}
	every := e.opts.SyncEvery
	if every <= 0 {
		every = 2 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var pruned time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := e.Sync(ctx); err != nil && ctx.Err() == nil {
			e.opts.logger().Warn("match: sync", "error", err)
		}
		if now := e.opts.now(); now.Sub(pruned) > 10*time.Minute {
			pruned = now
			if err := e.Prune(ctx); err != nil && ctx.Err() == nil {
				e.opts.logger().Warn("match: prune the change journal", "error", err)
			}
		}
	}
}

// Prune deletes journal rows older than the retention.
func (e *Engine) Prune(ctx context.Context) error {
	cutoff := e.opts.now().Add(-e.retention()).UTC()
	_, err := e.db.ExecContext(ctx, `DELETE FROM expert_changes WHERE changed_at < $1`, cutoff)
	return err
}
