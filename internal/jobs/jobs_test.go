package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"vivier/internal/jobs"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestADailyJobRunsOnceADayAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
		runs := 0
		job := jobs.Job{Name: "retention", Every: 24 * time.Hour, Run: func(context.Context) error { runs++; return nil }}
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		a := &jobs.Scheduler{DB: db, Logger: logger, Jobs: []jobs.Job{job}, Now: func() time.Time { return now }}
		b := &jobs.Scheduler{DB: db, Logger: logger, Jobs: []jobs.Job{job}, Now: func() time.Time { return now }}
		a.RunDue(ctx)
		b.RunDue(ctx)
		if runs != 1 {
			t.Fatalf("two instances at the same time ran the job %d times, want 1", runs)
		}
		now = now.Add(23 * time.Hour)
		a.RunDue(ctx)
		b.RunDue(ctx)
		if runs != 1 {
			t.Fatalf("the job ran again before its period: %d runs", runs)
		}
		now = now.Add(time.Hour)
		b.RunDue(ctx)
		a.RunDue(ctx)
		if runs != 2 {
			t.Fatalf("after a day: %d runs, want 2", runs)
		}
	})
}

func TestAFailedJobIsRecordedAndRetriedNextPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
		fail := true
		s := &jobs.Scheduler{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now },
			Jobs: []jobs.Job{{Name: "purge", Every: time.Hour, Run: func(context.Context) error {
				if fail {
					return errors.New("disque plein")
				}
				return nil
			}}}}
		s.RunDue(ctx)
		var last string
		db.QueryRowContext(ctx, "SELECT last_error FROM jobs WHERE name = 'purge'").Scan(&last)
		if last != "disque plein" {
			t.Fatalf("last_error = %q", last)
		}
		fail = false
		now = now.Add(time.Hour)
		if ran := s.RunDue(ctx); len(ran) != 1 {
			t.Fatalf("next period: ran %v", ran)
		}
		db.QueryRowContext(ctx, "SELECT last_error FROM jobs WHERE name = 'purge'").Scan(&last)
		if last != "" {
			t.Fatalf("last_error after success = %q", last)
		}
	})
}
