package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestDeclaredConflicts: a coordinator declares a conflict of interest of
// an expert with the need's commune; the next ranking excludes the expert
// for it, and withdrawing the SIREN brings them back.
func TestDeclaredConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		needID := seedMatchPool(t, ta)
		var expertID int64
		if err := db.QueryRowContext(ctx, `SELECT id FROM experts WHERE reference = 'M-01'`).Scan(&expertID); err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/experts/%d/conflits", expertID)
		c := ta.apiClient(t, "coordinator", account.ScopeRead)
		matches := fmt.Sprintf("/needs/%d/matches", needID)
		var ex apiExplanation

		resp, body := ta.get(t, "coordinator", page)
		if resp.StatusCode != 200 || !strings.Contains(body, "Aucun conflit d’intérêts déclaré") || !strings.Contains(body, "Claire Arnaud") {
			t.Fatalf("conflicts page: %d", resp.StatusCode)
		}
		resp, body = ta.post(t, "coordinator", page, url.Values{"siren": {"216901232"}})
		if resp.StatusCode != 422 || !strings.Contains(body, `id="e-siren"`) || !strings.Contains(body, `value="216901232"`) {
			t.Errorf("bad SIREN: %d %s", resp.StatusCode, excerpt(body, `id="erreurs"`))
		}
		// Lyon's own SIREN, typed with spaces.
		if resp, _ = ta.post(t, "coordinator", page, url.Values{"siren": {"216 901 231"}}); resp.StatusCode != 303 {
			t.Fatalf("declare: %d", resp.StatusCode)
		}
		_, body = ta.get(t, "coordinator", page)
		if !strings.Contains(body, `data-siren="216901231"`) {
			t.Error("the declared SIREN is not listed")
		}
		var res apiMatches
		c.call("GET", matches, nil, &res)
		if res.Excluded["conflict_of_interest"] != 2 || len(res.Matches) != 1 || res.Matches[0].Reference != "M-02" {
			t.Errorf("after declaring: %+v", res)
		}
		c.call("GET", matches+"/M-01/explain", nil, &ex)
		if ex.Eligible || ex.Failure == nil || ex.Failure.Reason != "conflict_of_interest" || ex.Failure.SIREN != "216901231" {
			t.Errorf("explain after declaring: %+v", ex)
		}

		if resp, _ = ta.post(t, "coordinator", page+"/supprimer", url.Values{"siren": {"216901231"}}); resp.StatusCode != 303 {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		c.call("GET", matches, nil, &res)
		if res.Excluded["conflict_of_interest"] != 1 || len(res.Matches) != 2 || res.Matches[0].Reference != "M-01" {
			t.Errorf("after removing: %+v", res)
		}
		if resp, _ = ta.get(t, "coordinator", "/experts/999999/conflits"); resp.StatusCode != 404 {
			t.Errorf("unknown expert: %d", resp.StatusCode)
		}
		if resp, _ = ta.post(t, "coordinator", "/experts/999999/conflits", url.Values{"siren": {"216901231"}}); resp.StatusCode != 404 {
			t.Errorf("declare for an unknown expert: %d", resp.StatusCode)
		}
		var audited int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('expert.conflict_declared', 'expert.conflict_removed') AND subject = $1`,
			fmt.Sprintf("expert:%d", expertID)).Scan(&audited)
		if audited != 2 {
			t.Errorf("%d audit entries, want 2", audited)
		}
	})
}
