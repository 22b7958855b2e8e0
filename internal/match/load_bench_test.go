package match_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/match/matchtest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// BenchmarkLoad measures match.Load — what `vivier serve` does at start —
// over an SQLite database of realistic synthetic experts (the pool of
// BenchmarkMatch). Filling the database is not timed; at a million experts
// it takes a few minutes, so run it on its own:
//
//	go test -run '^$' -bench 'BenchmarkLoad/experts=1000000$' -benchtime 1x -timeout 60m ./internal/match/
func BenchmarkLoad(b *testing.B) { benchLoad(b, store.SQLite) }

// BenchmarkLoadPostgres is BenchmarkLoad on the throwaway PostgreSQL of
// storetest.
func BenchmarkLoadPostgres(b *testing.B) { benchLoad(b, store.Postgres) }

func benchLoad(b *testing.B, engine store.Engine) {
	for _, n := range []int{100000, 1000000} {
		b.Run(fmt.Sprintf("experts=%d", n), func(b *testing.B) {
			db := storetest.Open(b, engine)
			fill(b, db, n)
			g := geo.Default()
			b.ResetTimer()
			var e *match.Engine
			for b.Loop() {
				var err error
				if e, err = match.Load(ctx, db, g, opts()); err != nil {
					b.Fatal(err)
				}
			}
			if e.Len() != n {
				b.Fatalf("loaded %d experts, want %d", e.Len(), n)
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "load-s")
		})
	}
}

// fill writes n generated experts with multi-row inserts.
func fill(b *testing.B, db *store.DB, n int) {
	start := time.Now()
	w := matchtest.NewWorld(geo.Default(), matchtest.Config{Seed: 2026})
	var batch []match.Expert
	flush := func() {
		err := db.Tx(ctx, func(tx *sql.Tx) error { return insertMany(tx, batch) })
		if err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for x := range w.Experts(n) {
		batch = append(batch, x)
		if len(batch) == 2000 {
			flush()
		}
	}
	flush()
	b.Logf("filled %d experts in %v", n, time.Since(start).Round(time.Second))
}

// insertMany writes experts and their children, 100 rows per statement.
func insertMany(tx *sql.Tx, xs []match.Expert) error {
	var experts, skills, zones, periods, conflicts rowsOf
	for _, x := range xs {
		var rate, years any
		if x.DailyRate != 0 {
			rate = x.DailyRate
		}
		if x.ExperienceYears != 0 {
			years = x.ExperienceYears
		}
		langs := strings.Join(x.Languages, "|")
		if langs == "" {
			langs = "fr"
		}
		experts.add(x.ID, x.Reference, "Nom", x.Reference+"@example.fr", x.EmployerSIREN, x.Commune, rate, years, langs, x.Status, x.UpdatedAt.UTC(), x.UpdatedAt.UTC())
		for _, s := range x.Skills {
			skills.add(x.ID, s.Code, s.Level)
		}
		for _, z := range x.Zones {
			zones.add(x.ID, z)
		}
		for _, p := range x.Availability {
			periods.add(x.ID, p.Start, p.End, p.DaysPerWeek)
		}
		for _, s := range x.Conflicts {
			conflicts.add(x.ID, s)
		}
	}
	for _, t := range []struct {
		head string
		rows *rowsOf
	}{
		{`INSERT INTO experts (id, reference, last_name, email, employer_siren, commune, daily_rate, experience_years, languages, status, created_at, updated_at) VALUES `, &experts},
		{`INSERT INTO expert_skills (expert_id, skill_code, level) VALUES `, &skills},
		{`INSERT INTO expert_zones (expert_id, zone) VALUES `, &zones},
		{`INSERT INTO expert_availability (expert_id, start_date, end_date, days_per_week) VALUES `, &periods},
		{`INSERT INTO expert_conflicts (expert_id, siren) VALUES `, &conflicts},
	} {
		if err := t.rows.insert(tx, t.head); err != nil {
			return err
		}
	}
	return nil
}

type rowsOf struct{ rows [][]any }

func (r *rowsOf) add(v ...any) { r.rows = append(r.rows, v) }

func (r *rowsOf) insert(tx *sql.Tx, head string) error {
	for len(r.rows) > 0 {
		n := min(len(r.rows), 100)
		var q strings.Builder
		q.WriteString(head)
		var args []any
		for i, row := range r.rows[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					q.WriteByte(',')
				}
				args = append(args, v)
				fmt.Fprintf(&q, "$%d", len(args))
			}
			q.WriteByte(')')
		}
		if _, err := tx.Exec(q.String(), args...); err != nil {
			return err
		}
		r.rows = r.rows[n:]
	}
	return nil
}
