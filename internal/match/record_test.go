package match_test

import (
	"testing"
	"time"

	"vivier/internal/match"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestLatestRecordIsWhatTheCoordinatorSaw checks that an expert's "why was
// I chosen" reads the latest logged ranking of the need that holds them,
// with its components and weights, and nothing for an expert never shown.
func TestLatestRecordIsWhatTheCoordinatorSaw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Now().UTC()
		var org, needID int64
		if err := db.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, created_at, updated_at) VALUES ('commune', 'Ambérieux', $1, $1) RETURNING id`, now).Scan(&org); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, `INSERT INTO needs (title, commune, requester_id, kind, start_date, end_date, days_per_week, format, created_at, updated_at)
			VALUES ('Relancer la zone d''activités', '01004', $1, 'mission', '2027-01-04', '2027-03-26', 2, 'onsite', $2, $2) RETURNING id`, org, now).Scan(&needID); err != nil {
			t.Fatal(err)
		}
		a := insertExpert(t, db, match.Expert{Reference: "A", Status: "qualified", UpdatedAt: now})
		b := insertExpert(t, db, match.Expert{Reference: "B", Status: "qualified", UpdatedAt: now})
		never := insertExpert(t, db, match.Expert{Reference: "C", Status: "qualified", UpdatedAt: now})
		w := match.DefaultWeights()
		for i, order := range [][]int64{{a, b}, {b, a}} {
			res := match.Result{Weights: w}
			for rank, id := range order {
				res.Matches = append(res.Matches, match.Match{ExpertID: id, Rank: rank + 1, Score: 0.9 - 0.1*float64(rank),
					Components: match.Components{Skills: 1 - 0.25*float64(i), Proximity: 0.5}})
			}
			if err := match.LogRanking(ctx, db, match.LogEntry{Actor: "Julien Moreau", Purpose: "shown", NeedID: needID, Result: res}); err != nil {
				t.Fatal(err)
			}
		}
		rec, ok, err := match.LatestRecord(ctx, db, needID, a)
		if err != nil || !ok {
			t.Fatalf("record of A: %v %v", ok, err)
		}
		if rec.Rank != 2 || rec.Components.Skills != 0.75 || rec.Weights != w {
			t.Errorf("record of A = %+v, want the latest ranking (rank 2, skills 0.75)", rec)
		}
		if parts := rec.Parts(); len(parts) != len(match.ComponentList()) || parts[0].Label == "" {
			t.Errorf("parts = %+v", parts)
		}
		if _, ok, err := match.LatestRecord(ctx, db, needID, never); ok || err != nil {
			t.Errorf("an expert never ranked has a record: %v %v", ok, err)
		}
	})
}
