package geo

import (
	"os"
	"strings"
	"testing"
)

func TestLoadSmall(t *testing.T) {
	f, err := os.Open("testdata/small.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if r.Source() != "test fixture" || r.NumCommunes() != 4 {
		t.Errorf("Source() = %q, NumCommunes() = %d", r.Source(), r.NumCommunes())
	}
	a, ok := r.Commune("69381")
	if !ok || a.Parent != "69123" || a.EPCISIREN != "200046977" || a.RegionCode != "84" {
		t.Errorf("69381 = %+v", a)
	}
	e, _ := r.EPCI("200046977")
	if len(e.Members) != 1 || e.Members[0] != "69123" {
		t.Errorf("members of the Métropole de Lyon = %v, want [69123]", e.Members)
	}
	var deps []string
	for _, d := range r.Departements() {
		deps = append(deps, d.Code)
	}
	if got := strings.Join(deps, " "); got != "01 2A 69" {
		t.Errorf("Departements() = %s", got)
	}
	if got := r.SearchCommunes("ly", 5); len(got) != 2 || got[0].Code != "69123" || got[1].Code != "69381" {
		t.Errorf("SearchCommunes(ly) = %v", got)
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "vivier-geo/1\tsrc\nR\t84\tAuvergne-Rhône-Alpes\nD\t69\t84\tRhône\n"
	const lyon = "C\t69123\t69\t519127\t216901231\t\t69001\tLyon\n"
	tests := []struct {
		name, data, wantError string
	}{
		{"empty input", "", "not a vivier-geo/1 file"},
		{"other format", "code,name\n", "not a vivier-geo/1 file"},
		{"no commune", head, "no commune"},
		{"unknown record", head + "X\t1\n", "line 4: unknown record kind"},
		{"too few fields", head + "C\t69123\t69\n", "line 4: want 8 fields"},
		{"too many fields", head + "R\t11\tÎle-de-France\textra\n", "line 4: want 3 fields"},
		{"unknown region", head + "D\t01\t99\tAin\n", `unknown region "99"`},
		{"unknown département", head + "C\t01002\t01\t270\t\t\t\tL'Abergement\n", `unknown département "01"`},
		{"unknown EPCI", head + "C\t69123\t69\t1\t\t200046977\t\tLyon\n", `unknown EPCI "200046977"`},
		{"unknown EPCI kind", head + "E\t200046977\tXX\tLyon\n", `unknown kind "XX"`},
		{"bad population", head + "C\t69123\t69\tmany\t\t\t\tLyon\n", `bad population "many"`},
		{"duplicate commune", head + lyon + lyon, "line 5: 69123: listed twice"},
		{"empty name", head + "C\t69123\t69\t1\t\t\t\t\n", "69123: empty name"},
		{"parent unknown", head + "A\t69381\t69123\t1\t69001\tLyon 1er\n", `unknown parent commune "69123"`},
		{"parent is an arrondissement", head + lyon + "A\t69381\t69123\t1\t\tLyon 1er\nA\t69382\t69381\t1\t\tLyon 2e\n", `unknown parent commune "69381"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.wantError) {
				t.Errorf("Load() error = %v, want one containing %q", err, tt.wantError)
			}
		})
	}
}
