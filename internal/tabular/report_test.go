package tabular

import (
	"strings"
	"testing"
)

func TestRefuseListsTheFirstErrorsAndCountsTheOthers(t *testing.T) {
	var errs []RowError
	for line := 2; line < 2+250; line++ {
		errs = append(errs, RowError{Line: line, Column: "email", Message: "adresse invalide"})
	}
	e := Refuse(errs)
	if len(e.Errors) != MaxReportedErrors || e.More != 150 || e.Total() != 250 {
		t.Fatalf("listed %d, more %d, total %d", len(e.Errors), e.More, e.Total())
	}
	msg := e.Error()
	for _, want := range []string{"fichier refusé, rien n’a été importé (250 erreurs)", "ligne 2, colonne email : adresse invalide", "… et 230 autres"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "ligne 22,") {
		t.Errorf("the message lists more than twenty errors: %q", msg)
	}
	one := Refuse([]RowError{{Message: "le fichier est vide"}})
	if one.Error() != "fichier refusé, rien n’a été importé (1 erreur) : le fichier est vide" || one.More != 0 {
		t.Errorf("one error: %q", one.Error())
	}
	if got := (RowError{Column: "budget", Message: "manquante"}).Error(); got != "colonne budget : manquante" {
		t.Errorf("a column's error: %q", got)
	}
}
