package match_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/match/matchtest"
)

// The formulas of docs/matching.md, checked on small hand-built cases.
// Every expected number below was worked out by hand from the doc, with the
// arithmetic in a comment, and never taken from the engine: the property
// tests compare the engine with a reference that asks the engine for its
// scores (TotalOf), so a wrong formula would pass them but not these.
//
// Unless a case says otherwise, the need is baseRequest (Lyon, December
// 2026, 2 days a week, strategy required at level 3 and industry optional
// at level 2, at most 650 €) and the expert is baseExpert (home in
// Vénissieux, same EPCI as Lyon; strategy 3, industry 2; 2 days a week from
// November to March; 600 €; a newcomer; profile updated at the query's
// instant). The query runs at matchtest.Now, 25 November 2026 13:00 in
// Paris.

// tolerance absorbs the float64 division that turns millionths into the
// components the engine returns; a formula off by a millionth still fails.
const tolerance = 1e-9

// scoredAlone ranks x alone for req with weights w (the defaults when nil)
// and returns their match, failing when x is excluded or when Explain does
// not give the components and score Rank gave.
func scoredAlone(t *testing.T, w *match.Weights, x match.Expert, req match.Request) match.Match {
	t.Helper()
	e, err := match.New(geo.Default(), slices.Values([]match.Expert{x}), opts())
	if err != nil {
		t.Fatal(err)
	}
	if w != nil {
		if err := e.SetWeights(*w); err != nil {
			t.Fatal(err)
		}
	}
	res, err := e.Rank(ctx, req, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) != 1 {
		t.Fatalf("expert excluded: %v", res.Excluded)
	}
	m := res.Matches[0]
	ex, err := e.Explain(ctx, req, x.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Eligible || *ex.Components != m.Components || ex.Score != m.Score {
		t.Fatalf("Rank gives %v %+v, Explain %v %+v", m.Score, m.Components, ex.Score, ex.Components)
	}
	return m
}

// componentCase is one hand-computed value of one component.
type componentCase struct {
	name string
	x    func(*match.Expert)  // changes baseExpert; nil keeps it
	r    func(*match.Request) // changes baseRequest; nil keeps it
	want float64
}

func checkComponent(t *testing.T, k match.Component, cases []componentCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, r := baseExpert(1, "A"), baseRequest()
			if c.x != nil {
				c.x(&x)
			}
			if c.r != nil {
				c.r(&r)
			}
			got := scoredAlone(t, nil, x, r).Components.Get(k)
			if math.Abs(got-c.want) > tolerance {
				t.Errorf("%s = %.9f, want %.9f", k, got, c.want)
			}
		})
	}
}

// period is an availability period from a to b at d days a week.
func period(a, b string, d int) match.Period {
	return match.Period{Start: date.MustParse(a), End: date.MustParse(b), DaysPerWeek: d}
}

// commitment is a mission's d days a week from a to b.
func commitment(a, b string, d int) match.Commitment {
	return match.Commitment{Start: date.MustParse(a), End: date.MustParse(b), DaysPerWeek: d}
}

// daysAgo is the instant n whole days before the query.
func daysAgo(n int) time.Time { return matchtest.Now.Add(-time.Duration(n) * 24 * time.Hour) }

func TestSkillsFormula(t *testing.T) {
	checkComponent(t, match.CompSkills, []componentCase{
		{name: "required and optional at their minimum",
			want: 0.625}, // (3/4 + 2/4) / 2
		{name: "required above its minimum",
			x:    func(x *match.Expert) { x.Skills[0].Level = 4 },
			want: 0.75}, // (4/4 + 2/4) / 2
		{name: "optional above its minimum",
			x:    func(x *match.Expert) { x.Skills[1].Level = 4 },
			want: 0.875}, // (3/4 + 4/4) / 2
		{name: "optional below its minimum still counts its level",
			x:    func(x *match.Expert) { x.Skills[1].Level = 1 },
			want: 0.5}, // (3/4 + 1/4) / 2
		{name: "optional absent counts 0",
			x:    func(x *match.Expert) { x.Skills = x.Skills[:1] },
			want: 0.375}, // (3/4 + 0) / 2
		{name: "every wanted skill at level 4",
			x:    func(x *match.Expert) { x.Skills[0].Level, x.Skills[1].Level = 4, 4 },
			want: 1}, // (4/4 + 4/4) / 2
		{name: "skills not asked for do not count",
			x: func(x *match.Expert) {
				x.Skills = append(x.Skills, match.SkillLevel{Code: "management.gestion", Level: 4})
			},
			want: 0.625}, // (3/4 + 2/4) / 2, management.gestion ignored
		{name: "three wanted skills",
			x: func(x *match.Expert) {
				x.Skills = append(x.Skills, match.SkillLevel{Code: "strategie.fonds_europeens", Level: 2})
			},
			r: func(r *match.Request) {
				r.Skills = append(r.Skills, match.SkillWant{Code: "strategie.fonds_europeens", MinLevel: 1})
			},
			want: 0.583333}, // (3 + 2 + 2) / (3·4) = 7/12 = 0.58333… → 0.583333
		{name: "a wanted skill no expert holds",
			r: func(r *match.Request) {
				r.Skills = append(r.Skills, match.SkillWant{Code: "inconnue.competence", MinLevel: 2})
			},
			want: 0.416667}, // (3 + 2 + 0) / (3·4) = 5/12 = 0.41666… → 0.416667
		{name: "the required skill only",
			r:    func(r *match.Request) { r.Skills = r.Skills[:1] },
			want: 0.75}, // 3/4
		{name: "no skill asked",
			r:    func(r *match.Request) { r.Skills = nil },
			want: 1}, // nothing asked is fully covered
	})
}

func TestAvailabilityFormula(t *testing.T) {
	checkComponent(t, match.CompAvailability, []componentCase{
		{name: "what is asked and no more",
			want: 0.4}, // 2/5
		{name: "four days over the whole window",
			x:    func(x *match.Expert) { x.Availability[0].DaysPerWeek = 4 },
			want: 0.8}, // 4/5
		{name: "five days over the whole window",
			x:    func(x *match.Expert) { x.Availability[0].DaysPerWeek = 5 },
			want: 1}, // 5/5
		{name: "four days over part of the window only",
			x: func(x *match.Expert) {
				x.Availability = []match.Period{period("2026-11-01", "2026-12-15", 4), period("2026-12-16", "2027-03-31", 2)}
			},
			want: 0.4}, // only 2 days a week cover every day: 2/5
		{name: "three days throughout, five for ten days",
			x: func(x *match.Expert) {
				x.Availability = []match.Period{period("2026-11-01", "2027-03-31", 3), period("2026-12-10", "2026-12-20", 5)}
			},
			want: 0.6}, // 3/5
		{name: "adjacent periods at five and four days",
			x: func(x *match.Expert) {
				x.Availability = []match.Period{period("2026-11-01", "2026-12-15", 5), period("2026-12-16", "2027-03-31", 4)}
			},
			want: 0.8}, // the window is covered at 4, not at 5: 4/5
		{name: "overlapping periods do not add up",
			x: func(x *match.Expert) {
				x.Availability = []match.Period{period("2026-11-01", "2027-03-31", 2), period("2026-12-01", "2026-12-31", 2)}
			},
			want: 0.4}, // 2/5, not (2 + 2)/5
		{name: "a commitment inside the window is deducted",
			x: func(x *match.Expert) {
				x.Availability[0].DaysPerWeek = 4
				x.History.Commitments = []match.Commitment{commitment("2026-12-10", "2026-12-20", 1)}
			},
			want: 0.6}, // 4 − 1 = 3 from 10 to 20 December: 3/5
		{name: "a commitment outside the window changes nothing",
			x: func(x *match.Expert) {
				x.Availability[0].DaysPerWeek = 4
				x.History.Commitments = []match.Commitment{commitment("2027-01-10", "2027-01-20", 2)}
			},
			want: 0.8}, // 4/5
		{name: "overlapping commitments add up",
			x: func(x *match.Expert) {
				x.Availability[0].DaysPerWeek = 5
				x.History.Commitments = []match.Commitment{commitment("2026-12-01", "2026-12-31", 1), commitment("2026-12-15", "2026-12-20", 1)}
			},
			want: 0.6}, // 5 − 1 − 1 = 3 from 15 to 20 December: 3/5
		{name: "an interim is asked as four days",
			x:    func(x *match.Expert) { x.Availability[0].DaysPerWeek = 4 },
			r:    func(r *match.Request) { r.Kind = match.KindInterim },
			want: 0.8}, // max(2, 4) = 4 asked, 4 held: 4/5
		{name: "an interim with five days available",
			x:    func(x *match.Expert) { x.Availability[0].DaysPerWeek = 5 },
			r:    func(r *match.Request) { r.Kind = match.KindInterim },
			want: 1}, // 5/5
		{name: "a need of five days",
			x:    func(x *match.Expert) { x.Availability[0].DaysPerWeek = 5 },
			r:    func(r *match.Request) { r.DaysPerWeek = 5 },
			want: 1}, // 5/5
	})
}

func TestProximityFormula(t *testing.T) {
	home := func(code string, zones ...string) func(*match.Expert) {
		return func(x *match.Expert) {
			x.Commune = code
			if zones != nil {
				x.Zones = zones
			}
		}
	}
	at := func(code string) func(*match.Request) { return func(r *match.Request) { r.Commune = code } }
	checkComponent(t, match.CompProximity, []componentCase{
		{name: "home in the need's commune", x: home("69123"), want: 1},
		{name: "home in an arrondissement of the need's commune", x: home("69381"), want: 1},
		{name: "need in an arrondissement, home in its commune", x: home("69123"), r: at("69381"), want: 1},
		{name: "need and home in two arrondissements of Lyon", x: home("69381"), r: at("69385"), want: 1},
		{name: "same EPCI (Vénissieux, Métropole de Lyon)", want: 0.75},
		{name: "same EPCI across a département line (Paris-l'Hôpital 71 for Beaune 21)",
			x: home("71343", "reg:27"), r: at("21054"), want: 0.75},
		{name: "same département, another EPCI (Villefranche-sur-Saône)", x: home("69264"), want: 0.5},
		{name: "same département, both outside any EPCI (Ouessant for Île-de-Sein)",
			x: home("29155", "dep:29"), r: at("29083"), want: 0.5}, // no EPCI is not the same EPCI
		{name: "same region, another département (Bourg-en-Bresse)", x: home("01053"), want: 0.25},
		{name: "same region, another département and EPCI (Mâcon for Beaune)",
			x: home("71270", "reg:27"), r: at("21054"), want: 0.25},
		{name: "another region (Paris)", x: home("75056"), want: 0},
		{name: "home unknown", x: home(""), want: 0},
		{name: "a remote need still scores the home", x: home("69264", "national"),
			r: func(r *match.Request) { r.Format = match.FormatRemote }, want: 0.5},
	})
}

func TestExperienceFormula(t *testing.T) {
	// Lyon has 519 127 inhabitants: class 50 000 and more, index 4 of
	// PastMissionsBySizeClass. The denominator is 31·4 + 30 = 154.
	past := func(years int, byClass ...int) func(*match.Expert) {
		return func(x *match.Expert) {
			x.ExperienceYears = years
			copy(x.History.PastMissionsBySizeClass[:], byClass)
		}
	}
	checkComponent(t, match.CompExperience, []componentCase{
		{name: "newcomer", want: 0},
		{name: "ten years", x: past(10),
			want: 0.064935}, // 10/154 = 0.0649350… → 0.064935
		{name: "thirty years", x: past(30),
			want: 0.194805}, // 30/154 = 0.1948051… → 0.194805
		{name: "years capped at thirty", x: past(45),
			want: 0.194805}, // min(45, 30)/154
		{name: "one mission of the need's size class outweighs thirty years", x: past(0, 0, 0, 0, 0, 1),
			want: 0.201299}, // 31/154 = 0.2012987… → 0.201299 > 0.194805
		{name: "missions in other size classes do not count", x: past(0, 3, 3, 3, 3, 0),
			want: 0},
		{name: "two missions and five years", x: past(5, 0, 0, 0, 0, 2),
			want: 0.435065}, // (31·2 + 5)/154 = 67/154 = 0.4350649… → 0.435065
		{name: "four missions and thirty years", x: past(30, 0, 0, 0, 0, 4),
			want: 1}, // (31·4 + 30)/154
		{name: "missions capped at four", x: past(0, 0, 0, 0, 0, 9),
			want: 0.805195}, // 31·4/154 = 124/154 = 0.8051948… → 0.805195
		{name: "need in a commune of under 500 inhabitants", x: past(0, 1, 0, 0, 0, 3),
			r:    func(r *match.Request) { r.Commune, r.Format = "01002", match.FormatRemote }, // L'Abergement-de-Varey, 270 inhabitants
			want: 0.201299},                                                                    // 31·1/154
		{name: "need in an arrondissement counts its commune's class", x: past(0, 0, 0, 0, 1, 0),
			r:    func(r *match.Request) { r.Commune = "69381" }, // Lyon 1er: 28 717 inhabitants, Lyon 519 127
			want: 0},                                             // a mission of the 10 000–49 999 class is not of Lyon's class
		{name: "need in an arrondissement, a mission of its commune's class", x: past(0, 0, 0, 0, 0, 1),
			r:    func(r *match.Request) { r.Commune = "69381" },
			want: 0.201299}, // 31/154
	})
}

func TestReviewsFormula(t *testing.T) {
	// ((3·3 + Σ)/(3 + n) − 1)/4: three imaginary reviews of 3.
	marks := func(n, sum int) func(*match.Expert) {
		return func(x *match.Expert) { x.History.ReviewCount, x.History.ReviewSum = n, sum }
	}
	checkComponent(t, match.CompReviews, []componentCase{
		{name: "no review", want: 0.5},                             // (9/3 − 1)/4
		{name: "one review of 5", x: marks(1, 5), want: 0.625},     // (14/4 − 1)/4
		{name: "one review of 1", x: marks(1, 1), want: 0.375},     // (10/4 − 1)/4
		{name: "one review of 3", x: marks(1, 3), want: 0.5},       // (12/4 − 1)/4
		{name: "three reviews of 5", x: marks(3, 15), want: 0.75},  // (24/6 − 1)/4
		{name: "two reviews, 1 and 2", x: marks(2, 3), want: 0.35}, // (12/5 − 1)/4 = 1.4/4
		{name: "four reviews of 4", x: marks(4, 16),
			want: 0.642857}, // (25/7 − 1)/4 = 18/28 = 0.6428571… → 0.642857
		{name: "ten reviews of 5", x: marks(10, 50),
			want: 0.884615}, // (59/13 − 1)/4 = 46/52 = 0.8846153… → 0.884615
		{name: "a hundred reviews of 5", x: marks(100, 500),
			want: 0.985437}, // (509/103 − 1)/4 = 406/412 = 0.9854368… → 0.985437
	})
}

func TestRateFormula(t *testing.T) {
	rate := func(r int) func(*match.Expert) { return func(x *match.Expert) { x.DailyRate = r } }
	maxRate := func(m int) func(*match.Request) { return func(r *match.Request) { r.MaxDailyRate = m } }
	checkComponent(t, match.CompRate, []componentCase{
		{name: "600 € under a maximum of 650 €", want: 0.6}, // 1 − 600/1500
		{name: "exactly at the maximum", x: rate(650),
			want: 0.566667}, // 1 − 650/1500 = 0.56666… → 0.566667
		{name: "300 €", x: rate(300), want: 0.8}, // 1 − 300/1500
		{name: "the need's maximum does not change the fit", r: maxRate(10000),
			want: 0.6}, // 1 − 600/1500, as under 650 €
		{name: "no maximum, 1 200 €", x: rate(1200), r: maxRate(0), want: 0.2},             // 1 − 1200/1500
		{name: "no maximum, at the reference rate", x: rate(1500), r: maxRate(0), want: 0}, // 1 − 1500/1500
		{name: "no maximum, above the reference rate", x: rate(2000), r: maxRate(0), want: 0},
		{name: "unknown rate", x: rate(0), want: 0.5},
		{name: "1 €", x: rate(1), want: 0.999333},                       // 1 − 1/1500 = 0.999333…
		{name: "1 499 €", x: rate(1499), r: maxRate(0), want: 0.000667}, // 1/1500 = 0.000666… → 0.000667
	})
}

func TestLoadFormula(t *testing.T) {
	// 2 / (2 + 2·active + proposals of the last 90 days)
	busy := func(active, proposals int) func(*match.Expert) {
		return func(x *match.Expert) { x.History.ActiveMissions, x.History.ProposalsLast90Days = active, proposals }
	}
	checkComponent(t, match.CompLoad, []componentCase{
		{name: "no mission, no proposal", want: 1},                                 // 2/2
		{name: "one active mission", x: busy(1, 0), want: 0.5},                     // 2/4
		{name: "one proposal", x: busy(0, 1), want: 0.666667},                      // 2/3 = 0.66666… → 0.666667
		{name: "two proposals weigh one active mission", x: busy(0, 2), want: 0.5}, // 2/4
		{name: "four proposals", x: busy(0, 4), want: 0.333333},                    // 2/6
		{name: "two active missions and three proposals", x: busy(2, 3),
			want: 0.222222}, // 2/(2 + 4 + 3) = 2/9 = 0.22222… → 0.222222
	})
}

func TestFreshnessFormula(t *testing.T) {
	// 180 / (180 + days), days counted between calendar days in Paris: the
	// query runs on 25 November 2026 (13:00 in Paris, UTC+1).
	updated := func(at time.Time) func(*match.Expert) { return func(x *match.Expert) { x.UpdatedAt = at } }
	checkComponent(t, match.CompFreshness, []componentCase{
		{name: "updated at the query's instant", want: 1},
		{name: "updated earlier the same day", x: updated(matchtest.Now.Add(-11 * time.Hour)), want: 1},
		{name: "just after midnight in Paris, the day before in UTC",
			x: updated(time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)), want: 1}, // 25 November 00:30 in Paris: 0 days
		{name: "the evening before in Paris",
			x:    updated(time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC)), // 24 November 23:30 in Paris: 1 day
			want: 0.994475},                                                // 180/181 = 0.9944751… → 0.994475
		{name: "seven days", x: updated(daysAgo(7)), want: 0.962567}, // 180/187 = 0.9625668… → 0.962567
		{name: "twenty days", x: updated(daysAgo(20)), want: 0.9},    // 180/200
		{name: "a half-life", x: updated(daysAgo(180)), want: 0.5},   // 180/360
		{name: "a year", x: updated(daysAgo(360)), want: 0.333333},   // 180/540
		{name: "summer time: just after midnight in Paris",
			x:    updated(time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC)), // 1 July 00:30 in Paris (UTC+2): 147 days
			want: 0.550459},                                               // 180/327 = 0.5504587… → 0.550459
		{name: "updated after the query", x: updated(matchtest.Now.Add(72 * time.Hour)), want: 1},
	})
}

// seasoned is an expert with every component away from its default: home
// in Lyon, skills above the minimum, three days a week, two missions in
// large communes, good reviews, a modest rate, some load and a profile
// three weeks old.
func seasoned() match.Expert {
	x := baseExpert(1, "S")
	x.Commune = "69123"
	x.Skills[0].Level, x.Skills[1].Level = 4, 3
	x.Availability[0].DaysPerWeek = 3
	x.ExperienceYears = 12
	x.History = match.History{PastMissionsBySizeClass: [5]int{0, 1, 0, 0, 2}, ReviewCount: 5, ReviewSum: 22,
		ActiveMissions: 1, ProposalsLast90Days: 1}
	x.DailyRate = 450
	x.UpdatedAt = daysAgo(20)
	return x
}

// seasonedComponents are seasoned's components for baseRequest.
var seasonedComponents = match.Components{
	Skills:       0.875,    // (4/4 + 3/4) / 2
	Availability: 0.6,      // 3/5
	Proximity:    1,        // home in the need's commune
	Experience:   0.480519, // (31·2 + 12)/154 = 74/154 = 0.4805194… → 0.480519
	Reviews:      0.71875,  // ((9 + 22)/(3 + 5) − 1)/4 = (31/8 − 1)/4 = 23/32
	Rate:         0.7,      // 1 − 450/1500
	Load:         0.4,      // 2/(2 + 2·1 + 1)
	Freshness:    0.9,      // 180/(180 + 20)
}

func TestWeightedTotal(t *testing.T) {
	base := match.Components{Skills: 0.625, Availability: 0.4, Proximity: 0.75, Experience: 0, Reviews: 0.5, Rate: 0.6, Load: 1, Freshness: 1}
	rounded := baseExpert(1, "R")
	rounded.DailyRate, rounded.ExperienceYears, rounded.History.ProposalsLast90Days, rounded.UpdatedAt = 1000, 1, 1, daysAgo(7)
	noMax := baseRequest()
	noMax.MaxDailyRate = 0
	equal := match.Weights{Skills: 1, Availability: 1, Proximity: 1, Experience: 1, Reviews: 1, Rate: 1, Load: 1, Freshness: 1}
	heaviest := match.Weights{Skills: 1000, Availability: 1000, Proximity: 1000, Experience: 1000, Reviews: 1000, Rate: 1000, Load: 1000, Freshness: 1000}
	skillsFirst := equal
	skillsFirst.Skills = 1000
	cases := []struct {
		name      string
		x         match.Expert
		r         match.Request
		w         *match.Weights // nil: DefaultWeights, 30 10 15 15 10 10 5 5
		wantComps match.Components
		want      float64
	}{
		{name: "base expert, default weights", x: baseExpert(1, "A"), r: baseRequest(), wantComps: base,
			// (30·0.625 + 10·0.4 + 15·0.75 + 15·0 + 10·0.5 + 10·0.6 + 5·1 + 5·1)/100
			// = (18.75 + 4 + 11.25 + 0 + 5 + 6 + 5 + 5)/100
			want: 0.55},
		{name: "seasoned expert, default weights", x: seasoned(), r: baseRequest(), wantComps: seasonedComponents,
			// (30·0.875 + 10·0.6 + 15·1 + 15·0.480519 + 10·0.71875 + 10·0.7 + 5·0.4 + 5·0.9)/100
			// = (26.25 + 6 + 15 + 7.207785 + 7.1875 + 7 + 2 + 4.5)/100 = 75.145285/100
			want: 0.75145285},
		{name: "seasoned expert, equal weights", x: seasoned(), r: baseRequest(), w: &equal, wantComps: seasonedComponents,
			// (0.875 + 0.6 + 1 + 0.480519 + 0.71875 + 0.7 + 0.4 + 0.9)/8 = 5.674269/8
			want: 0.709283625},
		{name: "base expert, every weight 1000", x: baseExpert(1, "A"), r: baseRequest(), w: &heaviest, wantComps: base,
			// only the ratios of the weights matter: (0.625 + 0.4 + 0.75 + 0 + 0.5 + 0.6 + 1 + 1)/8 = 4.875/8
			want: 0.609375},
		{name: "base expert, skills 1000 and the rest 1", x: baseExpert(1, "A"), r: baseRequest(), w: &skillsFirst, wantComps: base,
			// (1000·0.625 + 0.4 + 0.75 + 0 + 0.5 + 0.6 + 1 + 1)/1007 = 629.25/1007 = 0.62487586891…
			want: 0.6248758689},
		{name: "components rounded to a millionth before weighting", x: rounded, r: noMax,
			wantComps: match.Components{Skills: 0.625, Availability: 0.4, Proximity: 0.75,
				Experience: 0.006494, // 1/154 = 0.0064935… → 0.006494
				Reviews:    0.5,
				Rate:       0.333333, // 1 − 1000/1500 = 0.33333… → 0.333333
				Load:       0.666667, // 2/3 → 0.666667
				Freshness:  0.962567, // 180/187 = 0.9625668… → 0.962567
			},
			// (18.75 + 4 + 11.25 + 15·0.006494 + 5 + 10·0.333333 + 5·0.666667 + 5·0.962567)/100
			// = (39 + 0.09741 + 3.33333 + 3.333335 + 4.812835)/100 = 50.57691/100;
			// weighting the unrounded components would give 0.50576903…
			want: 0.5057691},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := scoredAlone(t, c.w, c.x, c.r)
			for _, k := range match.ComponentList() {
				if got, want := m.Components.Get(k), c.wantComps.Get(k); math.Abs(got-want) > tolerance {
					t.Errorf("%s = %.9f, want %.9f", k, got, want)
				}
			}
			if math.Abs(m.Score-c.want) > tolerance {
				t.Errorf("score = %.10f, want %.10f", m.Score, c.want)
			}
		})
	}
}

// TestTieBreakOnReference: equal totals reached through different
// components order by the bytes of the reference, whatever the IDs; a
// total lower by a few millionths ranks below even with the smallest
// reference.
func TestTieBreakOnReference(t *testing.T) {
	req := baseRequest()
	req.MaxDailyRate = 0
	a := baseExpert(3, "A")
	a.DailyRate = 750 // rate 1 − 750/1500 = 0.5, freshness 1
	b := baseExpert(1, "B")
	b.UpdatedAt = daysAgo(45) // rate 0.6, freshness 180/225 = 0.8
	lower := baseExpert(2, "a")
	lower.DailyRate = 750 // the same as A; "a" sorts after "B" byte-wise
	first := baseExpert(4, "0-first")
	first.DailyRate = 751 // rate 1 − 751/1500 = 0.499333…
	e, err := match.New(geo.Default(), slices.Values([]match.Expert{a, b, lower, first}), opts())
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Rank(ctx, req, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		ref   string
		score float64
	}{
		// 18.75 + 4 + 11.25 + 0 + 5 are shared; then rate·10 + load·5 + freshness·5:
		{"A", 0.54},            // (39 + 5 + 5 + 5)/100
		{"B", 0.54},            // (39 + 6 + 5 + 4)/100
		{"a", 0.54},            // as A
		{"0-first", 0.5399333}, // (39 + 4.99333 + 5 + 5)/100
	}
	if len(res.Matches) != len(want) {
		t.Fatalf("%d matches, want %d", len(res.Matches), len(want))
	}
	for i, w := range want {
		m := res.Matches[i]
		if m.Reference != w.ref || math.Abs(m.Score-w.score) > tolerance || m.Rank != i+1 {
			t.Errorf("place %d: %s (%.9f), want %s (%.9f)", i+1, m.Reference, m.Score, w.ref, w.score)
		}
	}
	// The tie is exact, not merely within the tolerance.
	if res.Matches[0].Score != res.Matches[1].Score || res.Matches[1].Score != res.Matches[2].Score {
		t.Errorf("tied scores differ: %v", res.Matches)
	}
}
