package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/browsertest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestPoolJourneyInBrowser walks, in headless Chromium, the pool's main
// journey: a mayor submits a need through the public form, picking the
// commune with the autocomplete; the confirmation shows and the email is in
// the outbox. A coordinator logs in, finds an expert with filters and free
// text, qualifies them with a comment, then opens the need and qualifies it,
// and last renames a skill and finds its expert by the new label.
func TestPoolJourneyInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()
	for _, p := range []struct {
		ref, first, last, skill string
		level                   int
		commune                 string
	}{
		{"EXP-1", "Élodie", "Martin", "filieres.industrie", 4, "69123"},
		{"EXP-2", "Paul", "Durand", "filieres.industrie", 2, "33063"},
		{"EXP-3", "Chloé", "Moreau", "filieres.tourisme", 4, "69123"},
	} {
		if _, err := ta.Experts.Create(ctx, poolProfile(p.ref, p.first, p.last, p.skill, p.level, p.commune), access.System); err != nil {
			t.Fatal(err)
		}
	}
	page := browsertest.NewPage(t, ta.srv.URL)

	// The mayor, from the home page.
	page.Visit("/").Submit(`a.button[href="/besoins/nouveau"]`)
	page.Fill("#f-title", "Relancer la zone d’activités des Granges").
		Set("#f-description", "Trois lots vides ; nous voulons attirer une PME industrielle.").
		Fill("#f-commune", "Ambérieu-en")
	choice := ""
	for deadline := time.Now().Add(5 * time.Second); choice == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		choice, _ = page.Eval(`(document.querySelector("#communes-list option") || {}).value || ""`).(string)
	}
	if !strings.Contains(choice, "Ambérieu-en-Bugey") {
		t.Fatalf("the commune picker offered %q", choice)
	}
	page.Fill("#f-commune", choice)
	page.Eval(`document.querySelectorAll("details.domain").forEach(function (d) { d.open = true })`)
	page.Check(`input[name=skills][value="entreprises.foncier"]`).Check(`input[name=skills][value="attractivite.prospection"]`)
	page.Set("#f-start", "2027-01-04").Set("#f-end", "2027-03-26").Fill("#f-days_per_week", "2").
		Fill("#f-contact_name", "Martine Lefèvre").Set("#f-contact_role", "Maire").Fill("#f-contact_email", "mairie.amberieu@exemple.fr").
		Check("#f-consent").
		Submit(`form.need-form button[type=submit]`)
	if got := page.Text("h1"); got != "Confirmez votre adresse électronique" {
		t.Fatalf("after submitting: %q (%s)", got, page.Text("main"))
	}
	// The mayor follows the link of the email, and confirms.
	page.Visit(confirmationPath(t, db, "mairie.amberieu@exemple.fr")).Submit(`form[action^="/confirmer-besoin/"] button[type=submit]`)
	if got := page.Text("h1"); got != "Merci, votre besoin est enregistré" {
		t.Fatalf("after confirming: %q (%s)", got, page.Text("main"))
	}
	if !strings.Contains(page.Text("#need-received"), "Ambérieu-en-Bugey") {
		t.Errorf("confirmation: %q", page.Text("#need-received"))
	}

	// The coordinator.
	page.Visit("/connexion").Fill("#f-email", "coordinator@vivier.test").Fill("#f-password", testPassword).
		Submit(`form[action="/connexion"] button[type=submit]`)
	page.Visit("/experts")
	if n := page.Count("#experts tbody tr"); n != 3 {
		t.Errorf("%d experts listed before filtering", n)
	}
	page.Set("#f-skill", "filieres.industrie").Set("#f-niveau", "3").Fill("#f-q", "industriel").
		Submit(`form.filters button[type=submit]`)
	if list := page.Text("#experts tbody"); !strings.Contains(list, "Martin") || strings.Contains(list, "Durand") || strings.Contains(list, "Moreau") {
		t.Fatalf("filtered list: %q", list)
	}
	page.Submit(`#experts tbody a`)
	page.Check(`#qualification input[value=qualified]`).Set("#f-comment", "Entretien concluant, références vérifiées").
		Submit(`#qualification button[type=submit]`)
	if got := page.Text("#expert-status"); got != "qualifié" {
		t.Errorf("expert status after qualifying: %q", got)
	}
	if !strings.Contains(page.Text("#history"), "Entretien concluant, références vérifiées") {
		t.Error("the comment is not in the expert's history")
	}
	page.Visit("/besoins").Submit(`#needs tbody a`)
	if !strings.Contains(page.Text("h1"), "Relancer la zone") {
		t.Fatalf("need page: %q", page.Text("h1"))
	}
	page.Check(`#need-transition input[value=qualified]`).Set("#f-comment", "Appelé la maire : besoin confirmé").
		Submit(`#need-transition button[type=submit]`)
	if got := page.Text("#need-status"); got != "qualifié" {
		t.Errorf("need status after qualifying: %q", got)
	}
	if !strings.Contains(page.Text("#history"), "Appelé la maire") {
		t.Error("the comment is not in the need's history")
	}

	// The coordinator renames a skill: the search finds its experts by the
	// new label at once.
	page.Visit("/competences").Fill(`[id="l-filieres.tourisme"]`, "Tourisme et loisirs").
		Submit(`[id="skill-filieres.tourisme"] button[type=submit]`)
	if got := page.Text(".notice.ok"); !strings.Contains(got, "renommée") {
		t.Errorf("after renaming: %q", got)
	}
	if got := page.Value(`[id="l-filieres.tourisme"]`); got != "Tourisme et loisirs" {
		t.Errorf("the label field holds %q after renaming", got)
	}
	page.Visit("/experts").Fill("#f-q", "loisirs").Submit(`form.filters button[type=submit]`)
	if list := page.Text("#experts tbody"); !strings.Contains(list, "Moreau") || strings.Contains(list, "Martin") {
		t.Errorf("search by the new label: %q", list)
	}
}
