// Package skill owns the skill taxonomy: codes such as "filieres.industrie"
// grouped in five domains, their French labels, and the levels 1 to 4.
// The seed comes from the product brief (migration 0020); coordinators may
// add skills and rename labels, but a code never changes meaning, so files,
// the API and matching can rely on codes.
package skill

import (
	"fmt"
	"strings"
)

// Level is how well an expert masters a skill, from 1 to 4.
type Level int

// The levels.
const (
	Notions  Level = 1
	Pratique Level = 2
	Confirme Level = 3
	Expert   Level = 4
)

// Levels lists the valid levels in order.
func Levels() []Level { return []Level{Notions, Pratique, Confirme, Expert} }

// Valid reports whether l is between 1 and 4.
func (l Level) Valid() bool { return l >= Notions && l <= Expert }

// Label returns the French name of the level: "notions", "pratique",
// "confirmé", "expert".
func (l Level) Label() string {
	switch l {
	case Notions:
		return "notions"
	case Pratique:
		return "pratique"
	case Confirme:
		return "confirmé"
	case Expert:
		return "expert"
	}
	return fmt.Sprintf("niveau %d", int(l))
}

// Domain groups skills. Plain is how the public need form words it, for a
// mayor who does not know the federation's jargon.
type Domain struct {
	Code  string
	Label string
	Plain string
}

// Domains are the five domains of the taxonomy, in display order. They are
// fixed: a new domain would need a migration (the table checks the list).
var Domains = []Domain{
	{"attractivite", "Attractivité", "Faire connaître le territoire, attirer entreprises, investisseurs et habitants"},
	{"filieres", "Filières", "Développer une filière économique : industrie, agriculture, énergie, numérique, tourisme…"},
	{"entreprises", "Entreprises et emploi", "Accueillir les entreprises, le commerce et l’artisanat, l’emploi, la transmission"},
	{"management", "Management", "Diriger ou réorganiser une structure : intérim de direction, gestion, gouvernance"},
	{"strategie", "Stratégie territoriale", "Bâtir un projet de territoire, trouver des financements, monter un marché public"},
}

// DomainOf returns the domain of a code ("filieres.industrie" → filieres).
func DomainOf(code string) (Domain, bool) {
	d, _, _ := strings.Cut(code, ".")
	for _, dom := range Domains {
		if dom.Code == d {
			return dom, true
		}
	}
	return Domain{}, false
}

// Skill is one entry of the taxonomy.
type Skill struct {
	Code     string // "domain.name", lower case
	Domain   string // the part before the dot
	Label    string // French label, may be renamed
	Position int    // order within the domain
}

// checkCode tells what is wrong with a new code, or "" when it is well formed.
func checkCode(code string) string {
	dom, name, ok := strings.Cut(code, ".")
	if !ok || name == "" {
		return "un code de compétence s’écrit domaine.nom, par exemple filieres.industrie"
	}
	if _, ok := DomainOf(dom); !ok {
		return fmt.Sprintf("domaine %q inconnu (attractivite, filieres, entreprises, management ou strategie)", dom)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return "le nom après le point ne peut contenir que des lettres minuscules sans accent, des chiffres et _"
		}
	}
	return ""
}
