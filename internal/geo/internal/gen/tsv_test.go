package main

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"vivier/internal/geo"
	"vivier/internal/geo/internal/source"
)

func pop(n int) *int { return &n }

// smallPackage is a few real entries of the package, in its JSON shape.
func smallPackage() *source.Package {
	return &source.Package{
		Regions:      []source.Region{{Code: "94", Name: "Corse"}, {Code: "84", Name: "Auvergne-Rhône-Alpes"}},
		Departements: []source.Departement{{Code: "69", Name: "Rhône", Region: "84"}, {Code: "2A", Name: "Corse-du-Sud", Region: "94"}, {Code: "01", Name: "Ain", Region: "84"}},
		EPCI: []source.EPCI{{SIREN: "200046977", Name: "Métropole de Lyon", Type: "MET69", Members: []source.Member{
			{Code: "69123", Name: "Lyon"}, {Code: "69202", Name: "Sainte-Foy-lès-Lyon"},
		}}},
		Communes: []source.Commune{
			{Code: "69381", Name: "Lyon 1er Arrondissement", Type: source.TypeArrondissement, Departement: "69", Region: "84", Parent: "69123", PostalCodes: []string{"69001"}, Population: pop(28717)},
			{Code: "69123", Name: "Lyon", Type: source.TypeCommune, Departement: "69", Region: "84", SIREN: "216901231", PostalCodes: []string{"69002", "69001"}, Population: pop(519127)},
			{Code: "69202", Name: "Sainte-Foy-lès-Lyon", Type: source.TypeCommune, Departement: "69", Region: "84", SIREN: "216902023", PostalCodes: []string{"69110"}, Population: pop(21692)},
			{Code: "2A004", Name: "Ajaccio", Type: source.TypeCommune, Departement: "2A", Region: "94", SIREN: "212000046", PostalCodes: []string{"20000"}, Population: pop(76320)},
			{Code: "01120", Name: "Cordieux", Type: source.TypeCommuneAssociee, Departement: "01", Region: "84", ChefLieu: "01262"},
		},
	}
}

func TestWriteTSV(t *testing.T) {
	var out bytes.Buffer
	if err := writeTSV(&out, smallPackage(), "test"); err != nil {
		t.Fatal(err)
	}
	want := "vivier-geo/1\ttest\n" +
		"R\t84\tAuvergne-Rhône-Alpes\nR\t94\tCorse\n" +
		"D\t01\t84\tAin\nD\t2A\t94\tCorse-du-Sud\nD\t69\t84\tRhône\n" +
		"E\t200046977\tMET69\tMétropole de Lyon\n" +
		"C\t2A004\t2A\t76320\t212000046\t\t20000\tAjaccio\n" +
		"C\t69123\t69\t519127\t216901231\t200046977\t69001,69002\tLyon\n" +
		"C\t69202\t69\t21692\t216902023\t200046977\t69110\tSainte-Foy-lès-Lyon\n" +
		"A\t69381\t69123\t28717\t69001\tLyon 1er Arrondissement\n"
	if out.String() != want {
		t.Errorf("writeTSV wrote\n%s\nwant\n%s", out.String(), want)
	}

	// The output depends on the content only, not on the order of the arrays.
	shuffled := smallPackage()
	slices.Reverse(shuffled.Communes)
	slices.Reverse(shuffled.Departements)
	slices.Reverse(shuffled.Regions)
	var again bytes.Buffer
	if err := writeTSV(&again, shuffled, "test"); err != nil {
		t.Fatal(err)
	}
	if again.String() != out.String() {
		t.Error("reordered input gave a different output")
	}

	// And internal/geo reads what the generator writes.
	r, err := geo.Load(&out)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := r.Commune("69381"); !ok || c.EPCISIREN != "200046977" {
		t.Errorf("Lyon 1er read back as %+v", c)
	}
}

func TestWriteTSVRejects(t *testing.T) {
	tests := []struct {
		name      string
		change    func(p *source.Package)
		wantError string
	}{
		{"member not a commune", func(p *source.Package) {
			p.EPCI[0].Members = append(p.EPCI[0].Members, source.Member{Code: "69381"})
		}, "member 69381 is not a current commune"},
		{"commune in two EPCI", func(p *source.Package) {
			p.EPCI = append(p.EPCI, source.EPCI{SIREN: "200000001", Name: "CC X", Type: "CC", Members: []source.Member{{Code: "69123"}}})
		}, "commune 69123: member of EPCI 200000001 and 200046977"},
		{"unknown EPCI kind", func(p *source.Package) { p.EPCI[0].Type = "SIVU" }, `kind "SIVU"`},
		{"region does not match", func(p *source.Package) { p.Communes[1].Region = "94" }, "commune 69123: département"},
		{"unknown region", func(p *source.Package) { p.Departements[0].Region = "99" }, `unknown region "99"`},
		{"bad postal code", func(p *source.Package) { p.Communes[1].PostalCodes = []string{"6900"} }, `bad postal code "6900"`},
		{"tab in a name", func(p *source.Package) { p.Communes[1].Name = "Ly\ton" }, "tab or a newline"},
		{"bad parent", func(p *source.Package) { p.Communes[0].Parent = "2A004" }, `arrondissement 69381: bad parent commune "2A004"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := smallPackage()
			tt.change(p)
			err := writeTSV(&bytes.Buffer{}, p, "test")
			if err == nil || !strings.Contains(err.Error(), tt.wantError) {
				t.Errorf("writeTSV() error = %v, want one containing %q", err, tt.wantError)
			}
		})
	}
}

func TestReadTarballVerifies(t *testing.T) {
	path := t.TempDir() + "/fake.tgz"
	if err := os.WriteFile(path, []byte("not the tarball"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readTarball(path); err == nil || !strings.Contains(err.Error(), "integrity mismatch") {
		t.Errorf("readTarball accepted a wrong tarball: %v", err)
	}
}
