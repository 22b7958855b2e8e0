package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestMatchCommand ranks a hand-made pool of ten experts, one excluded by
// each hard constraint (and one failing two, counted under the first), on
// both engines.
func TestMatchCommand(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Source(t, engine)
			if code, _, stderr := run(t, ctx, "import", "--db", db, "experts", "testdata/match_pool.csv"); code != 0 {
				t.Fatalf("import: exit %d: %s", code, stderr)
			}
			need := "testdata/match_need.json"

			code, stdout, stderr := run(t, ctx, "match", "--db", db, "--need", need, "--format", "json")
			if code != 0 {
				t.Fatalf("match json: exit %d: %s", code, stderr)
			}
			var res struct {
				Matches []struct {
					Reference  string             `json:"reference"`
					Score      float64            `json:"score"`
					Components map[string]float64 `json:"components"`
				} `json:"matches"`
				Excluded map[string]int `json:"excluded"`
			}
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("%v in %s", err, stdout)
			}
			want := map[string]int{"not_qualified": 1, "missing_skill": 1, "unavailable": 1, "out_of_zone": 2,
				"conflict_of_interest": 1, "rate_too_high": 1, "language": 1}
			if len(res.Excluded) != len(want) {
				t.Errorf("excluded %v, want %v", res.Excluded, want)
			}
			for k, n := range want {
				if res.Excluded[k] != n {
					t.Errorf("excluded[%s] = %d, want %d (all: %v)", k, res.Excluded[k], n, res.Excluded)
				}
			}
			if len(res.Matches) != 2 || res.Matches[0].Reference != "M-01" || res.Matches[1].Reference != "M-02" {
				t.Fatalf("matches %+v, want M-01 then M-02", res.Matches)
			}
			if res.Matches[0].Score <= res.Matches[1].Score || res.Matches[0].Components["skills"] <= res.Matches[1].Components["skills"] {
				t.Errorf("M-01 (both skills, same commune) should score above M-02: %+v", res.Matches)
			}
			if len(res.Matches[0].Components) != 8 {
				t.Errorf("components %v, want the eight of the score", res.Matches[0].Components)
			}

			steps := []struct {
				name         string
				args         []string
				code         int
				stdout, errs []string
			}{
				{"limit", []string{"match", "--db", db, "--need", need, "--limit", "1"}, 0,
					[]string{`"reference": "M-01"`, `"out_of_zone": 2`}, nil},
				{"table", []string{"match", "--db", db, "--need", need, "--format", "table"}, 0,
					[]string{"2 experts éligibles sur 10 experts, 8 exclus", "rang  référence  nom", "M-01", "Claire Arnaud",
						"compétences", "hors zone", "conflit d’intérêts"}, nil},
				{"explain excluded", []string{"match", "--db", db, "--need", need, "--explain", "M-05"}, 0,
					[]string{`"reason": "unavailable"`, `"day": "2027-02-28"`, `"eligible": false`}, nil},
				{"explain eligible", []string{"match", "--db", db, "--need", need, "--explain", "M-02", "--format", "table"}, 0,
					[]string{"Expert M-02 : Classé 2 sur 2", "Rang 2 sur 2", "Compétences"}, nil},
				{"explain conflict in French", []string{"match", "--db", db, "--need", need, "--explain", "M-07", "--format", "table"}, 0,
					[]string{"Expert M-07 exclu (conflit d’intérêts) : ", "200046977"}, nil},
				{"unknown reference", []string{"match", "--db", db, "--need", need, "--explain", "NOPE"}, 1,
					nil, []string{"aucun expert n’a la référence « NOPE »"}},
				{"malformed", []string{"match", "--db", db, "--need", "testdata/match_need_malformed.json"}, 1,
					nil, []string{"JSON mal formé ligne 3, colonne 10"}},
				{"invalid fields", []string{"match", "--db", db, "--need", "testdata/match_need_invalid.json"}, 1,
					nil, []string{"commune", "skills[0].min_level"}},
				{"no need", []string{"match", "--db", db}, 2, nil, []string{"give the need with --need"}},
				{"bad format", []string{"match", "--db", db, "--need", need, "--format", "xml"}, 2, nil, []string{`format "xml"`}},
			}
			for _, st := range steps {
				code, stdout, stderr := run(t, ctx, st.args...)
				if code != st.code {
					t.Errorf("%s: exit %d, want %d (stderr %q)", st.name, code, st.code, stderr)
				}
				if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
					t.Errorf("%s: error on several lines: %q", st.name, stderr)
				}
				for _, w := range st.stdout {
					if !strings.Contains(stdout, w) {
						t.Errorf("%s: stdout %q lacks %q", st.name, stdout, w)
					}
				}
				for _, w := range st.errs {
					if !strings.Contains(stderr, w) {
						t.Errorf("%s: stderr %q lacks %q", st.name, stderr, w)
					}
				}
			}

			store, err := store.Open(ctx, db, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			var rankings, explanations int
			if err := store.QueryRowContext(ctx, `SELECT count(*) FROM match_log WHERE purpose = 'cli'`).Scan(&rankings); err != nil {
				t.Fatal(err)
			}
			if err := store.QueryRowContext(ctx, `SELECT count(*) FROM match_log WHERE purpose = 'cli-explain'`).Scan(&explanations); err != nil {
				t.Fatal(err)
			}
			if rankings != 3 || explanations != 3 {
				t.Errorf("match_log holds %d rankings and %d explanations, want 3 and 3", rankings, explanations)
			}
		})
	}
}
