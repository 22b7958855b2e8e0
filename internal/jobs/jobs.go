// Package jobs runs Vivier's periodic maintenance (the daily GDPR retention
// pass, purges of expired sessions, links and old emails…) on every `vivier
// serve` instance, so that each job runs once per period whichever
// instances are up: a job's row in the jobs table is claimed with a lease in
// one UPDATE, and only the instance whose UPDATE matched runs it.
//
// Why not a job queue library (river): Vivier has a handful of periodic
// tasks and one outbox with its own sender; a lease table of a hundred
// lines covers them on both engines, where a queue would bring a second
// migration system and its own tables. Revisit when work needs fan-out or
// per-item retries.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"vivier/internal/store"
)

// Job is one periodic task.
type Job struct {
	Name  string        // stable identifier, e.g. "retention"
	Every time.Duration // period between two runs
	Run   func(ctx context.Context) error
}

// Scheduler runs jobs when they are due.
type Scheduler struct {
	DB     *store.DB
	Logger *slog.Logger
	Jobs   []Job
	Tick   time.Duration // how often to look for due jobs (default one minute)
	Lease  time.Duration // how long a run may take before another instance takes over (default 30 minutes)
	Now    func() time.Time
	id     string
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Run registers the jobs, then runs the due ones at every tick until ctx
// ends. A new job runs at the first tick.
func (s *Scheduler) Run(ctx context.Context) error {
	if err := s.register(ctx); err != nil {
		return err
	}
	tick := s.Tick
	if tick == 0 {
		tick = time.Minute
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		s.RunDue(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (s *Scheduler) register(ctx context.Context) error {
	if s.id == "" {
		b := make([]byte, 8)
		rand.Read(b)
		s.id = hex.EncodeToString(b)
	}
	for _, j := range s.Jobs {
		if _, err := s.DB.ExecContext(ctx, `INSERT INTO jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
			j.Name, s.now()); err != nil {
			return fmt.Errorf("register job %s: %w", j.Name, err)
		}
	}
	return nil
}

// RunDue runs, one after the other, every job that is due and that this
// instance manages to claim. It returns the names of the jobs it ran.
func (s *Scheduler) RunDue(ctx context.Context) []string {
	if s.id == "" {
		if err := s.register(ctx); err != nil {
			s.Logger.Error("jobs", "err", err)
			return nil
		}
	}
	var ran []string
	for _, j := range s.Jobs {
		claimed, err := s.claim(ctx, j)
		if err != nil {
			s.Logger.Error("claim job", "job", j.Name, "err", err)
			continue
		}
		if !claimed {
			continue
		}
		start := time.Now()
		runErr := j.Run(ctx)
		msg := ""
		if runErr != nil {
			msg = runErr.Error()
			s.Logger.Error("job failed", "job", j.Name, "err", runErr)
		} else {
			s.Logger.Debug("job done", "job", j.Name, "duration", time.Since(start))
		}
		if _, err := s.DB.ExecContext(ctx, `UPDATE jobs SET locked_by = NULL, locked_until = NULL, last_run_at = $1, last_error = $2
			WHERE name = $3 AND locked_by = $4`, s.now(), msg, j.Name, s.id); err != nil {
			s.Logger.Error("release job", "job", j.Name, "err", err)
		}
		ran = append(ran, j.Name)
	}
	return ran
}

// claim takes the job if it is due and nobody holds it, moving its next run
// one period ahead in the same statement.
func (s *Scheduler) claim(ctx context.Context, j Job) (bool, error) {
	lease := s.Lease
	if lease == 0 {
		lease = 30 * time.Minute
	}
	now := s.now()
	res, err := s.DB.ExecContext(ctx, `UPDATE jobs SET locked_by = $1, locked_until = $2, next_run_at = $3
		WHERE name = $4 AND next_run_at <= $5 AND (locked_until IS NULL OR locked_until < $5)`,
		s.id, now.Add(lease), now.Add(j.Every), j.Name, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
