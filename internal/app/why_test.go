package app_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/fr"
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
		if err := need.New(need.Options{DB: db, Geo: geo.Default()}).Qualify(ctx, j.needID, "", access.System); err != nil {
			t.Fatal(err)
		}
		alphaID := j.experts["alpha@vivier.test"]
		// Alpha is available over the need's window, so that they rank.
		alpha, err := ta.Experts.Get(ctx, alphaID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		today := date.Today()
		alpha.Profile.Availability = []expert.Period{{Start: today.AddDays(-7), End: today.AddDays(60), DaysPerWeek: 5}}
		if _, err := ta.Experts.Update(ctx, alphaID, alpha.Profile, access.System); err != nil {
			t.Fatal(err)
		}
		if err := ta.Match.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		// The coordination ranks the need (the service logs what it showed)…
		n, err := ta.Needs.Get(ctx, j.needID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		ranking, err := ta.Match.RankNeed(ctx, n, 20, "page", access.System)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ranking.Result.Matches, func(m match.Match) bool { return m.ExpertID == alphaID })
		if i < 0 {
			t.Fatalf("Alpha is not in the ranking: %+v", ranking.Result)
		}
		shown := ranking.Result.Matches[i]
		coord, alphaClient := ta.as(t, ta.emails["coordinator"]), ta.as(t, "alpha@vivier.test")
		if code, _ := coord.post("/besoins/"+itoa(j.needID)+"/propositions", url.Values{"expert": {itoa(alphaID)}, "message": {"Bonjour"}}); code != http.StatusSeeOther {
			t.Fatalf("propose: %d", code)
		}
		ps, err := ta.Missions.NeedProposals(ctx, j.needID, access.System)
		if err != nil || len(ps) != 1 {
			t.Fatalf("proposals: %d %v", len(ps), err)
		}
		code, body := alphaClient.get("/propositions/" + itoa(ps[0].ID))
		// …and the expert reads that record on their proposal.
		if code != 200 || !strings.Contains(body, "Pourquoi cette proposition") || !strings.Contains(body, "au rang "+itoa(int64(shown.Rank))) ||
			!strings.Contains(body, fr.Decimal(shown.Score, 2)) {
			t.Fatalf("the expert's proposal page does not say why (rank %d, score %v): %d", shown.Rank, shown.Score, code)
		}
		if !strings.Contains(body, fr.Decimal(shown.Components.Skills, 2)) {
			t.Error("the skills criterion of the logged ranking is not shown")
		}
	})
}
