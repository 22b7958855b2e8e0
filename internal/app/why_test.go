package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestExpertSeesWhyTheyWereProposed: the ranking a coordinator saw is kept
// in the ranking log; the expert who then receives a proposal reads, on it,
// their rank, score and each criterion of that ranking (AI Act oversight).
func TestExpertSeesWhyTheyWereProposed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		j := newJourney(t, ta, db)
		if err := need.New(db, geo.Default()).Qualify(ctx, j.needID, "", access.Actor{}); err != nil {
			t.Fatal(err)
		}
		alphaID := j.experts["alpha@vivier.test"]
		shown := match.Result{Weights: match.DefaultWeights(), Matches: []match.Match{{ExpertID: alphaID, Reference: "EXP-ALPHA", Rank: 1, Score: 0.87,
			Components: match.Components{Skills: 0.75, Proximity: 0.25, Availability: 1}}}}
		if err := match.LogRanking(ctx, db, match.LogEntry{Actor: "Compte coordinator", Purpose: "shown", NeedID: j.needID, Result: shown}); err != nil {
			t.Fatal(err)
		}
		coord, alpha := ta.as(t, ta.emails["coordinator"]), ta.as(t, "alpha@vivier.test")
		if code, _ := coord.post("/besoins/"+itoa(j.needID)+"/propositions", url.Values{"expert": {itoa(alphaID)}, "message": {"Bonjour"}}); code != http.StatusSeeOther {
			t.Fatalf("propose: %d", code)
		}
		ps, err := ta.Missions.NeedProposals(ctx, j.needID)
		if err != nil || len(ps) != 1 {
			t.Fatalf("proposals: %d %v", len(ps), err)
		}
		code, body := alpha.get("/propositions/" + itoa(ps[0].ID))
		if code != 200 || !strings.Contains(body, "Pourquoi cette proposition") || !strings.Contains(body, "au rang 1") || !strings.Contains(body, "0,87") {
			t.Fatalf("the expert's proposal page does not say why: %d", code)
		}
		if !strings.Contains(body, "0,75") {
			t.Error("the skills criterion of the logged ranking is not shown")
		}
	})
}
