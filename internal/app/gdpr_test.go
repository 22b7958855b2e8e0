package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestExportAndErasureCoverTheProfileAndMissions: an expert downloads their
// data, which holds their account, expert profile and the proposal they
// declined with its reason; a coordinator erases them: the profile is
// anonymised, the reason is gone, the proposal's figures stay, and they can
// no longer log in.
func TestExportAndErasureCoverTheProfileAndMissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		j := newJourney(t, ta, db)
		if err := need.New(need.Options{DB: db, Geo: geo.Default()}).Qualify(ctx, j.needID, "", access.System); err != nil {
			t.Fatal(err)
		}
		bravoID := j.experts["bravo@vivier.test"]
		coord, bravo := ta.as(t, ta.emails["coordinator"]), ta.as(t, "bravo@vivier.test")
		coord.post("/besoins/"+itoa(j.needID)+"/propositions", url.Values{"expert": {itoa(bravoID)}, "message": {"Bonjour"}})
		ps, _ := ta.Missions.NeedProposals(ctx, j.needID, access.System)
		if len(ps) != 1 {
			t.Fatalf("%d proposals", len(ps))
		}
		bravo.post("/propositions/"+itoa(ps[0].ID)+"/reponse", url.Values{"decision": {"decline"}, "reason": {"Je suis en congé parental"}})

		code, body := bravo.get("/compte/mes-donnees.json")
		var doc map[string]json.RawMessage
		if code != 200 || json.Unmarshal([]byte(body), &doc) != nil {
			t.Fatalf("export: %d", code)
		}
		for _, section := range []string{"account", "expert", "missions", "consents", "audit_log"} {
			if _, ok := doc[section]; !ok {
				t.Errorf("the export has no %q section", section)
			}
		}
		if !strings.Contains(string(doc["missions"]), "Je suis en congé parental") || !strings.Contains(string(doc["expert"]), "bravo@vivier.test") {
			t.Errorf("the export lacks the proposal's reason or the profile")
		}

		u, _ := account.ByEmail(ctx, db, "bravo@vivier.test")
		if code, _ := coord.post("/admin/utilisateurs/"+itoa(u.ID)+"/effacer", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("erase: %d", code)
		}
		var last, email, reason, status string
		db.QueryRowContext(ctx, "SELECT last_name, email FROM experts WHERE id = $1", bravoID).Scan(&last, &email)
		if strings.Contains(last, "Bravo") || strings.Contains(email, "bravo") {
			t.Errorf("the expert profile keeps its identity: %q %q", last, email)
		}
		db.QueryRowContext(ctx, "SELECT reason, status FROM proposals WHERE id = $1", ps[0].ID).Scan(&reason, &status)
		if reason != "" || status != "declined" {
			t.Errorf("after erasure the proposal has reason %q and status %q, want no reason and its status kept", reason, status)
		}
		if _, err := ta.Accounts.LoginWithPassword(ctx, "bravo@vivier.test", testPassword, account.Client{IP: "127.0.0.1"}); err == nil {
			t.Error("an erased person logged in")
		}
	})
}
