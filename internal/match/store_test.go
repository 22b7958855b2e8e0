package match_test

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/match/matchtest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

// insertExpert writes an expert the way the expert package will: the row,
// then its skills, zones, periods and conflicts, in one transaction.
func insertExpert(t *testing.T, db *store.DB, x match.Expert) int64 {
	t.Helper()
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var rate, years any
		if x.DailyRate != 0 {
			rate = x.DailyRate
		}
		if x.ExperienceYears != 0 {
			years = x.ExperienceYears
		}
		langs := "fr"
		if len(x.Languages) > 0 {
			langs = x.Languages[0]
			for _, l := range x.Languages[1:] {
				langs += "|" + l
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO experts (reference, last_name, email, employer_siren, commune, daily_rate,
			experience_years, languages, status, created_at, updated_at)
			VALUES ($1, 'Nom', $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			x.Reference, x.Reference+"@example.fr", x.EmployerSIREN, x.Commune, rate, years, langs, x.Status, x.UpdatedAt.UTC()).Scan(&id)
		if err != nil {
			return err
		}
		return writeChildren(tx, id, x)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func writeChildren(tx *sql.Tx, id int64, x match.Expert) error {
	for _, q := range []string{"expert_skills", "expert_zones", "expert_availability", "expert_conflicts"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+q+` WHERE expert_id = $1`, id); err != nil {
			return err
		}
	}
	for _, s := range x.Skills {
		if _, err := tx.ExecContext(ctx, `INSERT INTO expert_skills (expert_id, skill_code, level) VALUES ($1, $2, $3)`, id, s.Code, s.Level); err != nil {
			return err
		}
	}
	for _, z := range x.Zones {
		if _, err := tx.ExecContext(ctx, `INSERT INTO expert_zones (expert_id, zone) VALUES ($1, $2)`, id, z); err != nil {
			return err
		}
	}
	for _, p := range x.Availability {
		if _, err := tx.ExecContext(ctx, `INSERT INTO expert_availability (expert_id, start_date, end_date, days_per_week) VALUES ($1, $2, $3, $4)`,
			id, p.Start, p.End, p.DaysPerWeek); err != nil {
			return err
		}
	}
	for _, s := range x.Conflicts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO expert_conflicts (expert_id, siren) VALUES ($1, $2)`, id, s); err != nil {
			return err
		}
	}
	return nil
}

// updateExpert rewrites an expert's children and touches the row, the
// contract the expert package follows.
func updateExpert(t *testing.T, db *store.DB, id int64, x match.Expert) {
	t.Helper()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := writeChildren(tx, id, x); err != nil {
			return err
		}
		var rate any
		if x.DailyRate != 0 {
			rate = x.DailyRate
		}
		_, err := tx.ExecContext(ctx, `UPDATE experts SET status = $1, daily_rate = $2, updated_at = $3 WHERE id = $4`, x.Status, rate, time.Now().UTC(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// memHistory is a HistorySource over a map the test changes.
type memHistory struct {
	mu    sync.Mutex
	h     map[int64]match.History
	calls int
}

func (m *memHistory) History(_ context.Context, _ store.Querier, ids []int64) (map[int64]match.History, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	out := map[int64]match.History{}
	for _, id := range ids {
		if h, ok := m.h[id]; ok {
			out[id] = h
		}
	}
	return out, nil
}

func refs(res match.Result) []string {
	var out []string
	for _, m := range res.Matches {
		out = append(out, m.Reference)
	}
	return out
}

func TestLoadAndSync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		g := geo.Default()
		hist := &memHistory{h: map[int64]match.History{}}
		a := baseExpert(0, "A")
		a.UpdatedAt = matchtest.Now
		a.Languages = []string{"fr", "en"}
		idA := insertExpert(t, db, a)
		b := baseExpert(0, "B")
		b.UpdatedAt = matchtest.Now
		b.Conflicts = []string{epciOf(t, "69123")}
		insertExpert(t, db, b)
		c := baseExpert(0, "C")
		c.UpdatedAt = matchtest.Now
		c.Status = "candidate"
		idC := insertExpert(t, db, c)
		hist.h[idA] = match.History{ReviewCount: 4, ReviewSum: 20}

		o := opts()
		o.History = hist
		e, err := match.Load(ctx, db, g, o)
		if err != nil {
			t.Fatal(err)
		}
		other, err := match.Load(ctx, db, g, opts()) // a second instance on the same database
		if err != nil {
			t.Fatal(err)
		}
		req := baseRequest()
		res, err := e.Rank(ctx, req, 10)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(refs(res), []string{"A"}) || res.Excluded.Get(match.ConflictOfInterest) != 1 || res.Excluded.Get(match.NotQualified) != 1 {
			t.Fatalf("loaded: %v %v", refs(res), res.Excluded)
		}
		if res.Matches[0].Components.Reviews <= 0.5 {
			t.Fatalf("history not applied: %+v", res.Matches[0].Components)
		}

		// C is qualified: both instances see it at their next query.
		c.Status = "qualified"
		updateExpert(t, db, idC, c)
		for _, en := range []*match.Engine{e, other} {
			res, _ = en.Rank(ctx, req, 10)
			if !slices.Equal(refs(res), []string{"A", "C"}) && !slices.Equal(refs(res), []string{"C", "A"}) {
				t.Fatalf("after qualifying C: %v %v", refs(res), res.Excluded)
			}
		}
		// A loses the required skill: a child-table change plus updated_at.
		a2 := a
		a2.Skills = []match.SkillLevel{{Code: "filieres.industrie", Level: 4}}
		updateExpert(t, db, idA, a2)
		res, _ = e.Rank(ctx, req, 10)
		if !slices.Equal(refs(res), []string{"C"}) || res.Excluded.Get(match.MissingSkill) != 1 {
			t.Fatalf("after A's edit: %v %v", refs(res), res.Excluded)
		}
		// A new expert appears, a deleted one disappears.
		d := baseExpert(0, "D")
		d.UpdatedAt = matchtest.Now
		insertExpert(t, db, d)
		if _, err := db.ExecContext(ctx, `DELETE FROM experts WHERE id = $1`, idC); err != nil {
			t.Fatal(err)
		}
		res, _ = e.Rank(ctx, req, 10)
		if !slices.Equal(refs(res), []string{"D"}) || res.Considered != 3 {
			t.Fatalf("after insert and delete: %v considered %d", refs(res), res.Considered)
		}
		if _, err := e.Explain(ctx, req, "C"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted expert explained: %v", err)
		}

		// History changes reach the engine through Touch.
		a2.Skills = a.Skills
		updateExpert(t, db, idA, a2)
		res, _ = e.Rank(ctx, req, 10)
		before := res.Matches[slices.Index(refs(res), "A")].Components.Load
		hist.mu.Lock()
		hist.h[idA] = match.History{ActiveMissions: 3, ReviewCount: 4, ReviewSum: 20}
		hist.mu.Unlock()
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return expert.Touch(ctx, tx, idA) }); err != nil {
			t.Fatal(err)
		}
		res, _ = e.Rank(ctx, req, 10)
		if after := res.Matches[slices.Index(refs(res), "A")].Components.Load; !(after < before) {
			t.Fatalf("load %v → %v after Touch", before, after)
		}
	})
}

func TestWeightsAcrossInstances(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		g := geo.Default()
		x := baseExpert(0, "A")
		x.UpdatedAt = matchtest.Now
		insertExpert(t, db, x)
		e1, err := match.Load(ctx, db, g, opts())
		if err != nil {
			t.Fatal(err)
		}
		e2, _ := match.Load(ctx, db, g, opts())
		if w, _ := match.LoadWeights(ctx, db); w != match.DefaultWeights() {
			t.Fatalf("defaults: %+v", w)
		}
		bad := match.DefaultWeights()
		bad.Load = 0
		bad.Skills = 1001
		err = match.SaveWeights(ctx, db, bad, access.System)
		if list, ok := valid.As(err); !ok || !list.Has("load") || !list.Has("skills") || list.Has("rate") {
			t.Fatalf("invalid weights: %v", err)
		}
		w := match.DefaultWeights()
		w.Skills = 500
		if err := match.SaveWeights(ctx, db, w, access.System); err != nil {
			t.Fatal(err)
		}
		for _, e := range []*match.Engine{e1, e2} {
			res, err := e.Rank(ctx, baseRequest(), 5)
			if err != nil || res.Weights != w {
				t.Fatalf("weights not picked up: %+v %v", res.Weights, err)
			}
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'match.weights_changed'`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d audit entries", n)
		}
		// A hand-edited row that does not parse is ignored, not fatal.
		for _, v := range []string{`{"skills":0}`, `nonsense`} {
			if _, err := db.ExecContext(ctx, `UPDATE settings SET value = $1 WHERE key = 'match.weights'`, v); err != nil {
				t.Fatal(err)
			}
			res, err := e1.Rank(ctx, baseRequest(), 5)
			if err != nil || res.Weights != w {
				t.Fatalf("bad stored weights %s: %+v %v", v, res.Weights, err)
			}
		}
	})
}

func TestJournalPruneAndStaleReload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		g := geo.Default()
		x := baseExpert(0, "A")
		x.UpdatedAt = matchtest.Now
		id := insertExpert(t, db, x)
		// B's availability is in three pieces (kept outside the record).
		y := baseExpert(0, "B")
		y.UpdatedAt = matchtest.Now
		y.Availability = []match.Period{
			{Start: date.MustParse("2026-11-01"), End: date.MustParse("2026-12-10"), DaysPerWeek: 2},
			{Start: date.MustParse("2026-12-11"), End: date.MustParse("2026-12-20"), DaysPerWeek: 3},
			{Start: date.MustParse("2026-12-21"), End: date.MustParse("2027-01-31"), DaysPerWeek: 2},
		}
		insertExpert(t, db, y)
		now := time.Now()
		var mu sync.Mutex
		o := match.Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }, JournalRetention: time.Hour}
		e, err := match.Load(ctx, db, g, o)
		if err != nil {
			t.Fatal(err)
		}
		// An hour and a half later the old rows go, and an engine that has
		// not synced for so long reloads everything.
		if _, err := db.ExecContext(ctx, `UPDATE experts SET status = 'suspended', updated_at = $1 WHERE id = $2`, time.Now().UTC(), id); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		now = now.Add(90 * time.Minute)
		mu.Unlock()
		if err := e.Prune(ctx); err != nil {
			t.Fatal(err)
		}
		var left int
		db.QueryRowContext(ctx, `SELECT count(*) FROM expert_changes`).Scan(&left)
		if left != 0 {
			t.Fatalf("%d journal rows left after pruning", left)
		}
		res, err := e.Rank(ctx, baseRequest(), 5)
		if err != nil || !slices.Equal(refs(res), []string{"B"}) || res.Excluded.Get(match.NotQualified) != 1 {
			t.Fatalf("stale engine did not reload: %+v %v", res, err)
		}
	})
}

func TestLogRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		x := baseExpert(0, "A")
		x.UpdatedAt = matchtest.Now
		insertExpert(t, db, x)
		e, _ := match.Load(ctx, db, geo.Default(), opts())
		req := baseRequest()
		res, _ := e.Rank(ctx, req, 5)
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			return match.LogRanking(ctx, tx, match.LogEntry{Actor: "Claire Coordinatrice", Purpose: "shown", Request: req, Result: res})
		})
		if err != nil {
			t.Fatal(err)
		}
		var actor, results, weights string
		db.QueryRowContext(ctx, `SELECT actor, results, weights FROM match_log`).Scan(&actor, &results, &weights)
		if actor != "Claire Coordinatrice" || !containsAll(results, `"reference":"A"`, `"components"`, `"rank":1`) || !containsAll(weights, `"skills":30`) {
			t.Fatalf("logged %q %s %s", actor, results, weights)
		}
	})
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestRunKeepsInStep: an idle engine picks changes up on its ticker.
func TestRunKeepsInStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := opts()
		o.SyncEvery = 10 * time.Millisecond
		e, err := match.Load(ctx, db, geo.Default(), o)
		if err != nil {
			t.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { e.Run(runCtx); close(done) }()
		defer func() { cancel(); <-done }()
		x := baseExpert(0, "A")
		x.UpdatedAt = matchtest.Now
		insertExpert(t, db, x)
		deadline := time.Now().Add(10 * time.Second)
		for e.Len() != 1 {
			if time.Now().After(deadline) {
				t.Fatal("Run did not pick the new expert up")
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// TestConcurrentWritersNeverMissed: writers commit out of order while an
// engine syncs in a loop; at the end it holds exactly what a fresh load
// reads. On PostgreSQL this is what the trigger's ordering lock is for.
func TestConcurrentWritersNeverMissed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var ids []int64
		for i := range 12 {
			x := baseExpert(0, "W-"+strconv.Itoa(i))
			x.UpdatedAt = matchtest.Now
			ids = append(ids, insertExpert(t, db, x))
		}
		e, err := match.Load(ctx, db, geo.Default(), opts())
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		synced := make(chan error, 1)
		go func() {
			for {
				select {
				case <-stop:
					synced <- nil
					return
				default:
				}
				if err := e.Sync(ctx); err != nil {
					synced <- err
					return
				}
			}
		}()
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(w), 9))
				for range 15 {
					id := ids[r.IntN(len(ids))]
					status := []string{"qualified", "candidate"}[r.IntN(2)]
					err := db.Tx(ctx, func(tx *sql.Tx) error {
						if _, err := tx.ExecContext(ctx, `UPDATE experts SET status = $1, updated_at = $2 WHERE id = $3`, status, time.Now().UTC(), id); err != nil {
							return err
						}
						time.Sleep(time.Duration(r.IntN(3)) * time.Millisecond) // commit later than the journal row was numbered
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		close(stop)
		if err := <-synced; err != nil {
			t.Fatal(err)
		}
		fresh, err := match.Load(ctx, db, geo.Default(), opts())
		if err != nil {
			t.Fatal(err)
		}
		a, _ := e.Rank(ctx, baseRequest(), 0)
		b, _ := fresh.Rank(ctx, baseRequest(), 0)
		if !slices.Equal(refs(a), refs(b)) || a.Excluded != b.Excluded {
			t.Fatalf("engine drifted from the database: %v %v, fresh %v %v", refs(a), a.Excluded, refs(b), b.Excluded)
		}
	})
}
