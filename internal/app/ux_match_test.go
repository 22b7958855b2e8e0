package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/fr"
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
	for _, want := range []string{fr.TypesetString("Le critère qui écarte le plus d’experts : <strong>compétence requise manquante</strong> (2 experts)"),
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
	if !strings.Contains(why, "Foncier, immobilier d’entreprise, zones d’activités") || strings.Contains(why, "entreprises.foncier") {
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

// TestProposingAnExcludedExpertNeedsAReason: the need page proposes from
// one form; an expert the ranking excludes is proposed only with a stated
// reason, which the ranking log keeps; the page reads in its order, each
// section once.
func TestProposingAnExcludedExpertNeedsAReason(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	ta := newTestApp(t, db)
	j := newJourney(t, ta, db) // nobody available: both excluded
	if err := ta.Needs.Qualify(ctx, j.needID, "Clair.", access.System); err != nil {
		t.Fatal(err)
	}
	if err := ta.Match.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	coord := ta.as(t, ta.emails["coordinator"])
	path := "/besoins/" + itoa(j.needID)
	_, body := coord.get(path)
	order := []string{`id="need-status"`, `id="need-transition"`, `id="shortlist"`, `id="propositions"`, `id="pooling"`, `id="t-history"`}
	last := -1
	for _, marker := range order {
		i := strings.Index(body, marker)
		if i < 0 || i < last || strings.Count(body, marker) != 1 {
			t.Errorf("the need page's %s: at %d after %d, %d times", marker, i, last, strings.Count(body, marker))
		}
		last = i
	}
	if n := strings.Count(body, `action="/besoins/`+itoa(j.needID)+`/propositions"`); n != 1 {
		t.Errorf("%d forms propose experts on the need page, want 1", n)
	}
	status, body := coord.post(path+"/propositions", url.Values{"references": {"EXP-ALPHA"}})
	if status != 422 || !strings.Contains(body, "le classement exclut EXP-ALPHA (non disponible)") {
		t.Fatalf("proposing an excluded expert without a reason: %d %s", status, between(body, `id="e-reason"`, "</p>"))
	}
	if n := count(t, db, `SELECT count(*) FROM proposals`); n != 0 {
		t.Errorf("%d proposals made without a reason", n)
	}
	status, _ = coord.post(path+"/propositions", url.Values{"references": {"EXP-ALPHA"}, "reason": {"Disponible en janvier, confirmé par téléphone."}})
	if status != 303 {
		t.Fatalf("proposing with a reason: %d", status)
	}
	if n := count(t, db, `SELECT count(*) FROM match_log WHERE purpose = 'override' AND note = 'Disponible en janvier, confirmé par téléphone.'`); n != 1 {
		t.Errorf("the reason is not in the ranking log (%d)", n)
	}
	if _, body := coord.get("/classements?besoin=" + itoa(j.needID)); !strings.Contains(body, "proposé hors classement") {
		t.Error("the ranking log page does not show the override")
	}
}
