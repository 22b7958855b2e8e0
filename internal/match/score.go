package match

import "vivier/internal/geo"

// Components are the parts of an expert's score for a need, each in [0,1].
// Each is rounded to a millionth before weighting (see quantize), so that
// the score is an exact integer sum and an expert better on one component
// and equal on the others always scores strictly higher.
type Components struct {
	Skills       float64 `json:"skills"`
	Availability float64 `json:"availability"`
	Proximity    float64 `json:"proximity"`
	Experience   float64 `json:"experience"`
	Reviews      float64 `json:"reviews"`
	Rate         float64 `json:"rate"`
	Load         float64 `json:"load"`
	Freshness    float64 `json:"freshness"`
}

// Get returns one component.
func (c Components) Get(k Component) float64 {
	return [numComponents]float64{c.Skills, c.Availability, c.Proximity, c.Experience,
		c.Reviews, c.Rate, c.Load, c.Freshness}[k]
}

// The constants of the component formulas; docs/matching.md explains them.
const (
	// scale is the resolution of a component: components are whole numbers
	// of millionths.
	scale = 1_000_000

	// fullTime is the days per week that count as full availability.
	fullTime = 5

	// Experience: each past mission in a commune of the need's size class
	// is worth more than every year of experience together (31 > 30), up
	// to four missions and thirty years.
	maxSameClassMissions = 4
	maxYears             = 30
	missionWorth         = maxYears + 1

	// Reviews: the Bayesian mean starts from reviewPriorCount imaginary
	// reviews of reviewPriorMean (the middle of the 1–5 scale), so one
	// enthusiastic review does not outrank a long good record.
	reviewPriorMean  = 3
	reviewPriorCount = 3

	// Rate: rates are compared to this reference daily rate in euros, about
	// a private consultancy's, the same for every need (the need's maximum
	// is a hard constraint already, and measuring against it would make a
	// rate just under it score near 0); an unknown rate scores one half.
	referenceRate = 1500

	// Freshness halves when the profile is freshnessHalfLife days old.
	freshnessHalfLife = 180
)

// quantize returns num/den in millionths, rounded to the nearest; num ≤ den.
func quantize(num, den uint64) uint32 {
	if den == 0 {
		return scale
	}
	return uint32((num*scale + den/2) / den)
}

// scores are the components of one expert in millionths, by Component.
type scores [numComponents]uint32

// components converts scores for output.
func (s *scores) components() Components {
	f := func(c Component) float64 { return float64(s[c]) / scale }
	return Components{
		Skills:       f(CompSkills),
		Availability: f(CompAvailability),
		Proximity:    f(CompProximity),
		Experience:   f(CompExperience),
		Reviews:      f(CompReviews),
		Rate:         f(CompRate),
		Load:         f(CompLoad),
		Freshness:    f(CompFreshness),
	}
}

// total returns the weighted sum of the scores, an exact integer.
func (s *scores) total(w *[numComponents]uint64) uint64 {
	var t uint64
	for c := range numComponents {
		t += w[c] * uint64(s[c])
	}
	return t
}

// score computes every component of an eligible expert.
func (e *Engine) score(r *record, q *query) scores {
	var s scores
	s[CompSkills] = e.skillFit(r, q)
	s[CompAvailability] = availabilityFit(e.periods(r), q)
	s[CompProximity] = e.proximity(r.home, q)
	s[CompExperience] = experience(r, q)
	s[CompReviews] = reviews(r)
	s[CompRate] = rateFit(r.rate)
	s[CompLoad] = load(r)
	s[CompFreshness] = freshness(r.updated, q.today)
	return s
}

// skillFit is the mean, over every wanted skill (required or not), of the
// level held out of 4 (0 when absent): an expert at level 4 in all of them
// scores 1.
func (e *Engine) skillFit(r *record, q *query) uint32 {
	if len(q.wanted) == 0 {
		return scale
	}
	var sum uint64
	for _, w := range q.wanted {
		sum += uint64(e.levelOf(r, w.idx))
	}
	return quantize(sum, 4*uint64(len(q.wanted)))
}

// availabilityFit is the largest days per week, out of five, at which the
// expert's periods cover the whole window (at least what the need asks,
// since the expert passed the availability constraint).
func availabilityFit(periods []dayPeriod, q *query) uint32 {
	t := uint64(q.dpw)
	for t < fullTime && firstUncovered(periods, q.start, q.end, uint8(t+1)) < 0 {
		t++
	}
	return quantize(min(t, fullTime), fullTime)
}

// proximity is 1 in the need's commune, 3/4 in its EPCI, 1/2 in its
// département, 1/4 in its region, 0 elsewhere or when the home commune is
// unknown.
func (e *Engine) proximity(home geo.CommuneID, q *query) uint32 {
	if home == 0 {
		return 0
	}
	if home == q.commune {
		return scale
	}
	l := e.geo.Location(home)
	switch {
	case l.EPCI != 0 && l.EPCI == q.loc.EPCI:
		return quantize(3, 4)
	case l.Departement != 0 && l.Departement == q.loc.Departement:
		return quantize(2, 4)
	case l.Region != 0 && l.Region == q.loc.Region:
		return quantize(1, 4)
	}
	return 0
}

// experience counts past missions in communes of the need's size class,
// each worth more than all the years of experience, which break ties.
func experience(r *record, q *query) uint32 {
	var m uint64
	if q.class >= 1 && int(q.class) <= len(r.past) {
		m = uint64(min(r.past[q.class-1], maxSameClassMissions))
	}
	y := uint64(min(r.years, maxYears))
	return quantize(missionWorth*m+y, missionWorth*maxSameClassMissions+maxYears)
}

// reviews is the Bayesian mean of the review scores mapped from 1–5 to 0–1:
// ((C·m + Σ) / (C + n) − 1) / 4.
func reviews(r *record) uint32 {
	n, sum := uint64(r.reviewN), uint64(r.reviewSum)
	num := reviewPriorCount*(reviewPriorMean-1) + sum - n
	return quantize(num, 4*(reviewPriorCount+n))
}

// rateFit is 1 − rate/reference, 0 at or above the reference rate; 1/2 for
// an unknown rate.
func rateFit(rate uint16) uint32 {
	if rate == 0 {
		return quantize(1, 2)
	}
	c := uint64(referenceRate)
	if uint64(rate) >= c {
		return 0
	}
	return quantize(c-uint64(rate), c)
}

// load is 1 / (1 + active missions + proposals of the last 90 days / 2).
func load(r *record) uint32 {
	return quantize(2, 2+2*uint64(r.active)+uint64(r.proposals))
}

// freshness is h / (h + age in days), h being the half-life; a profile
// updated today or later scores 1.
func freshness(updated, today uint16) uint32 {
	if updated >= today {
		return scale
	}
	return quantize(freshnessHalfLife, freshnessHalfLife+uint64(today-updated))
}
