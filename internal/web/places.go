package web

import (
	"regexp"
	"strings"

	"vivier/internal/geo"
)

// places names the geography for people and lists its choices for the
// pickers, all from the reference the server was given (Deps.Geo) rather
// than a package-level one, so that a server built on a test's small
// reference names and offers that reference's places. The reference never
// changes while the process runs: what is derived from it is built once,
// in newPlaces, and shared read-only by every request.
type places struct {
	ref     *geo.Reference
	regions []regionDeps // regions by name, each with its départements
}

// regionDeps is a region with its départements, for the zone pickers; or,
// last, the collectivités d'outre-mer, which the reference lists as
// regions of one département each but which are no regions: they are
// offered one by one, under that title, never as « toute la région ».
type regionDeps struct {
	Region       geo.Region
	Departements []geo.Departement
	Overseas     bool // the collectivités d'outre-mer, not a region
}

// newPlaces indexes the regions of ref with their départements.
func newPlaces(ref *geo.Reference) *places {
	p := &places{ref: ref}
	byRegion := map[string][]geo.Departement{}
	for _, d := range ref.Departements() {
		byRegion[d.RegionCode] = append(byRegion[d.RegionCode], d)
	}
	com := regionDeps{Region: geo.Region{Name: "Collectivités d’outre-mer"}, Overseas: true}
	for _, reg := range ref.Regions() {
		// Regions have two-digit codes; the collectivités d'outre-mer
		// (975 Saint-Pierre-et-Miquelon … 988 Nouvelle-Calédonie) three.
		if len(reg.Code) > 2 {
			com.Departements = append(com.Departements, byRegion[reg.Code]...)
			continue
		}
		p.regions = append(p.regions, regionDeps{Region: reg, Departements: byRegion[reg.Code]})
	}
	if len(com.Departements) > 0 {
		p.regions = append(p.regions, com)
	}
	return p
}

// Chosen counts the zones of set within g: the region, its départements.
func (g regionDeps) Chosen(set map[string]bool) int {
	n := 0
	if !g.Overseas && set["reg:"+g.Region.Code] {
		n++
	}
	for _, d := range g.Departements {
		if set["dep:"+d.Code] {
			n++
		}
	}
	return n
}

// zoneChoices are the choices of a zone filter: the whole of France first,
// outside any group, then each region and its départements.
func (p *places) zoneChoices() []optionGroup {
	out := []optionGroup{{Options: []option{{Value: "national", Label: "Toute la France"}}}}
	for _, g := range p.regions {
		reg := optionGroup{Label: g.Region.Name}
		if !g.Overseas {
			reg.Options = []option{{Value: "reg:" + g.Region.Code, Label: "Toute la région " + g.Region.Name}}
		}
		for _, d := range g.Departements {
			reg.Options = append(reg.Options, option{Value: "dep:" + d.Code, Label: d.Name + " (" + d.Code + ")"})
		}
		out = append(out, reg)
	}
	return out
}

// departementChoices are the choices of a département filter, by code.
func (p *places) departementChoices() []optionGroup {
	var deps optionGroup // no label: bare options
	for _, d := range p.ref.Departements() {
		deps.Options = append(deps.Options, option{Value: d.Code, Label: d.Code + " — " + d.Name})
	}
	return []optionGroup{deps}
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
var inseeSuffix = regexp.MustCompile(`\s–\s([0-9][0-9AaBb][0-9]{3})$`)

// inseeTyped is an INSEE code typed as such: "INSEE 64500", "code INSEE :
// 64500". A bare five-digit number is read as a postal code, which is what
// people know: the INSEE code of a commune is another number.
var inseeTyped = regexp.MustCompile(`^(?i:(?:code\s+)?insee)\s*:?\s*([0-9][0-9AaBb][0-9]{3})$`)

// postalCode is a whole French postal code.
var postalCode = regexp.MustCompile(`^[0-9]{5}$`)

// resolveCommune turns what the person typed into an INSEE code: a choice
// among ambiguous ones (chosen), a value of the picker, an INSEE code typed
// as such (« INSEE 64500 »), a postal code served by one commune, else a
// search by name that must find exactly one commune. Otherwise it returns
// the candidates and a message: a postal code shared by several communes
// offers them all.
func (p *places) resolveCommune(chosen, typed string) (string, []geo.Commune, string) {
	if c, ok := p.ref.Commune(chosen); ok && chosen != "" {
		return c.Code, nil, ""
	}
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", nil, "indiquez votre commune : son nom ou son code postal"
	}
	if m := inseeTyped.FindStringSubmatch(typed); m != nil {
		if c, ok := p.ref.Commune(strings.ToUpper(m[1])); ok {
			return c.Code, nil, ""
		}
		return "", nil, "aucune commune n’a le code INSEE " + quoteFR(m[1])
	}
	if m := inseeSuffix.FindStringSubmatch(typed); m != nil {
		if c, ok := p.ref.Commune(strings.ToUpper(m[1])); ok && strings.Contains(typed, c.Name) {
			return c.Code, nil, ""
		}
	}
	var communes []geo.Commune
	if postalCode.MatchString(typed) {
		for _, c := range p.ref.CommunesWithPostalCode(typed) {
			if !c.IsArrondissement() {
				communes = append(communes, c)
			}
		}
		if len(communes) == 0 {
			// No postal code: an INSEE code typed bare, as files and older
			// forms give it (31555 is Toulouse's, no postal code).
			if c, ok := p.ref.Commune(typed); ok && !c.IsArrondissement() {
				return c.Code, nil, ""
			}
			return "", nil, "aucune commune n’a le code postal " + quoteFR(typed) + " : vérifiez-le, ou donnez le nom de la commune (un code INSEE s’écrit « INSEE 64500 »)"
		}
	} else {
		communes = p.searchCommunes(typed, 10)
	}
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
