package geo

import (
	"slices"
	"testing"
)

func TestCommuneLookup(t *testing.T) {
	r := Default()
	tests := []struct {
		name, code                      string
		wantName, wantDep, wantRegion   string
		wantEPCI, wantSIREN, wantParent string
		wantClass                       SizeClass
		wantPostal                      string // one of its postal codes
	}{
		{"Lyon", "69123", "Lyon", "69", "84", "200046977", "216901231", "", Size50000Plus, "69003"},
		{"Paris", "75056", "Paris", "75", "11", "200054781", "217500016", "", Size50000Plus, "75116"},
		{"Ajaccio in Corse-du-Sud", "2A004", "Ajaccio", "2A", "94", "242010056", "212000046", "", Size50000Plus, "20090"},
		{"Corsican code in lower case", "2a004", "Ajaccio", "2A", "94", "242010056", "212000046", "", Size50000Plus, "20000"},
		{"Mamoudzou in Mayotte", "97611", "Mamoudzou", "976", "06", "200060457", "200008837", "", Size50000Plus, "97600"},
		{"small commune", "01002", "L'Abergement-de-Varey", "01", "84", "240100883", "210100020", "", SizeUnder500, "01640"},
		{"island outside any EPCI", "22016", "Île-de-Bréhat", "22", "53", "", "212200166", "", SizeUnder500, "22870"},
		{"collectivité d'outre-mer", "97502", "Saint-Pierre", "975", "975", "", "", "", SizeUnder10000, "97500"},
		{"arrondissement of Lyon", "69381", "Lyon 1er Arrondissement", "69", "84", "200046977", "", "69123", SizeUnder50000, "69001"},
		{"arrondissement of Marseille", "13201", "Marseille 1er Arrondissement", "13", "93", "200054807", "", "13055", SizeUnder50000, "13001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := r.Commune(tt.code)
			if !ok {
				t.Fatalf("Commune(%q) not found", tt.code)
			}
			got := []string{c.Name, c.DepartementCode, c.RegionCode, c.EPCISIREN, c.SIREN, c.Parent}
			want := []string{tt.wantName, tt.wantDep, tt.wantRegion, tt.wantEPCI, tt.wantSIREN, tt.wantParent}
			if !slices.Equal(got, want) {
				t.Errorf("name, dep, region, EPCI, SIREN, parent = %q, want %q", got, want)
			}
			if c.SizeClass() != tt.wantClass {
				t.Errorf("SizeClass() = %v (population %d), want %v", c.SizeClass(), c.Population, tt.wantClass)
			}
			if !slices.Contains(c.PostalCodes, tt.wantPostal) {
				t.Errorf("PostalCodes = %v, want %s among them", c.PostalCodes, tt.wantPostal)
			}
			if c.IsArrondissement() != (tt.wantParent != "") {
				t.Errorf("IsArrondissement() = %v", c.IsArrondissement())
			}
			if d, _ := r.DepartementOfCommune(tt.code); d.Code != tt.wantDep {
				t.Errorf("DepartementOfCommune = %q, want %q", d.Code, tt.wantDep)
			}
			if g, _ := r.RegionOfCommune(tt.code); g.Code != tt.wantRegion {
				t.Errorf("RegionOfCommune = %q, want %q", g.Code, tt.wantRegion)
			}
			e, ok := r.EPCIOfCommune(tt.code)
			if e.SIREN != tt.wantEPCI || ok != (tt.wantEPCI != "") {
				t.Errorf("EPCIOfCommune = %q, %v, want %q", e.SIREN, ok, tt.wantEPCI)
			}
			if byID, _ := r.CommuneByID(c.ID); byID.Code != c.Code {
				t.Errorf("CommuneByID(%d) = %s, want %s", c.ID, byID.Code, c.Code)
			}
			if r.Location(c.ID) != c.Location {
				t.Errorf("Location(%d) = %+v, want %+v", c.ID, r.Location(c.ID), c.Location)
			}
		})
	}
}

func TestArrondissementSharesParentLocation(t *testing.T) {
	r := Default()
	n := 0
	for c := range r.Communes() {
		if !c.IsArrondissement() {
			continue
		}
		n++
		p, ok := r.Commune(c.Parent)
		if !ok || p.IsArrondissement() {
			t.Fatalf("%s: parent %q is not a commune", c.Code, c.Parent)
		}
		if c.Location != p.Location || c.EPCISIREN != p.EPCISIREN || c.DepartementCode != p.DepartementCode {
			t.Errorf("%s: location %+v differs from its parent's %+v", c.Code, c.Location, p.Location)
		}
	}
	if n != 45 {
		t.Errorf("%d arrondissements municipaux, want 45 (20 Paris, 9 Lyon, 16 Marseille)", n)
	}
}

func TestUnknownCodes(t *testing.T) {
	r := Default()
	tests := []struct{ name, code string }{
		{"empty", ""},
		{"no such commune", "99999"},
		{"commune associée", "01120"}, // Cordieux, associated with Montluel
		{"former Corsican code", "20004"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, ok := r.Commune(tt.code); ok {
				t.Errorf("Commune(%q) = %s, want not found", tt.code, c.Name)
			}
			if _, ok := r.EPCIOfCommune(tt.code); ok {
				t.Errorf("EPCIOfCommune(%q) found", tt.code)
			}
		})
	}
	if _, ok := r.CommuneByID(0); ok {
		t.Error("CommuneByID(0) found a commune")
	}
	if l := r.Location(CommuneID(r.NumCommunes() + 1)); l != (Location{}) {
		t.Errorf("Location(out of range) = %+v, want zero", l)
	}
}

func TestEveryCommuneIsPlaced(t *testing.T) {
	r := Default()
	if n := r.NumCommunes(); n < 34000 || n > 36000 {
		t.Fatalf("NumCommunes() = %d, want about 35,000", n)
	}
	for c := range r.Communes() {
		d, ok := r.Departement(c.DepartementCode)
		if !ok || d.ID != c.Location.Departement {
			t.Errorf("%s %s: département %q (ID %d) not in the reference", c.Code, c.Name, c.DepartementCode, c.Location.Departement)
			continue
		}
		g, ok := r.Region(c.RegionCode)
		if !ok || g.ID != c.Location.Region || d.RegionCode != g.Code {
			t.Errorf("%s %s: region %q does not match département %s's %q", c.Code, c.Name, c.RegionCode, d.Code, d.RegionCode)
		}
		if c.EPCISIREN != "" {
			if e, ok := r.EPCI(c.EPCISIREN); !ok || e.ID != c.Location.EPCI {
				t.Errorf("%s %s: EPCI %q not in the reference", c.Code, c.Name, c.EPCISIREN)
			}
		}
	}
}

func TestEPCIMembersPointBack(t *testing.T) {
	r := Default()
	members := 0
	for e := range r.EPCIs() {
		if len(e.Members) == 0 {
			t.Errorf("EPCI %s %s has no member", e.SIREN, e.Name)
		}
		for _, code := range e.Members {
			members++
			c, ok := r.Commune(code)
			if !ok || c.EPCISIREN != e.SIREN || c.Location.EPCI != e.ID {
				t.Errorf("EPCI %s lists %s, whose EPCI is %q", e.SIREN, code, c.EPCISIREN)
			}
		}
	}
	inEPCI := 0
	for c := range r.Communes() {
		if c.EPCISIREN != "" && !c.IsArrondissement() {
			inEPCI++
		}
	}
	if members != inEPCI {
		t.Errorf("EPCI list %d members, but %d communes have an EPCI", members, inEPCI)
	}
	lyon, _ := r.EPCI("200046977")
	if lyon.Name != "Métropole de Lyon" || lyon.Kind != MetropoleDeLyon || lyon.Kind.Label() != "Métropole de Lyon" {
		t.Errorf("EPCI 200046977 = %q, %q", lyon.Name, lyon.Kind)
	}
}

func TestDepartementsAndRegions(t *testing.T) {
	r := Default()
	deps := r.Departements()
	var codes []string
	for _, d := range deps {
		codes = append(codes, d.Code)
	}
	if i := slices.Index(codes, "2A"); i < 1 || codes[i-1] != "19" || codes[i+1] != "2B" || codes[i+2] != "21" {
		t.Errorf("Corsica is not between 19 and 21: %v", codes)
	}
	if codes[0] != "01" || !slices.Contains(codes, "976") || len(codes) != 109 {
		t.Errorf("Departements() = %v, want 109 from 01, with 976", codes)
	}
	deps[0].Name = "changed"
	if d, _ := r.Departement("01"); d.Name != "Ain" {
		t.Errorf("changing the returned slice changed the reference: %q", d.Name)
	}

	regions := r.Regions()
	for i := 1; i < len(regions); i++ {
		if foldString(regions[i-1].Name) > foldString(regions[i].Name) {
			t.Errorf("Regions() not sorted by name: %q before %q", regions[i-1].Name, regions[i].Name)
		}
	}
	// 93 is both a region and a département, and they differ.
	g, _ := r.Region("93")
	d, _ := r.Departement("93")
	if g.Name != "Provence-Alpes-Côte d'Azur" || d.Name != "Seine-Saint-Denis" || d.RegionCode != "11" {
		t.Errorf("region 93 = %q, département 93 = %q in region %s", g.Name, d.Name, d.RegionCode)
	}
}
