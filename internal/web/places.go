package web

import (
	"html/template"
	"regexp"
	"strings"

	"vivier/internal/geo"
)

// places names the geography for people and holds the pickers built from
// it, all from the reference the server was given (Deps.Geo) rather than
// a package-level one, so that a server built on a test's small reference
// names and offers that reference's places. The reference never changes
// while the process runs: the lists are built once, in newPlaces, and
// shared read-only by every request.
type places struct {
	ref     *geo.Reference
	regions []regionDeps // regions by name, each with its départements
	// The zone and the département filters, written once per selected
	// value (see renderedOptions).
	zones, deps *renderedOptions
}

// regionDeps is a region with its départements, for the zone pickers.
type regionDeps struct {
	Region       geo.Region
	Departements []geo.Departement
}

// newPlaces builds the names and pickers of ref; options holds the
// "optgroups" template that writes the pickers.
func newPlaces(ref *geo.Reference, options *template.Template) *places {
	p := &places{ref: ref}
	byRegion := map[string][]geo.Departement{}
	deps := optionGroup{} // no label: bare options
	for _, d := range ref.Departements() {
		byRegion[d.RegionCode] = append(byRegion[d.RegionCode], d)
		deps.Options = append(deps.Options, option{Value: d.Code, Label: d.Code + " — " + d.Name})
	}
	// The whole of France first, outside any group; then each region and
	// its départements.
	zones := []optionGroup{{Options: []option{{Value: "national", Label: "Toute la France"}}}}
	for _, reg := range ref.Regions() {
		p.regions = append(p.regions, regionDeps{Region: reg, Departements: byRegion[reg.Code]})
		g := optionGroup{Label: reg.Name, Options: []option{{Value: "reg:" + reg.Code, Label: "Toute la région " + reg.Name}}}
		for _, d := range byRegion[reg.Code] {
			g.Options = append(g.Options, option{Value: "dep:" + d.Code, Label: d.Name + " (" + d.Code + ")"})
		}
		zones = append(zones, g)
	}
	p.zones, p.deps = newRenderedOptions(options, zones), newRenderedOptions(options, []optionGroup{deps})
	return p
}

// zoneLabel names a zone for people: "Rhône (69)", "Région
// Auvergne-Rhône-Alpes", "Toute la France".
func (p *places) zoneLabel(z string) string {
	switch {
	case z == "national":
		return "Toute la France"
	case strings.HasPrefix(z, "dep:"):
		if d, ok := p.ref.Departement(z[4:]); ok {
			return d.Name + " (" + d.Code + ")"
		}
	case strings.HasPrefix(z, "reg:"):
		if r, ok := p.ref.Region(z[4:]); ok {
			return "Région " + r.Name
		}
	}
	return z
}

// communeLabel names a commune by its INSEE code: "Lyon (69)".
func (p *places) communeLabel(code string) string {
	if code == "" {
		return ""
	}
	c, ok := p.ref.Commune(code)
	if !ok {
		return code
	}
	return c.Name + " (" + c.DepartementCode + ")"
}

// communeChoice writes a commune as the picker offers it:
// "Ambérieu-en-Bugey (01500) – 01004".
func (p *places) communeChoice(code string) string {
	c, ok := p.ref.Commune(code)
	if !ok {
		return code
	}
	pc := ""
	if len(c.PostalCodes) > 0 {
		pc = " (" + c.PostalCodes[0] + ")"
	}
	return c.Name + pc + " – " + c.Code
}

// inseeSuffix finds the INSEE code that the picker's choices end with:
// "Ambérieu-en-Bugey (01500) – 01004".
var inseeSuffix = regexp.MustCompile(`(?:^|\s)([0-9][0-9AaBb][0-9]{3})$`)

// resolveCommune turns what the person typed into an INSEE code: a choice
// among ambiguous ones (chosen), a value of the picker or an INSEE code,
// else a search by name or postal code that must find exactly one commune.
// Otherwise it returns the candidates and a message.
func (p *places) resolveCommune(chosen, typed string) (string, []geo.Commune, string) {
	if c, ok := p.ref.Commune(chosen); ok && chosen != "" {
		return c.Code, nil, ""
	}
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", nil, "indiquez votre commune : son nom ou son code postal"
	}
	if m := inseeSuffix.FindStringSubmatch(typed); m != nil {
		if c, ok := p.ref.Commune(m[1]); ok && (m[1] == typed || strings.Contains(typed, c.Name)) {
			return c.Code, nil, ""
		}
	}
	communes := p.searchCommunes(typed, 10)
	switch {
	case len(communes) == 1:
		return communes[0].Code, nil, ""
	case len(communes) == 0:
		return "", nil, "aucune commune ne correspond à " + quoteFR(typed) + " : vérifiez l’orthographe ou donnez le code postal"
	}
	return "", communes, "plusieurs communes correspondent à " + quoteFR(typed) + " : choisissez la vôtre dans la liste"
}

// searchCommunes finds at most limit communes by name or postal code,
// leaving out the arrondissements municipaux: people pick Lyon, not Lyon
// 3e Arrondissement.
func (p *places) searchCommunes(q string, limit int) []geo.Commune {
	var out []geo.Commune
	for _, c := range p.ref.SearchCommunes(q, limit) {
		if !c.IsArrondissement() {
			out = append(out, c)
		}
	}
	return out
}

func quoteFR(s string) string { return "« " + s + " »" }
