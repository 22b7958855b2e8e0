package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
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

// ranks checks that the ranking answered lists the references, in order.
func ranks(refs ...string) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		var res apiMatches
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range res.Matches {
			got = append(got, m.Reference)
		}
		if !slices.Equal(got, refs) {
			t.Errorf("matches %v, want %v", got, refs)
		}
	}
}

func TestMatchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		id := seedMatchPool(t, ta)
		staff := ta.apiToken(t, "coordinator", account.ScopeRead)
		base := fmt.Sprintf("/api/v1/needs/%d/matches", id)
		refused := []scenario{}
		for _, who := range []string{"requester", "expert", "member"} {
			// Requesters, experts and members are refused by the policy.
			refused = append(refused, scenario{name: who + " is refused", path: base, token: ta.apiToken(t, who, account.ScopeRead),
				status: 403, want: []string{errorCode("forbidden")}})
		}

		runScenarios(t, ta, append([]scenario{
			{name: "ranking", path: base, token: staff, status: 200,
				want: []string{`"not_qualified":1`, `"missing_skill":1`, `"unavailable":1`, `"out_of_zone":2`,
					`"conflict_of_interest":1`, `"rate_too_high":1`, `"language":1`},
				check: ranks("M-01", "M-02")},
			{name: "limit=1", path: base + "?limit=1", token: staff, status: 200, check: ranks("M-01")},
			{name: "limit=0", path: base + "?limit=0", token: staff, breaks: true, status: 422, want: []string{errorField("limit")}},
			{name: "limit=x", path: base + "?limit=x", token: staff, breaks: true, status: 422, want: []string{errorField("limit")}},
			{name: "limit=501", path: base + "?limit=501", token: staff, breaks: true, status: 422, want: []string{errorField("limit")}},
			{name: "an unknown need", path: "/api/v1/needs/999999/matches", token: staff, status: 404, want: []string{errorCode("not_found")}},

			{name: "explain an unavailable expert", path: base + "/M-05/explain", token: staff, status: 200,
				want: []string{`"eligible":false`, `"reason":"unavailable"`, `"day":"2027-02-28"`}},
			{name: "explain a conflict of interest", path: base + "/M-07/explain", token: staff, status: 200,
				want: []string{`"reason":"conflict_of_interest"`, `"siren":"200046977"`}},
			{name: "explain an eligible expert", path: base + "/M-02/explain", token: staff, status: 200,
				want: []string{`"eligible":true`, `"rank":2,`}, notWant: []string{`"failure"`}},
			{name: "explain an unknown expert", path: base + "/NOPE/explain", token: staff, status: 404, want: []string{errorCode("not_found")}},
			{name: "explain for an unknown need", path: "/api/v1/needs/999999/matches/M-01/explain", token: staff,
				status: 404, want: []string{errorCode("not_found")}},
		}, refused...))

		// Every ranking and explanation answered is in the log, with the caller.
		var logged int
		var actor string
		if err := db.QueryRowContext(context.Background(), `SELECT count(*), min(actor) FROM match_log WHERE need_id = $1 AND actor_id IS NOT NULL`, id).Scan(&logged, &actor); err != nil {
			t.Fatal(err)
		}
		if logged != 5 {
			t.Errorf("match_log holds %d rows for the need, want 5 (2 rankings, 3 explanations)", logged)
		}
	})
}
