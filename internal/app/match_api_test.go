package app_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// seedMatchPool imports the hand-made pool of the CLI tests (ten experts:
// two eligible, one excluded by each constraint, two out of zone) after
// the engine was loaded, and stores the need they are ranked for; it
// returns the need's id.
func seedMatchPool(t *testing.T, ta *testApp) int64 {
	t.Helper()
	ctx := context.Background()
	f, err := os.Open("../cli/testdata/match_pool.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := ta.Experts.Import(ctx, f, expert.ImportOptions{Limit: expert.MaxImportSize}, access.System); err != nil {
		t.Fatal(err)
	}
	rate := 700
	n, err := ta.Needs.Create(ctx, need.Input{Title: "Relance industrielle de la vallée", Description: "Diagnostic et plan d’action.",
		Commune: "69123", Kind: need.Mission, Start: date.MustParse("2026-12-01"), End: date.MustParse("2027-02-28"),
		DaysPerWeek: 2, MaxDailyRate: &rate, Format: need.Onsite, Languages: []string{"fr"},
		Skills: []need.WantedSkill{{Code: "filieres.industrie", MinLevel: 3, Required: true},
			{Code: "attractivite.strategie", MinLevel: 2}}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	return n.ID
}

type apiMatches struct {
	Matches []struct {
		Reference  string             `json:"reference"`
		Score      float64            `json:"score"`
		Components map[string]float64 `json:"components"`
	} `json:"matches"`
	Excluded map[string]int `json:"excluded"`
}

type apiExplanation struct {
	Reference string `json:"reference"`
	Eligible  bool   `json:"eligible"`
	Rank      int    `json:"rank"`
	Summary   string `json:"summary"`
	Failure   *struct {
		Reason string `json:"reason"`
		Day    string `json:"day"`
		SIREN  string `json:"siren"`
	} `json:"failure"`
}

func TestMatchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		id := seedMatchPool(t, ta)
		c := ta.apiClient(t, "coordinator", account.ScopeRead)
		base := fmt.Sprintf("/needs/%d/matches", id)
		const doc, explainDoc = "/needs/{id}/matches", "/needs/{id}/matches/{expert}/explain"

		var res apiMatches
		if code := c.call("GET", base, doc, nil, &res); code != 200 {
			t.Fatalf("matches: %d", code)
		}
		want := map[string]int{"not_qualified": 1, "missing_skill": 1, "unavailable": 1, "out_of_zone": 2,
			"conflict_of_interest": 1, "rate_too_high": 1, "language": 1}
		for k, n := range want {
			if res.Excluded[k] != n {
				t.Errorf("excluded[%s] = %d, want %d (%v)", k, res.Excluded[k], n, res.Excluded)
			}
		}
		if len(res.Matches) != 2 || res.Matches[0].Reference != "M-01" || res.Matches[1].Reference != "M-02" {
			t.Fatalf("matches %+v, want M-01 then M-02", res.Matches)
		}
		if code := c.call("GET", base+"?limit=1", doc, nil, &res); code != 200 || len(res.Matches) != 1 {
			t.Errorf("limit=1: %d, %d matches", code, len(res.Matches))
		}
		var e apiError
		for _, bad := range []string{"0", "x", "501"} {
			if code := c.call("GET", base+"?limit="+bad, doc, nil, &e); code != 422 || e.Error.Field != "limit" {
				t.Errorf("limit=%s: %d %+v, want 422 naming limit", bad, code, e)
			}
		}
		if code := c.call("GET", "/needs/999999/matches", doc, nil, &e); code != 404 {
			t.Errorf("unknown need: %d", code)
		}

		var ex apiExplanation
		if code := c.call("GET", base+"/M-05/explain", explainDoc, nil, &ex); code != 200 {
			t.Fatalf("explain: %d", code)
		}
		if ex.Eligible || ex.Failure == nil || ex.Failure.Reason != "unavailable" || ex.Failure.Day != "2027-02-28" {
			t.Errorf("explain M-05: %+v", ex)
		}
		if code := c.call("GET", base+"/M-07/explain", explainDoc, nil, &ex); code != 200 || ex.Failure == nil ||
			ex.Failure.Reason != "conflict_of_interest" || ex.Failure.SIREN != "200046977" {
			t.Errorf("explain M-07: %d %+v", code, ex)
		}
		ex = apiExplanation{}
		if code := c.call("GET", base+"/M-02/explain", explainDoc, nil, &ex); code != 200 || !ex.Eligible || ex.Rank != 2 {
			t.Errorf("explain M-02: %d %+v", code, ex)
		}
		if code := c.call("GET", base+"/NOPE/explain", explainDoc, nil, &e); code != 404 {
			t.Errorf("unknown expert: %d", code)
		}
		if code := c.call("GET", "/needs/999999/matches/M-01/explain", explainDoc, nil, &e); code != 404 {
			t.Errorf("unknown need: %d", code)
		}

		// Every ranking and explanation answered is in the log, with the caller.
		var logged int
		var actor string
		if err := db.QueryRowContext(context.Background(), `SELECT count(*), min(actor) FROM match_log WHERE need_id = $1 AND actor_id IS NOT NULL`, id).Scan(&logged, &actor); err != nil {
			t.Fatal(err)
		}
		if logged != 5 {
			t.Errorf("match_log holds %d rows for the need, want 5 (2 rankings, 3 explanations)", logged)
		}

		// Requesters, experts and members are refused by the policy.
		for _, who := range []string{"requester", "expert", "member"} {
			if code := ta.apiClient(t, who, account.ScopeRead).call("GET", base, doc, nil, &e); code != 403 {
				t.Errorf("%s: %d, want 403", who, code)
			}
		}
	})
}
