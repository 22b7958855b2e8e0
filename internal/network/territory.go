package network

import (
	"fmt"
	"slices"
	"strings"

	"vivier/internal/fr"
	"vivier/internal/geo"
)

// A member's territory is a list of places of the geography reference,
// each written with its kind: a commune « com:01001 », an EPCI
// « epci:200046977 », a département « dep:69 » or a region « reg:84 »
// (their codes overlap, hence the prefix).

// MaxTerritory bounds the places of one member's territory.
const MaxTerritory = 200

// place is one place of a territory, with the départements and region it
// lies in (for the directory's filters).
type place struct {
	Zone         string   // canonical: "com:01001"
	Label        string   // « Communauté de communes … (EPCI) »
	Departements []string // "" for a region
	Region       string
}

// parsePlace reads one place of a territory.
func parsePlace(ref *geo.Reference, s string) (place, error) {
	kind, code, ok := strings.Cut(strings.TrimSpace(s), ":")
	code = strings.TrimSpace(code)
	if !ok || code == "" {
		return place{}, fmt.Errorf("%s : écrivez com:CODE_INSEE, epci:SIREN, dep:CODE ou reg:CODE", fr.Quote(s))
	}
	switch strings.ToLower(kind) {
	case "com":
		c, ok := ref.Commune(code)
		if !ok {
			return place{}, fmt.Errorf("aucune commune n’a le code INSEE %s", fr.Quote(code))
		}
		if c.IsArrondissement() {
			c, _ = ref.Commune(c.Parent)
		}
		return place{Zone: "com:" + c.Code, Label: c.Name + " (" + c.DepartementCode + ")", Departements: []string{c.DepartementCode}, Region: c.RegionCode}, nil
	case "epci":
		e, ok := ref.EPCI(code)
		if !ok {
			return place{}, fmt.Errorf("aucune intercommunalité n’a le SIREN %s", fr.Quote(code))
		}
		p := place{Zone: "epci:" + e.SIREN, Label: e.Name}
		for _, m := range e.Members {
			c, ok := ref.Commune(m)
			if !ok {
				continue
			}
			if !slices.Contains(p.Departements, c.DepartementCode) {
				p.Departements = append(p.Departements, c.DepartementCode)
			}
			p.Region = c.RegionCode
		}
		if p.Region == "" {
			return place{}, fmt.Errorf("l’intercommunalité %s n’a aucune commune connue", fr.Quote(e.Name))
		}
		return p, nil
	case "dep":
		d, ok := ref.Departement(code)
		if !ok {
			return place{}, fmt.Errorf("aucun département n’a le code %s", fr.Quote(code))
		}
		return place{Zone: "dep:" + d.Code, Label: d.Name + " (" + d.Code + ")", Departements: []string{d.Code}, Region: d.RegionCode}, nil
	case "reg":
		g, ok := ref.Region(code)
		if !ok {
			return place{}, fmt.Errorf("aucune région n’a le code %s", fr.Quote(code))
		}
		return place{Zone: "reg:" + g.Code, Label: "Région " + g.Name, Departements: []string{""}, Region: g.Code}, nil
	}
	return place{}, fmt.Errorf("%s : le type de lieu est com, epci, dep ou reg", fr.Quote(s))
}

// parseTerritory reads a member's territory; repeated places are kept
// once. The error lists every wrong place.
func parseTerritory(ref *geo.Reference, zones []string) ([]place, error) {
	if len(zones) > MaxTerritory {
		return nil, fmt.Errorf("%d lieux au plus", MaxTerritory)
	}
	var out []place
	var bad []string
	for _, z := range zones {
		if strings.TrimSpace(z) == "" {
			continue
		}
		p, err := parsePlace(ref, z)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		if !slices.ContainsFunc(out, func(q place) bool { return q.Zone == p.Zone }) {
			out = append(out, p)
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(bad, " ; "))
	}
	return out, nil
}

// SplitTerritory reads a territory typed as one text: places separated by
// « | », commas, semicolons or spaces (the form's field, the import's
// column).
func SplitTerritory(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '|' || r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
}

// PlaceLabel names a place of a territory for readers: « Lyon (69) »,
// « Rhône (69) », « Région Auvergne-Rhône-Alpes », the EPCI's name; the
// text itself when the reference does not know it.
func PlaceLabel(ref *geo.Reference, zone string) string {
	p, err := parsePlace(ref, zone)
	if err != nil {
		return zone
	}
	return p.Label
}
