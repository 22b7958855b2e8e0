package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/match"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestWeightsAndRankingLog: an administrator reads and changes the weights
// (invalid values shown beside their fields, nothing written), and the
// ranking log lists who saw which ranking with which weights.
func TestWeightsAndRankingLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		id := seedMatchPool(t, ta)

		resp, body := ta.get(t, "admin", "/admin/ponderation")
		def := match.DefaultWeights()
		if resp.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`name="skills" type="number" value="%d"`, def.Skills)) ||
			!strings.Contains(body, "Expérience territoriale") {
			t.Fatalf("weights page: %d", resp.StatusCode)
		}
		good := url.Values{"skills": {"50"}, "availability": {"10"}, "proximity": {"10"}, "experience": {"10"},
			"reviews": {"5"}, "rate": {"5"}, "load": {"5"}, "freshness": {"5"}}
		bad := url.Values{}
		for k, v := range good {
			bad[k] = v
		}
		bad.Set("skills", "0")
		bad.Set("rate", "beaucoup")
		resp, body = ta.post(t, "admin", "/admin/ponderation", bad)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="e-skills"`) || !strings.Contains(body, `id="e-rate"`) ||
			!strings.Contains(body, `value="beaucoup"`) {
			t.Errorf("invalid weights: %d %s", resp.StatusCode, excerpt(body, `id="erreurs"`))
		}
		if w, _ := ta.Match.Weights(ctx, access.System); w != def {
			t.Errorf("invalid weights were written: %+v", w)
		}
		if resp, _ = ta.post(t, "admin", "/admin/ponderation", good); resp.StatusCode != 303 {
			t.Fatalf("save weights: %d", resp.StatusCode)
		}
		if w, _ := ta.Match.Weights(ctx, access.System); w.Skills != 50 || w.Freshness != 5 {
			t.Errorf("stored weights: %+v", w)
		}

		// The need page ranks with the new weights, and the log says so.
		ta.get(t, "coordinator", fmt.Sprintf("/besoins/%d", id))
		resp, body = ta.get(t, "coordinator", fmt.Sprintf("/classements?besoin=%d", id))
		if resp.StatusCode != 200 {
			t.Fatalf("ranking log: %d", resp.StatusCode)
		}
		for _, want := range []string{"1 classement consigné", "page du besoin", "Relance industrielle de la vallée",
			"1. M-01", "2. M-02", "compétences 50", "profil à jour 5"} {
			if !strings.Contains(body, want) {
				t.Errorf("ranking log lacks %q: %s", want, excerpt(body, `id="ranking-log"`))
			}
		}
		var audited int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'match.%'`).Scan(&audited)
		if audited != 1 {
			t.Errorf("%d audit entries for the weights, want 1", audited)
		}
	})
}
