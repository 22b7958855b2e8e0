package app_test

import (
	"context"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestNobodyPassesTellsWhatToLoosen: when no expert passes a need's hard
// constraints, its page names the constraint that excludes most and what
// loosening each would give.
func TestNobodyPassesTellsWhatToLoosen(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	ta := newTestApp(t, db)
	j := newJourney(t, ta, db) // Alpha and Bravo hold entreprises.foncier at level 3
	today := date.Today()
	alpha, err := ta.Experts.Get(ctx, j.experts["alpha@vivier.test"], access.System)
	if err != nil {
		t.Fatal(err)
	}
	alpha.Profile.Availability = []expert.Period{{Start: today.AddDays(-7), End: today.AddDays(90), DaysPerWeek: 5}}
	if _, err := ta.Experts.Update(ctx, alpha.ID, alpha.Profile, access.System); err != nil {
		t.Fatal(err)
	}
	n, err := ta.Needs.Create(ctx, need.Input{Title: "Requalifier la zone d’activités", Commune: "01004", Kind: need.Mission,
		Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 4, Required: true}}, Start: today.AddDays(7), End: today.AddDays(40),
		DaysPerWeek: 2, Format: need.Onsite}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Match.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	_, body := ta.as(t, ta.emails["coordinator"]).get("/besoins/" + itoa(n.ID))
	hints := between(body, `id="relax-hints"`, "</div>")
	for _, want := range []string{"Le critère qui écarte le plus d’experts : <strong>compétence requise manquante</strong> (2 experts)",
		`<li data-reason="missing_skill">1 expert si le niveau 3 suffit</li>`} {
		if !strings.Contains(hints, want) {
			t.Errorf("the hints lack %q:\n%s", want, hints)
		}
	}
	// « Pourquoi pas cet expert ? » names the skill, and the pages name
	// languages.
	coord := ta.as(t, ta.emails["coordinator"])
	_, body = coord.get("/besoins/" + itoa(n.ID) + "?pourquoi=EXP-BRAVO")
	why := between(body, `id="why-answer"`, "</div>")
	if !strings.Contains(why, "Foncier, immobilier d&#39;entreprise, zones d&#39;activités") || strings.Contains(why, "entreprises.foncier") {
		t.Errorf("why not Bravo: %s", why)
	}
	_, body = coord.get("/besoins/" + itoa(n.ID) + "?pourquoi=EXP-ALPHA")
	if why := between(body, `id="why-answer"`, "</div>"); strings.Contains(why, "entreprises.foncier") {
		t.Errorf("why not Alpha: %s", why)
	}
	_, body = coord.get("/experts/" + itoa(alpha.ID))
	if !strings.Contains(body, "<dt>Langues</dt><dd>français</dd>") {
		t.Errorf("the expert's languages: %s", between(body, "<dt>Langues</dt>", "</dd>"))
	}
}
