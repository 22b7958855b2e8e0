package app_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestNeedPageShortlist opens a need's page as a coordinator: the ranked
// shortlist with a bar per component, a one-line reason, the excluded counts
// by reason, the proposal form, and the "pourquoi pas cet expert ?" box.
func TestNeedPageShortlist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		id := seedMatchPool(t, ta)
		page := fmt.Sprintf("/besoins/%d", id)
		resp, body := ta.get(t, "coordinator", page)
		if resp.StatusCode != 200 {
			t.Fatalf("need page: %d", resp.StatusCode)
		}
		for _, want := range []string{
			"2 experts éligibles sur 10 experts du vivier ; 8 exclus",
			`<form method="post" action="/besoins/` + fmt.Sprint(id) + `/propositions" id="propose-form">`,
			`name="message"`, "Proposer les experts sélectionnés",
			"Claire Arnaud", "Paul Besson",
			`data-reason="out_of_zone"><th scope="row">hors zone</th><td class="num">2</td>`,
			`data-reason="language"><th scope="row">langue</th><td class="num">1</td>`,
			"Points forts : compétences",
		} {
			if !strings.Contains(body, fr.TypesetString(want)) {
				t.Errorf("need page lacks %q", want)
			}
		}
		// The shortlist in rank order, each row with its checkbox and eight bars.
		rows := regexp.MustCompile(`<tr data-reference="([^"]+)">`).FindAllStringSubmatch(body, -1)
		if len(rows) != 2 || rows[0][1] != "M-01" || rows[1][1] != "M-02" {
			t.Errorf("shortlist rows %v, want M-01 then M-02", rows)
		}
		if n := strings.Count(body, `<meter class="bar"`); n != 16 {
			t.Errorf("%d bars, want 8 per expert", n)
		}
		if n := strings.Count(body, `type="checkbox" name="expert"`); n != 2 {
			t.Errorf("%d checkboxes, want one per expert", n)
		}
		csrf := regexp.MustCompile(`id="propose-form">\s*<input type="hidden" name="csrf" value="([^"]+)">`).FindStringSubmatch(body)
		if csrf == nil || csrf[1] == "" {
			t.Error("the proposal form has no CSRF token")
		}

		// Pourquoi pas: by reference, by name, unknown.
		_, body = ta.get(t, "coordinator", page+"?pourquoi=M-05")
		if !strings.Contains(body, "Lucie Etienne (M-05)") || !strings.Contains(body, "n’est pas disponible le 28 février 2027") {
			t.Errorf("pourquoi M-05: %s", excerpt(body, `id="why"`))
		}
		_, body = ta.get(t, "coordinator", page+"?pourquoi=sophie+garnier")
		if !strings.Contains(body, "Sophie Garnier (M-07)") || !strings.Contains(body, "200046977") {
			t.Errorf("pourquoi Sophie Garnier: %s", excerpt(body, `id="why"`))
		}
		_, body = ta.get(t, "coordinator", page+"?pourquoi=M-02")
		if !strings.Contains(body, "Classé 2 sur 2") {
			t.Errorf("pourquoi M-02: %s", excerpt(body, `id="why"`))
		}
		_, body = ta.get(t, "coordinator", page+"?pourquoi=Personne")
		if !strings.Contains(body, fr.TypesetString("Aucun expert n’a la référence ou le nom "+fr.Quote("Personne"))) {
			t.Errorf("pourquoi Personne: %s", excerpt(body, `id="why-form"`))
		}

		// A closed need is still ranked, for the record, but proposes no one.
		if err := ta.Needs.Transition(context.Background(), id, need.Cancelled, "abandonné", access.System); err != nil {
			t.Fatal(err)
		}
		_, body = ta.get(t, "coordinator", page)
		if !strings.Contains(body, `data-reference="M-01"`) || strings.Contains(body, "Proposer les experts sélectionnés") ||
			strings.Contains(body, `name="expert"`) {
			t.Errorf("closed need: %s", excerpt(body, `id="matching"`))
		}

		// Every ranking and explanation shown is logged with the coordinator.
		var shown, explained int
		ctx := context.Background()
		db.QueryRowContext(ctx, `SELECT count(*) FROM match_log WHERE need_id = $1 AND purpose = 'page' AND actor_id IS NOT NULL`, id).Scan(&shown)
		db.QueryRowContext(ctx, `SELECT count(*) FROM match_log WHERE need_id = $1 AND purpose = 'page-explain'`, id).Scan(&explained)
		if shown != 6 || explained != 3 {
			t.Errorf("match_log: %d rankings shown and %d explanations, want 6 and 3", shown, explained)
		}
	})
}

// excerpt returns a little of body from marker on, for failure messages.
func excerpt(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return "(" + marker + " not found)"
	}
	return body[i:min(len(body), i+800)]
}
