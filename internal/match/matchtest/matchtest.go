// Package matchtest generates synthetic expert pools and needs over the real
// communes of internal/geo, for the matching engine's property tests and
// benchmarks and for later CLI or web benchmarks. Everything is derived
// from a seed (math/rand/v2 PCG), so a pool is the same on every run.
package matchtest

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
)

// Skills are the codes of the seed skill taxonomy (migration 0020).
var Skills = []string{
	"attractivite.strategie", "attractivite.marketing", "attractivite.prospection", "attractivite.talents",
	"filieres.diagnostic", "filieres.animation", "filieres.industrie", "filieres.agroalimentaire",
	"filieres.energie", "filieres.numerique", "filieres.tourisme", "filieres.ess",
	"entreprises.accueil", "entreprises.foncier", "entreprises.financement", "entreprises.commerce",
	"entreprises.emploi", "entreprises.transmission",
	"management.direction_interim", "management.reorganisation", "management.gestion", "management.gouvernance",
	"strategie.projet_territoire", "strategie.fonds_europeens", "strategie.observation", "strategie.marches_publics",
}

// Config shapes a generated world.
type Config struct {
	Seed uint64
	// Small makes a small, dense world for property tests: a handful of
	// communes (with Corsica and the overseas départements), six skills,
	// few SIRENs and availability periods near the needs' windows, so that
	// every constraint and every tie is hit often.
	Small bool
}

// World is the geography and choices a generator draws from.
type World struct {
	g        *geo.Reference
	cfg      Config
	communes []geo.Commune
	cum      []int64 // cumulative weights of communes
	skills   []string
	sirens   []string // SIRENs employers are drawn from in a Small world
}

// NewWorld prepares a generator over g.
func NewWorld(g *geo.Reference, cfg Config) *World {
	w := &World{g: g, cfg: cfg, skills: Skills}
	if cfg.Small {
		w.skills = Skills[:6]
		for _, code := range []string{"69123", "69259", "01053", "2A004", "2B033", "97105", "97209", "97302", "97411", "97611", "75056", "13055", "38185"} {
			if c, ok := g.Commune(code); ok {
				w.communes = append(w.communes, c)
			}
		}
		for _, c := range w.communes {
			w.sirens = append(w.sirens, c.SIREN, c.EPCISIREN)
		}
		w.sirens = append(w.sirens, "130025265", "552100554", "")
		w.sirens = slices.DeleteFunc(w.sirens, func(s string) bool { return s == "" })
	} else {
		for c := range g.Communes() {
			if !c.IsArrondissement() && c.Population > 0 {
				w.communes = append(w.communes, c)
			}
		}
	}
	var t int64
	for _, c := range w.communes {
		p := int64(c.Population) + 50
		if cfg.Small {
			p = 1
		}
		t += p
		w.cum = append(w.cum, t)
	}
	return w
}

// commune picks a commune, weighted by population (so big regions get more
// experts and needs).
func (w *World) commune(r *rand.Rand) geo.Commune {
	x := r.Int64N(w.cum[len(w.cum)-1])
	return w.communes[sort.Search(len(w.cum), func(i int) bool { return w.cum[i] > x })]
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// weighted returns i with probability weights[i]/Σ.
func weighted(r *rand.Rand, weights ...int) int {
	t := 0
	for _, x := range weights {
		t += x
	}
	x := r.IntN(t)
	for i, v := range weights {
		if x < v {
			return i
		}
		x -= v
	}
	return len(weights) - 1
}

// Base is the first day windows and periods are drawn around.
var Base = date.MustParse("2026-12-01")

// Now is the time generated profiles are dated against.
var Now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// Experts returns n experts with IDs 1..n, generated lazily.
func (w *World) Experts(n int) iter.Seq[match.Expert] {
	return func(yield func(match.Expert) bool) {
		r := rand.New(rand.NewPCG(w.cfg.Seed, 1))
		for i := 1; i <= n; i++ {
			if !yield(w.expert(r, int64(i))) {
				return
			}
		}
	}
}

func (w *World) expert(r *rand.Rand, id int64) match.Expert {
	home := w.commune(r)
	x := match.Expert{
		ID:              id,
		Reference:       fmt.Sprintf("EXP-%07d", id),
		Status:          []string{"qualified", "candidate", "suspended", "archived"}[weighted(r, 80, 10, 7, 3)],
		Commune:         home.Code,
		ExperienceYears: r.IntN(36),
		UpdatedAt:       Now.Add(-time.Duration(r.IntN(730*24)) * time.Hour),
	}
	if w.cfg.Small && r.IntN(10) == 0 {
		x.Commune = ""
	}
	if r.IntN(10) > 0 {
		x.DailyRate = 350 + r.IntN(551)
	}
	x.Skills = w.skillSet(r)
	x.Zones = zones(r, home)
	x.Availability = w.periods(r)
	x.Languages = languages(r)
	x.EmployerSIREN = w.employer(r, home)
	if r.IntN(50) == 0 || (w.cfg.Small && r.IntN(8) == 0) {
		x.Conflicts = []string{w.employer(r, w.commune(r))}
		if x.Conflicts[0] == "" {
			x.Conflicts = nil
		}
	}
	x.History = history(r)
	return x
}

// skillSet draws 3 to 7 skills, mostly from one domain, at levels weighted
// towards the middle.
func (w *World) skillSet(r *rand.Rand) []match.SkillLevel {
	n := 3 + r.IntN(5)
	if w.cfg.Small {
		n = 1 + r.IntN(4)
	}
	home := r.IntN(len(w.skills))
	var out []match.SkillLevel
	for len(out) < n {
		i := r.IntN(len(w.skills))
		if r.IntN(2) == 0 {
			i = (home + r.IntN(5)) % len(w.skills) // neighbours share a domain
		}
		code := w.skills[i]
		if slices.ContainsFunc(out, func(s match.SkillLevel) bool { return s.Code == code }) {
			continue
		}
		out = append(out, match.SkillLevel{Code: code, Level: 1 + weighted(r, 15, 35, 35, 15)})
	}
	return out
}

// zones: mostly the home département, often its region, sometimes
// national, now and then a neighbouring-looking département code.
func zones(r *rand.Rand, home geo.Commune) []string {
	var z []string
	if r.IntN(10) < 8 {
		z = append(z, "dep:"+home.DepartementCode)
	}
	if r.IntN(10) < 4 {
		z = append(z, "reg:"+home.RegionCode)
	}
	if r.IntN(100) < 8 {
		z = append(z, "national")
	}
	if len(z) == 0 && r.IntN(4) > 0 {
		z = append(z, "dep:"+home.DepartementCode)
	}
	return z
}

// periods draws 0 to 3 availability periods around the needs' windows.
func (w *World) periods(r *rand.Rand) []match.Period {
	n := weighted(r, 5, 50, 30, 15)
	var out []match.Period
	for range n {
		start := Base.AddDays(r.IntN(300) - 120)
		length := 60 + r.IntN(400)
		if w.cfg.Small {
			start = Base.AddDays(r.IntN(60) - 30)
			length = 30 + r.IntN(150)
		}
		out = append(out, match.Period{Start: start, End: start.AddDays(length), DaysPerWeek: 1 + weighted(r, 20, 30, 25, 15, 10)})
	}
	return out
}

func languages(r *rand.Rand) []string {
	if r.IntN(20) == 0 {
		return nil // none declared: French
	}
	var l []string
	if r.IntN(100) < 97 {
		l = append(l, "fr")
	}
	for _, x := range []struct {
		code string
		pct  int
	}{{"en", 35}, {"es", 8}, {"de", 6}, {"it", 4}} {
		if r.IntN(100) < x.pct {
			l = append(l, x.code)
		}
	}
	if len(l) == 0 {
		l = []string{"en"}
	}
	return l
}

// employer: none, the home commune or its EPCI (public-sector experts), or
// some other organisation.
func (w *World) employer(r *rand.Rand, home geo.Commune) string {
	if w.cfg.Small {
		if r.IntN(3) == 0 {
			return ""
		}
		return pick(r, w.sirens)
	}
	switch weighted(r, 60, 10, 5, 25) {
	case 1:
		return home.EPCISIREN
	case 2:
		return home.SIREN
	case 3:
		return fmt.Sprintf("%09d", 100000000+r.IntN(800000000))
	}
	return ""
}

func history(r *rand.Rand) match.History {
	var h match.History
	if r.IntN(10) < 3 {
		for i := range h.PastMissionsBySizeClass {
			h.PastMissionsBySizeClass[i] = weighted(r, 70, 20, 7, 3)
		}
		h.ReviewCount = r.IntN(8)
		for range h.ReviewCount {
			h.ReviewSum += 2 + r.IntN(4)
		}
	}
	h.ActiveMissions = weighted(r, 80, 15, 5)
	h.ProposalsLast90Days = weighted(r, 60, 20, 10, 5, 5)
	if h.ActiveMissions > 0 && r.IntN(2) == 0 {
		s := Base.AddDays(r.IntN(120) - 30)
		h.Commitments = []match.Commitment{{Start: s, End: s.AddDays(20 + r.IntN(90)), DaysPerWeek: 1 + r.IntN(2)}}
	}
	return h
}

// Needs returns n needs: two required skills and one optional, windows of
// one to four months from December 2026, mostly on-site or hybrid.
func (w *World) Needs(n int) []match.Request {
	r := rand.New(rand.NewPCG(w.cfg.Seed, 2))
	out := make([]match.Request, n)
	for i := range out {
		c := w.commune(r)
		q := match.Request{
			Title:       fmt.Sprintf("Besoin %d", i+1),
			Commune:     c.Code,
			Kind:        []match.Kind{match.KindMission, match.KindInterim}[weighted(r, 85, 15)],
			Start:       Base.AddDays(r.IntN(180)),
			DaysPerWeek: 1 + weighted(r, 40, 35, 15, 5, 5),
			Format:      []match.Format{match.FormatOnsite, match.FormatHybrid, match.FormatRemote}[weighted(r, 50, 35, 15)],
			Languages:   [][]string{{"fr"}, nil, {"fr", "en"}, {"en"}}[weighted(r, 70, 15, 12, 3)],
		}
		if w.cfg.Small {
			q.Start = Base.AddDays(r.IntN(40) - 10)
		}
		q.End = q.Start.AddDays(30 + r.IntN(90))
		q.RequesterSIREN = c.SIREN
		if w.cfg.Small && r.IntN(2) == 0 && len(w.sirens) > 0 {
			q.RequesterSIREN = pick(r, w.sirens)
		}
		if r.IntN(10) < 6 {
			q.MaxDailyRate = 500 + r.IntN(401)
		}
		perm := r.Perm(len(w.skills))
		nreq := 2
		if w.cfg.Small {
			nreq = r.IntN(3)
		}
		for j := range nreq + 1 {
			q.Skills = append(q.Skills, match.SkillWant{Code: w.skills[perm[j]], MinLevel: 1 + weighted(r, 20, 50, 30), Required: j < nreq})
		}
		out[i] = q
	}
	return out
}
