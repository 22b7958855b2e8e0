package match

import (
	"strings"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/valid"
)

// Kind is what a need asks for: a mission of a few days a week, or an
// interim (a post held for a while), which needs at least InterimDays a week.
type Kind string

// The kinds of need.
const (
	KindMission Kind = "mission"
	KindInterim Kind = "interim"
)

// InterimDays is the least days per week an interim is counted as asking.
const InterimDays = 4

// Format is where the work is done. A remote need ignores the experts' zones.
type Format string

// The formats of a need.
const (
	FormatOnsite Format = "onsite"
	FormatRemote Format = "remote"
	FormatHybrid Format = "hybrid"
)

// Request is what a need gives the engine, field for field the need JSON of
// the product brief, so that a need file decodes straight into it.
type Request struct {
	Title          string      `json:"title"`
	Description    string      `json:"description"`
	Commune        string      `json:"commune"` // INSEE code of the place
	RequesterSIREN string      `json:"requester_siren"`
	Kind           Kind        `json:"kind"`
	Skills         []SkillWant `json:"skills"`
	Start          date.Date   `json:"start"`
	End            date.Date   `json:"end"` // included
	DaysPerWeek    int         `json:"days_per_week"`
	MaxDailyRate   int         `json:"max_daily_rate,omitempty"` // whole euros; 0 when none is set
	Format         Format      `json:"format"`
	Languages      []string    `json:"languages"` // ISO 639-1; none means French
	// Pooled lists the other places and requesters of a mutualised group
	// (see Merge): conflicts of interest are checked against each of them.
	// Zones and proximity use Commune, the group's first need.
	Pooled []Place `json:"pooled,omitempty"`
}

// Place is one need's commune and requester inside a mutualised group.
type Place struct {
	Commune        string `json:"commune"`
	RequesterSIREN string `json:"requester_siren"`
}

// SkillWant is a skill a need asks for. A required one is a hard constraint;
// every wanted one weighs in the skills component.
type SkillWant struct {
	Code     string `json:"code"`
	MinLevel int    `json:"min_level"` // 1 notions … 4 expert
	Required bool   `json:"required"`
}

// MaxRate is the largest daily rate, in euros, a request may set.
const MaxRate = 10000

// Validate checks the request against the geography and returns valid.Errors
// naming each bad field as in the need JSON ("skills[1].min_level"), with a
// French message. Skill codes are not checked against the catalogue: an
// unknown skill is simply held by no expert.
func (r *Request) Validate(g *geo.Reference) error {
	var errs valid.Errors
	if strings.TrimSpace(r.Commune) == "" {
		errs.Add("commune", "indiquez le code INSEE de la commune")
	} else if _, ok := g.Commune(r.Commune); !ok {
		errs.Add("commune", "aucune commune n’a le code INSEE « %s »", r.Commune)
	}
	checkSIREN(&errs, "requester_siren", r.RequesterSIREN)
	switch r.Kind {
	case KindMission, KindInterim:
	default:
		errs.Add("kind", "le type doit être « mission » ou « interim »")
	}
	r.validateWindow(&errs)
	if r.DaysPerWeek < 1 || r.DaysPerWeek > 5 {
		errs.Add("days_per_week", "le nombre de jours par semaine doit aller de 1 à 5")
	}
	if r.MaxDailyRate < 0 || r.MaxDailyRate > MaxRate {
		errs.Add("max_daily_rate", "le TJM maximum doit aller de 0 (aucun) à %s", fr.Euros(MaxRate))
	}
	switch r.Format {
	case FormatOnsite, FormatRemote, FormatHybrid:
	default:
		errs.Add("format", "le format doit être « onsite », « remote » ou « hybrid »")
	}
	r.validateSkills(&errs)
	for i, l := range r.Languages {
		if !isLanguage(l) {
			errs.Add(indexed("languages", i), "« %s » n’est pas un code de langue ISO 639-1 (deux lettres minuscules, comme fr)", l)
		}
	}
	for i, p := range r.Pooled {
		if _, ok := g.Commune(p.Commune); !ok {
			errs.Add(indexed("pooled", i)+".commune", "aucune commune n’a le code INSEE « %s »", p.Commune)
		}
		checkSIREN(&errs, indexed("pooled", i)+".requester_siren", p.RequesterSIREN)
	}
	return errs.Err()
}

func (r *Request) validateWindow(errs *valid.Errors) {
	okStart, okEnd := true, true
	if _, ok := dayNumber(r.Start); r.Start.IsZero() || !ok {
		errs.Add("start", "indiquez une date de début entre 2000 et 2179")
		okStart = false
	}
	if _, ok := dayNumber(r.End); r.End.IsZero() || !ok {
		errs.Add("end", "indiquez une date de fin entre 2000 et 2179")
		okEnd = false
	}
	if okStart && okEnd && r.End.Before(r.Start) {
		errs.Add("end", "la date de fin précède la date de début")
	}
}

func (r *Request) validateSkills(errs *valid.Errors) {
	seen := map[string]bool{}
	for i, s := range r.Skills {
		f := indexed("skills", i)
		switch {
		case strings.TrimSpace(s.Code) == "":
			errs.Add(f+".code", "indiquez le code de la compétence")
		case seen[s.Code]:
			errs.Add(f+".code", "la compétence « %s » est demandée deux fois", s.Code)
		}
		seen[s.Code] = true
		if s.MinLevel < 1 || s.MinLevel > 4 {
			errs.Add(f+".min_level", "le niveau minimum doit aller de 1 (notions) à 4 (expert)")
		}
	}
}

func checkSIREN(errs *valid.Errors, field, s string) {
	if s == "" {
		return
	}
	if _, ok := sirenNumber(s); !ok {
		errs.Add(field, "un SIREN compte exactement 9 chiffres")
	}
}

func indexed(field string, i int) string {
	return field + "[" + itoa(i) + "]"
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

// isLanguage reports whether s looks like an ISO 639-1 code.
func isLanguage(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

// sirenNumber reads a 9-digit SIREN as a number, which fits in 32 bits.
func sirenNumber(s string) (uint32, bool) {
	if len(s) != 9 {
		return 0, false
	}
	var n uint32
	for i := range 9 {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint32(c-'0')
	}
	return n, true
}

// dpw returns the days per week the request counts as asking.
func (r *Request) dpw() int {
	if r.Kind == KindInterim {
		return max(r.DaysPerWeek, InterimDays)
	}
	return r.DaysPerWeek
}

// languages returns the request's languages, French when none is given.
func (r *Request) languages() []string {
	if len(r.Languages) == 0 {
		return []string{"fr"}
	}
	return r.Languages
}
