package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestSkillRenameIsSearchedAndAddRefusesBadCodes walks the coordinators'
// skill page: renaming a label makes the search find experts and needs by
// the new label at once, an empty label is refused beside its field with
// nothing changed, a new skill needs a well-formed code, and both changes
// are in the audit log.
func TestSkillRenameIsSearchedAndAddRefusesBadCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		if _, err := ta.Experts.Create(ctx, poolProfile("EXP-T", "Lucie", "Bernard", "filieres.tourisme", 3, "33063"), access.System); err != nil {
			t.Fatal(err)
		}
		if _, err := ta.Needs.Create(ctx, need.Input{Title: "Relancer la fréquentation du lac", Commune: "01001", Kind: need.Mission,
			Start: date.MustParse("2027-01-04"), End: date.MustParse("2027-03-26"), DaysPerWeek: 2, Format: need.Onsite,
			Languages: []string{"fr"}, Skills: []need.WantedSkill{{Code: "filieres.tourisme", MinLevel: 2, Required: true}}}, access.System); err != nil {
			t.Fatal(err)
		}
		found := func(path, name string) bool {
			resp, body := ta.get(t, "coordinator", path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, resp.StatusCode)
			}
			return strings.Contains(body, name)
		}
		if found("/experts?q=loisirs", ">Lucie Bernard<") || found("/besoins?q=loisirs", "fréquentation du lac") {
			t.Fatal("« loisirs » is found before the rename")
		}

		resp, body := ta.post(t, "coordinator", "/competences/filieres.tourisme", url.Values{"label": {"  "}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "donnez un libellé à la compétence") {
			t.Fatalf("an empty label: %d", resp.StatusCode)
		}
		resp, _ = ta.post(t, "coordinator", "/competences/filieres.tourisme", url.Values{"label": {"Tourisme et loisirs"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("rename: %d", resp.StatusCode)
		}
		if !found("/competences", `value="Tourisme et loisirs"`) {
			t.Error("the skill page does not show the new label")
		}
		if !found("/experts?q=loisirs", ">Lucie Bernard<") {
			t.Error("the expert is not found by the new label")
		}
		if !found("/besoins?q=loisirs", "fréquentation du lac") {
			t.Error("the need is not found by the new label")
		}
		if !found("/experts?q=tourisme", ">Lucie Bernard<") {
			t.Error("the expert is no longer found by the words the labels share")
		}
		if resp, _ := ta.post(t, "coordinator", "/competences/filieres.inconnue", url.Values{"label": {"X"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("renaming an unknown skill: %d", resp.StatusCode)
		}

		resp, body = ta.post(t, "coordinator", "/competences", url.Values{"domain": {"filieres"}, "name": {"Économie"}, "label": {"Économie circulaire"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "lettres minuscules sans accent") ||
			!strings.Contains(body, `value="Économie circulaire"`) {
			t.Fatalf("a code with capitals and accents: %d", resp.StatusCode)
		}
		resp, _ = ta.post(t, "coordinator", "/competences", url.Values{"domain": {"filieres"}, "name": {"economie_circulaire"}, "label": {"Économie circulaire"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d", resp.StatusCode)
		}
		if !found("/competences", "filieres.economie_circulaire") {
			t.Error("the new skill is not listed")
		}
		resp, body = ta.post(t, "coordinator", "/competences", url.Values{"domain": {"filieres"}, "name": {"economie_circulaire"}, "label": {"Autre"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "existe déjà") {
			t.Errorf("a code taken: %d", resp.StatusCode)
		}

		for _, action := range []string{"skill.rename", "skill.add"} {
			if _, n, err := audit.List(ctx, db, audit.Filter{Action: action}); err != nil || n != 1 {
				t.Errorf("%s: %d audit entries, %v", action, n, err)
			}
		}
	})
}
