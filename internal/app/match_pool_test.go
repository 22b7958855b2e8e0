package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestMutualiseNeeds groups a need with an open need of the same EPCI from
// its page: both pages then rank the group as one (union of the skills,
// intersection of the windows), the API too, and ungrouping restores each.
func TestMutualiseNeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		first := seedMatchPool(t, ta)
		create := func(title, commune string, start, end string, skills ...need.WantedSkill) int64 {
			n, err := ta.Needs.Create(ctx, need.Input{Title: title, Commune: commune, Kind: need.Mission,
				Start: date.MustParse(start), End: date.MustParse(end), DaysPerWeek: 2, Format: need.Onsite, Skills: skills}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			return n.ID
		}
		// Villeurbanne is in the Métropole de Lyon, as Lyon; Marseille is not near.
		second := create("Zone d’activités des Brosses", "69266", "2027-01-15", "2027-04-30",
			need.WantedSkill{Code: "filieres.industrie", MinLevel: 2, Required: true},
			need.WantedSkill{Code: "entreprises.foncier", MinLevel: 2, Required: true})
		far := create("Port de Marseille", "13055", "2027-01-15", "2027-04-30",
			need.WantedSkill{Code: "filieres.industrie", MinLevel: 2, Required: true})
		page := func(id int64) string { return fmt.Sprintf("/besoins/%d", id) }

		_, body := ta.get(t, "coordinator", page(first))
		if !strings.Contains(body, `name="need" value="`+fmt.Sprint(second)+`"`) || strings.Contains(body, `name="need" value="`+fmt.Sprint(far)+`"`) {
			t.Fatalf("pooling candidates: %s", excerpt(body, `id="pooling"`))
		}

		// Refused: nothing ticked, a need that is not a candidate.
		resp, body := ta.post(t, "coordinator", page(first)+"/mutualiser", url.Values{})
		if resp.StatusCode != 422 || !strings.Contains(body, "cochez au moins un besoin") {
			t.Errorf("nothing ticked: %d", resp.StatusCode)
		}
		resp, _ = ta.post(t, "coordinator", page(first)+"/mutualiser", url.Values{"need": {fmt.Sprint(far)}})
		if resp.StatusCode != 422 {
			t.Errorf("a far need: %d, want 422", resp.StatusCode)
		}
		if resp, _ = ta.post(t, "requester", page(first)+"/mutualiser", url.Values{"need": {fmt.Sprint(second)}}); resp.StatusCode != 403 {
			t.Errorf("requester: %d, want 403", resp.StatusCode)
		}

		resp, _ = ta.post(t, "coordinator", page(first)+"/mutualiser", url.Values{"need": {fmt.Sprint(second)}})
		if resp.StatusCode != 303 {
			t.Fatalf("mutualiser: %d", resp.StatusCode)
		}
		// The group needs foncier, which no expert has: only M-03 (not
		// qualified) is excluded for another reason.
		for _, id := range []int64{first, second} {
			_, body = ta.get(t, "coordinator", page(id))
			for _, want := range []string{"Ce besoin est mutualisé", "période commune du 15 janvier 2027 au 28 février 2027",
				`data-reason="missing_skill"><th scope="row">compétence requise manquante</th><td class="num">9</td>`,
				"Aucun expert ne remplit tous les critères impératifs", "Zone d’activités des Brosses", "Relance industrielle de la vallée"} {
				if !strings.Contains(body, want) {
					t.Errorf("need %d after grouping lacks %q", id, want)
				}
			}
		}
		var res apiMatches
		c := ta.apiClient(t, "admin", account.ScopeRead)
		if code := c.call("GET", fmt.Sprintf("/needs/%d/matches", second), nil, &res); code != 200 ||
			res.Excluded["missing_skill"] != 9 || len(res.Matches) != 0 {
			t.Errorf("API on the group: %d %+v", code, res)
		}

		resp, _ = ta.post(t, "coordinator", page(second)+"/dissocier", url.Values{})
		if resp.StatusCode != 303 {
			t.Fatalf("dissocier: %d", resp.StatusCode)
		}
		_, body = ta.get(t, "coordinator", page(first))
		if strings.Contains(body, "Ce besoin est mutualisé") || !strings.Contains(body, "2 experts éligibles") {
			t.Errorf("after ungrouping: %s", excerpt(body, `id="matching-summary"`))
		}
		if resp, _ = ta.post(t, "coordinator", page(first)+"/dissocier", url.Values{}); resp.StatusCode != 422 {
			t.Errorf("ungroup a lone need: %d, want 422", resp.StatusCode)
		}
		var audited int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('need.grouped', 'need.ungrouped')`).Scan(&audited)
		if audited != 4 {
			t.Errorf("%d audit entries, want 2 grouped and 2 ungrouped", audited)
		}
	})
}
