package match

import (
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"vivier/internal/date"
	"vivier/internal/geo"
)

// Expert is everything the engine reads about one expert: the profile from
// the experts tables and the History the missions package provides. Load
// fills it from the database; tests and benchmarks build engines from it
// directly with New.
type Expert struct {
	ID              int64
	Reference       string
	Status          string // "qualified" is the only status that can match
	Commune         string // INSEE code of the home commune, "" when unknown
	EmployerSIREN   string // "" when none
	DailyRate       int    // whole euros, 0 when unknown
	ExperienceYears int
	Languages       []string // ISO 639-1; none means French
	Skills          []SkillLevel
	Zones           []string // "dep:69", "reg:84", "national"
	Availability    []Period
	Conflicts       []string // SIRENs the expert declared a conflict of interest with
	UpdatedAt       time.Time
	History         History
}

// SkillLevel is a skill an expert holds, at level 1 (notions) to 4 (expert).
type SkillLevel struct {
	Code  string
	Level int
}

// Period is an availability period, both days included.
type Period struct {
	Start, End  date.Date
	DaysPerWeek int
}

// History is what past and current missions say about an expert. The
// missions package provides it through a HistorySource; the zero History
// is a newcomer.
type History struct {
	// PastMissionsBySizeClass counts finished missions by the size class of
	// their commune, index geo.SizeClass − 1.
	PastMissionsBySizeClass [5]int
	ReviewCount             int // reviews received
	ReviewSum               int // sum of their marks, each from 1 to 5
	ActiveMissions          int
	ProposalsLast90Days     int
	// Commitments are days already planned on missions: they lower the days
	// per week of the availability periods they overlap.
	Commitments []Commitment
}

// Commitment is a mission's planned days per week over a period.
type Commitment struct {
	Start, End  date.Date
	DaysPerWeek int
}

// StatusQualified is the only status an eligible expert has.
const StatusQualified = "qualified"

// record is one expert in memory: fixed-size fields here, variable-size
// ones (reference, skills, zones, periods) in the engine's blob at off.
type record struct {
	id        int64
	off       uint32 // start of the expert's bytes in Engine.blob
	siren     uint32 // employer SIREN as a number, 0 when none
	reviewSum uint32
	home      geo.CommuneID // 0 when unknown
	refLen    uint16
	rate      uint16 // 0 when unknown
	updated   uint16 // day number of the last profile change
	reviewN   uint16
	ns, nz    uint8 // skills and zones in the blob
	np        uint8 // availability periods, commitments deducted
	flags     uint8
	years     uint8
	active    uint8
	proposals uint8
	past      [5]uint8
	// The availability check reads every expert who has the required
	// skills, so up to two periods and two zones are kept here, in the
	// record's own cache line; more periods live in Engine.pers at poff.
	ip   [2]dayPeriod
	iz   [2]uint16
	poff uint32
}

const (
	flagDeclared  = 1 << iota // has declared conflicts (Engine.conflicts)
	flagCommitted             // commitments were deducted from the periods
)

// Blob layout of one expert: reference bytes, then ns skills as uint16
// (skill index << 2 | level − 1), then nz zones as uint16 (kind << 8 | id).
// Periods are in the record or in Engine.pers.
const (
	skillSize = 2
	zoneSize  = 2
)

func (r *record) size() int {
	return int(r.refLen) + int(r.ns)*skillSize + int(r.nz)*zoneSize
}

// encoded is an Expert turned into a record and its blob bytes, ready to be
// placed in an engine.
type encoded struct {
	rec       record
	bytes     []byte
	qualified bool
	skills    []skillHeld
	periods   []dayPeriod
	langs     []string
	conflicts []uint32
}

type skillHeld struct {
	code  string
	level uint8
}

// capped returns n clamped to [0, hi].
func capped(n, hi int) int { return max(0, min(n, hi)) }

// encode checks and packs an expert. Bad values in stored data (an unknown
// commune or zone) are errors: Put refuses them, Load reports them.
func encode(g *geo.Reference, x *Expert) (encoded, error) {
	var en encoded
	r := &en.rec
	fail := func(format string, args ...any) (encoded, error) {
		return encoded{}, fmt.Errorf("expert %q: %s", x.Reference, fmt.Sprintf(format, args...))
	}
	if x.Reference == "" || len(x.Reference) > 0xffff {
		return fail("reference must have 1 to 65535 bytes")
	}
	r.id = x.ID
	r.refLen = uint16(len(x.Reference))
	en.qualified = x.Status == StatusQualified
	if x.Commune != "" {
		c, ok := g.Commune(x.Commune)
		if !ok {
			return fail("unknown commune %q", x.Commune)
		}
		r.home = communeOf(g, c)
	}
	if x.EmployerSIREN != "" {
		n, ok := sirenNumber(x.EmployerSIREN)
		if !ok {
			return fail("employer SIREN %q is not 9 digits", x.EmployerSIREN)
		}
		r.siren = n
	}
	for _, s := range x.Conflicts {
		n, ok := sirenNumber(s)
		if !ok {
			return fail("declared conflict SIREN %q is not 9 digits", s)
		}
		en.conflicts = append(en.conflicts, n)
	}
	if len(en.conflicts) > 0 {
		r.flags |= flagDeclared
	}
	r.rate = uint16(capped(x.DailyRate, 0xffff))
	r.years = uint8(capped(x.ExperienceYears, 255))
	r.updated = clampDay(date.Of(x.UpdatedAt.In(date.Paris())))
	h := &x.History
	for i, n := range h.PastMissionsBySizeClass {
		r.past[i] = uint8(capped(n, 255))
	}
	r.reviewN = uint16(capped(h.ReviewCount, 0xffff))
	r.reviewSum = uint32(capped(h.ReviewSum, 5*0xffff))
	r.active = uint8(capped(h.ActiveMissions, 255))
	r.proposals = uint8(capped(h.ProposalsLast90Days, 255))
	en.langs = x.Languages
	if len(en.langs) == 0 {
		en.langs = []string{"fr"}
	}
	b := append([]byte(nil), x.Reference...)
	if len(x.Skills) > 255 {
		return fail("more than 255 skills")
	}
	for _, s := range x.Skills {
		if s.Level < 1 || s.Level > 4 {
			return fail("skill %q has level %d, want 1 to 4", s.Code, s.Level)
		}
		en.skills = append(en.skills, skillHeld{s.Code, uint8(s.Level)})
	}
	r.ns = uint8(len(x.Skills))
	b = append(b, make([]byte, int(r.ns)*skillSize)...) // indexes are assigned by the engine
	zones, err := encodeZones(g, x.Zones)
	if err != nil {
		return fail("%v", err)
	}
	r.nz = uint8(len(zones))
	for i, z := range zones {
		b = binary.LittleEndian.AppendUint16(b, z)
		if i < len(r.iz) {
			r.iz[i] = z
		}
	}
	periods := effectivePeriods(x.Availability, h.Commitments)
	if len(h.Commitments) > 0 {
		r.flags |= flagCommitted
	}
	if len(periods) > 255 {
		return fail("more than 255 availability periods")
	}
	r.np = uint8(len(periods))
	en.periods = periods
	if len(periods) <= len(r.ip) {
		copy(r.ip[:], periods)
	}
	en.bytes = b
	return en, nil
}

// communeOf returns the commune an expert or a need belongs to: an
// arrondissement municipal counts as its commune.
func communeOf(g *geo.Reference, c geo.Commune) geo.CommuneID {
	if c.Parent != "" {
		if p, ok := g.Commune(c.Parent); ok {
			return p.ID
		}
	}
	return c.ID
}

// Zones are packed as kind << 8 | département or region ID.
const (
	zoneDep      = uint16(geo.ZoneDepartement) << 8
	zoneReg      = uint16(geo.ZoneRegion) << 8
	zoneNational = uint16(geo.ZoneNational) << 8
)

func encodeZones(g *geo.Reference, list []string) ([]uint16, error) {
	var out []uint16
	for _, s := range list {
		z, err := g.ParseZone(s)
		if err != nil {
			return nil, err
		}
		var v uint16
		switch z.Kind() {
		case geo.ZoneNational:
			v = zoneNational
		case geo.ZoneDepartement:
			d, _ := g.Departement(z.Code())
			v = zoneDep | uint16(d.ID)
		case geo.ZoneRegion:
			rg, _ := g.Region(z.Code())
			v = zoneReg | uint16(rg.ID)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) > 255 {
		return nil, fmt.Errorf("more than 255 zones")
	}
	return out, nil
}

// dayPeriod is an availability period in day numbers.
type dayPeriod struct {
	start, end uint16
	dpw        uint8
}

// effectivePeriods returns the availability periods with the days per week
// of overlapping commitments deducted, split where a commitment starts or
// ends, sorted by start. Pieces left with no day a week are dropped.
func effectivePeriods(periods []Period, commitments []Commitment) []dayPeriod {
	var out []dayPeriod
	for _, p := range periods {
		s, e := clampDay(p.Start), clampDay(p.End)
		if e < s || p.DaysPerWeek < 1 {
			continue
		}
		cuts := []int{int(s), int(e) + 1}
		for _, c := range commitments {
			cs, ce := int(clampDay(c.Start)), int(clampDay(c.End))+1
			for _, x := range [2]int{cs, ce} {
				if x > int(s) && x <= int(e) {
					cuts = append(cuts, x)
				}
			}
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
		for i := 0; i+1 < len(cuts); i++ {
			a, b := cuts[i], cuts[i+1]-1
			d := p.DaysPerWeek
			for _, c := range commitments {
				if int(clampDay(c.Start)) <= a && int(clampDay(c.End)) >= b {
					d -= c.DaysPerWeek
				}
			}
			if d >= 1 {
				out = append(out, dayPeriod{uint16(a), uint16(b), uint8(min(d, 5))})
			}
		}
	}
	slices.SortFunc(out, func(a, b dayPeriod) int {
		if a.start != b.start {
			return int(a.start) - int(b.start)
		}
		return int(b.end) - int(a.end)
	})
	return out
}
