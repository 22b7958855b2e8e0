package demo

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/skill"
)

// skillCodes are the seed taxonomy's codes by domain (codes never change
// meaning, so the generator needs no database).
var skillCodes = map[string][]string{
	"attractivite": {"attractivite.strategie", "attractivite.marketing", "attractivite.prospection", "attractivite.talents"},
	"filieres": {"filieres.diagnostic", "filieres.animation", "filieres.industrie", "filieres.agroalimentaire",
		"filieres.energie", "filieres.numerique", "filieres.tourisme", "filieres.ess"},
	"entreprises": {"entreprises.accueil", "entreprises.foncier", "entreprises.financement", "entreprises.commerce",
		"entreprises.emploi", "entreprises.transmission"},
	"management": {"management.direction_interim", "management.reorganisation", "management.gestion", "management.gouvernance"},
	"strategie":  {"strategie.projet_territoire", "strategie.fonds_europeens", "strategie.observation", "strategie.marches_publics"},
}

var domains = []string{"attractivite", "filieres", "entreprises", "management", "strategie"}

// Generator makes plausible French experts and needs over real communes,
// the same ones for the same seed and base day. The demo and the
// benchmarks of 100,000 profiles share it.
type Generator struct {
	rng      *rand.Rand
	geo      *geo.Reference
	communes []geo.Commune // communes (not arrondissements) in a département
	cum      []int         // cumulated population, to draw communes by population
	small    []geo.Commune // communes under 3,500 inhabitants, for needs
	deps     map[string][]string
	base     date.Date // availability periods start around this day
}

// NewGenerator returns a generator seeded with seed; availability periods
// and need windows start after base.
func NewGenerator(seed int64, ref *geo.Reference, base date.Date) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x76697669)), geo: ref, base: base, deps: map[string][]string{}}
	total := 0
	for c := range ref.Communes() {
		if c.IsArrondissement() || c.Location.Departement == 0 || c.Population == 0 {
			continue
		}
		total += c.Population
		g.communes = append(g.communes, c)
		g.cum = append(g.cum, total)
		if c.Population < 3500 && c.EPCISIREN != "" {
			g.small = append(g.small, c)
		}
	}
	for _, d := range ref.Departements() {
		g.deps[d.RegionCode] = append(g.deps[d.RegionCode], d.Code)
	}
	return g
}

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// commune draws a commune with a probability proportional to its
// population: big regions get more experts, as in the real pool.
func (g *Generator) commune() geo.Commune {
	n := g.rng.IntN(g.cum[len(g.cum)-1])
	i := sort.SearchInts(g.cum, n+1)
	return g.communes[i]
}

// Expert returns the i-th generated expert and the status it should reach.
func (g *Generator) Expert(i int) (expert.Profile, expert.Status) {
	first, last := g.pick(firstNames), g.pick(lastNames)
	home := g.commune()
	emp := g.pick([]string{"en_poste", "en_poste", "mobilite", "independant", "independant", "retraite"})
	years := 3 + g.rng.IntN(35)
	if emp == "retraite" {
		years = 25 + g.rng.IntN(16)
	}
	rate := 350 + 10*g.rng.IntN(25) + years*6
	rate = min(rate, 900)
	p := expert.Profile{
		Reference: fmt.Sprintf("EXP-%06d", i+1), FirstName: first, LastName: last,
		Email:      fmt.Sprintf("%s.%s.%d@exemple.fr", ascii(first), ascii(last), i+1),
		Phone:      fmt.Sprintf("06 %02d %02d %02d %02d", g.rng.IntN(100), g.rng.IntN(100), g.rng.IntN(100), g.rng.IntN(100)),
		Employment: expert.Employment(emp), Commune: home.Code, Zones: g.zones(home),
		DailyRate: &rate, ExperienceYears: &years, Languages: g.languages(),
	}
	if emp == "en_poste" || emp == "mobilite" {
		p.EmployerSIREN = home.EPCISIREN
	}
	main := g.pick(domains)
	p.Skills = g.skills(main)
	p.Availability = g.periods()
	p.Bio = g.pick(bioOpenings[emp]) + g.pick(bioTopics[main]) + fmt.Sprintf(". %d ans d’expérience, basé%s à %s.", years, g.pick([]string{"", "e"}), home.Name)
	status := expert.Qualified
	switch r := g.rng.IntN(100); {
	case r < 15:
		status = expert.Candidate
	case r < 21:
		status = expert.Suspended
	case r < 25:
		status = expert.Archived
	}
	return p, status
}

func (g *Generator) zones(home geo.Commune) []string {
	zones := []string{"dep:" + home.DepartementCode}
	switch r := g.rng.IntN(100); {
	case r < 15:
		zones = append(zones, "national")
	case r < 50:
		zones = append(zones, "reg:"+home.RegionCode)
	case r < 70:
		zones = append(zones, "dep:"+g.pick(g.deps[home.RegionCode]))
	}
	return zones
}

func (g *Generator) languages() []string {
	langs := []string{"fr"}
	if g.rng.IntN(100) < 35 {
		langs = append(langs, "en")
	}
	if g.rng.IntN(100) < 8 {
		langs = append(langs, g.pick([]string{"de", "es", "it"}))
	}
	return langs
}

// skills gives one to three skills of the main domain and sometimes one of
// another, with levels mostly confirmed or expert.
func (g *Generator) skills(main string) []expert.SkillLevel {
	seen := map[string]bool{}
	var out []expert.SkillLevel
	add := func(code string) {
		if !seen[code] {
			seen[code] = true
			levels := []skill.Level{1, 2, 2, 3, 3, 3, 3, 4, 4, 4}
			out = append(out, expert.SkillLevel{Code: code, Level: levels[g.rng.IntN(len(levels))]})
		}
	}
	for range 1 + g.rng.IntN(3) {
		add(g.pick(skillCodes[main]))
	}
	if g.rng.IntN(100) < 40 {
		add(g.pick(skillCodes[g.pick(domains)]))
	}
	return out
}

// periods gives the expert's availability, as experts declare it: most
// (seven in ten) one long period from the coming weeks to next year, a
// day to three a week — what a need of the next months asks —, some one to
// three shorter periods with gaps between, and one in ten none declared.
func (g *Generator) periods() []expert.Period {
	var out []expert.Period
	start := g.base.AddDays(g.rng.IntN(30))
	switch r := g.rng.IntN(10); {
	case r < 7:
		end := start.AddDays(270 + g.rng.IntN(150))
		out = append(out, expert.Period{Start: start, End: end, DaysPerWeek: 1 + g.rng.IntN(3) + g.rng.IntN(2)})
	case r < 9:
		for range 1 + g.rng.IntN(3) {
			end := start.AddDays(30 + g.rng.IntN(150))
			out = append(out, expert.Period{Start: start, End: end, DaysPerWeek: 1 + g.rng.IntN(5)})
			start = end.AddDays(1 + g.rng.IntN(45))
		}
	}
	return out
}

// ascii folds a name for an email address: "Lefèvre" → "lefevre".
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WriteExpertsCSV writes n generated experts in the import format of
// package expert (qualified ones with qualifie=oui) and returns the
// statuses to reach, by reference.
func (g *Generator) WriteExpertsCSV(w io.Writer, n int) (map[string]expert.Status, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(expert.Columns); err != nil {
		return nil, err
	}
	statuses := make(map[string]expert.Status, n)
	for i := range n {
		p, st := g.Expert(i)
		statuses[p.Reference] = st
		skills := make([]string, len(p.Skills))
		for j, s := range p.Skills {
			skills[j] = s.Code + ":" + strconv.Itoa(int(s.Level))
		}
		periods := make([]string, len(p.Availability))
		for j, a := range p.Availability {
			periods[j] = fmt.Sprintf("%s..%s:%d", a.Start, a.End, a.DaysPerWeek)
		}
		qualified := "non"
		if st != expert.Candidate {
			qualified = "oui" // suspended and archived experts were qualified first
		}
		rec := []string{p.Reference, p.LastName, p.FirstName, p.Email, p.Phone, string(p.Employment), p.EmployerSIREN, p.Commune,
			strings.Join(p.Zones, "|"), strings.Join(skills, "|"), strings.Join(periods, "|"), strconv.Itoa(*p.DailyRate),
			strconv.Itoa(*p.ExperienceYears), strings.Join(p.Languages, "|"), p.Bio, qualified}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return statuses, cw.Error()
}

// Need returns a generated need of a commune under 3,500 inhabitants (near
// is not zero: the need is placed in the same EPCI as near, to make pooling
// candidates), and the status it should reach.
func (g *Generator) Need(near *geo.Commune) (need.Input, need.Status) {
	place := g.small[g.rng.IntN(len(g.small))]
	if near != nil {
		// Another small commune of the same EPCI, or near itself.
		place = *near
		if e, ok := g.geo.EPCI(near.EPCISIREN); ok {
			for range 8 {
				if c, ok := g.geo.Commune(e.Members[g.rng.IntN(len(e.Members))]); ok && c.Population < 3500 {
					place = c
					break
				}
			}
		}
	}
	t := needTemplates[g.rng.IntN(len(needTemplates))]
	if near != nil {
		t = needTemplates[0]
	}
	start := g.base.AddDays(15 + g.rng.IntN(120))
	in := need.Input{
		Title: fmt.Sprintf(t.title, place.Name), Description: t.description, Commune: place.Code, Kind: need.Kind(t.kind),
		Start: start, End: start.AddDays(30 + g.rng.IntN(150)), DaysPerWeek: 1 + g.rng.IntN(3),
		Format: need.Format(g.pick([]string{"onsite", "onsite", "hybrid", "remote"})), Languages: []string{"fr"},
		Contact: &need.Contact{Name: g.pick(firstNames) + " " + g.pick(lastNames), Role: g.pick(roles),
			Email: fmt.Sprintf("mairie.%s@exemple.fr", ascii(place.Name))},
	}
	if t.kind == "interim" {
		in.DaysPerWeek = 4
	}
	if g.rng.IntN(100) < 60 {
		r := 500 + 50*g.rng.IntN(7)
		in.MaxDailyRate = &r
	}
	if g.rng.IntN(100) < 30 {
		in.Requester = "epci"
	}
	for i, code := range t.skills {
		in.Skills = append(in.Skills, need.WantedSkill{Code: code, MinLevel: skill.Level(2 + g.rng.IntN(3)), Required: i == 0})
	}
	status := need.Submitted
	switch r := g.rng.IntN(100); {
	case r < 25:
		status = need.Qualified
	case r < 40:
		status = need.Proposed
	case r < 55:
		status = need.Assigned
	case r < 63:
		status = need.Cancelled
	case r < 70:
		status = need.Unfulfilled
	}
	return in, status
}
