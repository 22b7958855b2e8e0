package match_test

import (
	"slices"
	"testing"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
)

// SIRENs of the places the conflict cases use, from the embedded
// geography; TestExclusionCounts checks them first, so that a new edition
// of the geography fails with a clear message rather than a wrong count.
const (
	lyonSIREN        = "216901231" // commune of Lyon
	metropoleSIREN   = "200046977" // Métropole de Lyon, Lyon's EPCI
	venissieuxSIREN  = "216902593" // Vénissieux, another commune of the Métropole
	villefrancheEPCI = "200040590" // Villefranche-sur-Saône's EPCI, in the Rhône too
	otherSIREN       = "130025265" // an organisation outside the geography
)

// pooled is an expert of an exclusion case: what changes from baseExpert
// and the first constraint they fail, worked out by hand.
type pooled struct {
	ref  string
	x    func(*match.Expert) // nil keeps baseExpert
	want match.Reason
	// For conflict_of_interest: whose SIREN it is on the need's side, and
	// whether the expert declared it rather than being employed there.
	with     string
	declared bool
}

// TestExclusionCounts: for small pools built by hand, Rank counts every
// excluded expert once, under the first constraint of the doc's order they
// fail, and Explain names the same constraint. The counts are written out
// by hand too, not derived from the per-expert reasons.
func TestExclusionCounts(t *testing.T) {
	g := geo.Default()
	for code, want := range map[string][2]string{"69123": {lyonSIREN, metropoleSIREN}, "69259": {venissieuxSIREN, metropoleSIREN}} {
		if c, _ := g.Commune(code); c.SIREN != want[0] || c.EPCISIREN != want[1] {
			t.Fatalf("geography changed: %s has SIREN %s and EPCI %s, want %s and %s", code, c.SIREN, c.EPCISIREN, want[0], want[1])
		}
	}
	if c, _ := g.Commune("69264"); c.EPCISIREN != villefrancheEPCI {
		t.Fatalf("geography changed: 69264 has EPCI %s", c.EPCISIREN)
	}
	days := func(d int) func(*match.Expert) { return func(x *match.Expert) { x.Availability[0].DaysPerWeek = d } }
	zones := func(z ...string) func(*match.Expert) { return func(x *match.Expert) { x.Zones = z } }
	employer := func(s string) func(*match.Expert) { return func(x *match.Expert) { x.EmployerSIREN = s } }
	declares := func(s ...string) func(*match.Expert) { return func(x *match.Expert) { x.Conflicts = s } }
	cases := []struct {
		name  string
		r     func(*match.Request) // changes baseRequest; nil keeps it
		pool  []pooled
		want  map[match.Reason]int // reasons not named count 0
		ranks []string             // the eligible, best first
	}{
		{
			name: "each excluded expert counted once, under its first reason",
			pool: []pooled{
				{ref: "ok", want: match.Pass},
				{ref: "candidate", x: func(x *match.Expert) { x.Status = "candidate" }, want: match.NotQualified},
				{ref: "suspended, no skill, no zone, 900 €", x: func(x *match.Expert) {
					x.Status, x.Skills, x.Zones, x.DailyRate = "suspended", nil, nil, 900
				}, want: match.NotQualified},
				{ref: "strategy at level 2", x: func(x *match.Expert) { x.Skills[0].Level = 2 }, want: match.MissingSkill},
				{ref: "industry only, zone Ain", x: func(x *match.Expert) {
					x.Skills, x.Zones = x.Skills[1:], []string{"dep:01"}
				}, want: match.MissingSkill},
				{ref: "ends on 30 December", x: func(x *match.Expert) { x.Availability[0].End = date.MustParse("2026-12-30") }, want: match.Unavailable},
				{ref: "ends on 30 December, zone Ain, 900 €", x: func(x *match.Expert) {
					x.Availability[0].End, x.Zones, x.DailyRate = date.MustParse("2026-12-30"), []string{"dep:01"}, 900
				}, want: match.Unavailable},
				{ref: "zone Ain", x: zones("dep:01"), want: match.OutOfZone},
				{ref: "no zone, employed by the Métropole", x: func(x *match.Expert) {
					x.Zones, x.EmployerSIREN = nil, metropoleSIREN
				}, want: match.OutOfZone},
				{ref: "employed by the Métropole", x: employer(metropoleSIREN), want: match.ConflictOfInterest, with: "epci"},
				{ref: "employed by Lyon, 700 €", x: func(x *match.Expert) {
					x.EmployerSIREN, x.DailyRate = lyonSIREN, 700
				}, want: match.ConflictOfInterest, with: "commune"},
				{ref: "651 €", x: func(x *match.Expert) { x.DailyRate = 651 }, want: match.RateTooHigh},
				{ref: "700 €, English only", x: func(x *match.Expert) {
					x.DailyRate, x.Languages = 700, []string{"en"}
				}, want: match.RateTooHigh},
				{ref: "English only", x: func(x *match.Expert) { x.Languages = []string{"en"} }, want: match.Language},
			},
			// 14 experts: 13 excluded, each once, and 1 eligible.
			want: map[match.Reason]int{match.NotQualified: 2, match.MissingSkill: 2, match.Unavailable: 2,
				match.OutOfZone: 2, match.ConflictOfInterest: 2, match.RateTooHigh: 2, match.Language: 1},
			ranks: []string{"ok"},
		},
		{
			name: "an interim of 2 days a week is asked as 4",
			r:    func(r *match.Request) { r.Kind = match.KindInterim },
			pool: []pooled{
				{ref: "2 days", want: match.Unavailable},
				{ref: "3 days", x: days(3), want: match.Unavailable},
				{ref: "4 days", x: days(4), want: match.Pass},
				{ref: "5 days", x: days(5), want: match.Pass},
			},
			want:  map[match.Reason]int{match.Unavailable: 2},
			ranks: []string{"5 days", "4 days"}, // availability 5/5 above 4/5
		},
		{
			name: "an interim of 5 days a week stays 5",
			r:    func(r *match.Request) { r.Kind, r.DaysPerWeek = match.KindInterim, 5 },
			pool: []pooled{
				{ref: "4 days", x: days(4), want: match.Unavailable},
				{ref: "5 days", x: days(5), want: match.Pass},
			},
			want:  map[match.Reason]int{match.Unavailable: 1},
			ranks: []string{"5 days"},
		},
		{
			name: "a mission of 2 days a week is not raised to 4",
			pool: []pooled{
				{ref: "2 days", want: match.Pass},
				{ref: "1 day", x: days(1), want: match.Unavailable},
			},
			want:  map[match.Reason]int{match.Unavailable: 1},
			ranks: []string{"2 days"},
		},
		{
			name: "a remote need ignores zones",
			r:    func(r *match.Request) { r.Format = match.FormatRemote },
			pool: []pooled{
				{ref: "no zone", x: zones(), want: match.Pass},
				{ref: "zone Ain", x: zones("dep:01"), want: match.Pass},
				{ref: "zone Île-de-France", x: zones("reg:11"), want: match.Pass},
				{ref: "zone Rhône", want: match.Pass},
			},
			want:  map[match.Reason]int{},
			ranks: []string{"no zone", "zone Ain", "zone Rhône", "zone Île-de-France"}, // equal scores: byte order
		},
		{
			name: "a hybrid need keeps zones",
			r:    func(r *match.Request) { r.Format = match.FormatHybrid },
			pool: []pooled{
				{ref: "no zone", x: zones(), want: match.OutOfZone},
				{ref: "zone Ain", x: zones("dep:01"), want: match.OutOfZone},
				{ref: "zone Île-de-France", x: zones("reg:11"), want: match.OutOfZone},
				{ref: "zone Auvergne-Rhône-Alpes", x: zones("reg:84"), want: match.Pass},
				{ref: "national", x: zones("national"), want: match.Pass},
			},
			want:  map[match.Reason]int{match.OutOfZone: 3},
			ranks: []string{"national", "zone Auvergne-Rhône-Alpes"},
		},
		{
			name: "conflicts of interest with the requester, the EPCI and the commune",
			r:    func(r *match.Request) { r.RequesterSIREN = otherSIREN },
			pool: []pooled{
				{ref: "employed by the requester", x: employer(otherSIREN), want: match.ConflictOfInterest, with: "requester"},
				{ref: "employed by the Métropole", x: employer(metropoleSIREN), want: match.ConflictOfInterest, with: "epci"},
				{ref: "employed by Lyon", x: employer(lyonSIREN), want: match.ConflictOfInterest, with: "commune"},
				{ref: "declared the requester", x: declares(otherSIREN), want: match.ConflictOfInterest, with: "requester", declared: true},
				{ref: "declared the Métropole", x: declares(villefrancheEPCI, metropoleSIREN), want: match.ConflictOfInterest, with: "epci", declared: true},
				{ref: "employed by another EPCI", x: employer(villefrancheEPCI), want: match.Pass},
				{ref: "employed by another commune of the Métropole", x: employer(venissieuxSIREN), want: match.Pass},
				{ref: "declared another EPCI", x: declares(villefrancheEPCI), want: match.Pass},
			},
			want: map[match.Reason]int{match.ConflictOfInterest: 5},
			ranks: []string{"declared another EPCI", "employed by another EPCI",
				"employed by another commune of the Métropole"},
		},
		{
			name: "the requester is the EPCI of the need's commune",
			r:    func(r *match.Request) { r.RequesterSIREN = metropoleSIREN },
			pool: []pooled{
				{ref: "employed by the Métropole", x: employer(metropoleSIREN), want: match.ConflictOfInterest, with: "requester"},
				{ref: "employed by Lyon", x: employer(lyonSIREN), want: match.ConflictOfInterest, with: "commune"},
				{ref: "employed by Vénissieux", x: employer(venissieuxSIREN), want: match.Pass},
			},
			want:  map[match.Reason]int{match.ConflictOfInterest: 2},
			ranks: []string{"employed by Vénissieux"},
		},
		{
			name: "a need in an arrondissement conflicts with its commune and EPCI",
			r:    func(r *match.Request) { r.Commune = "69381" },
			pool: []pooled{
				{ref: "employed by the Métropole", x: employer(metropoleSIREN), want: match.ConflictOfInterest, with: "epci"},
				{ref: "declared Lyon", x: declares(lyonSIREN), want: match.ConflictOfInterest, with: "commune", declared: true},
				{ref: "employed by Vénissieux", x: employer(venissieuxSIREN), want: match.Pass},
			},
			want:  map[match.Reason]int{match.ConflictOfInterest: 2},
			ranks: []string{"employed by Vénissieux"},
		},
		{
			name: "a pooled need's EPCI conflicts too",
			r: func(r *match.Request) {
				r.Pooled = []match.Place{{Commune: "69264"}} // Villefranche-sur-Saône
			},
			pool: []pooled{
				{ref: "employed by Villefranche's EPCI", x: employer(villefrancheEPCI), want: match.ConflictOfInterest, with: "epci"},
				{ref: "declared Villefranche's EPCI", x: declares(villefrancheEPCI), want: match.ConflictOfInterest, with: "epci", declared: true},
				{ref: "employed by Vénissieux", x: employer(venissieuxSIREN), want: match.Pass},
			},
			want:  map[match.Reason]int{match.ConflictOfInterest: 2},
			ranks: []string{"employed by Vénissieux"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := baseRequest()
			if c.r != nil {
				c.r(&req)
			}
			var experts []match.Expert
			for i, p := range c.pool {
				x := baseExpert(int64(i+1), p.ref)
				if p.x != nil {
					p.x(&x)
				}
				experts = append(experts, x)
			}
			e, err := match.New(geo.Default(), slices.Values(experts), opts())
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Rank(ctx, req, 0)
			if err != nil {
				t.Fatal(err)
			}
			var want match.Excluded
			for r, n := range c.want {
				want[r] = n
			}
			if res.Excluded != want {
				t.Errorf("excluded %v, want %v", res.Excluded, want)
			}
			if res.Considered != len(c.pool) || res.Eligible != len(c.ranks) || res.Excluded.Total()+res.Eligible != res.Considered {
				t.Errorf("considered %d, eligible %d, excluded %d; want %d = %d eligible + excluded",
					res.Considered, res.Eligible, res.Excluded.Total(), len(c.pool), len(c.ranks))
			}
			if got := refs(res); !slices.Equal(got, c.ranks) {
				t.Errorf("ranked %q, want %q", got, c.ranks)
			}
			for _, p := range c.pool {
				ex, err := e.Explain(ctx, req, p.ref)
				if err != nil {
					t.Fatal(err)
				}
				got := match.Pass
				if ex.Failure != nil {
					got = ex.Failure.Reason
				}
				if got != p.want {
					t.Errorf("%s: excluded for %q, want %q", p.ref, got, p.want)
					continue
				}
				if p.want == match.ConflictOfInterest && (ex.Failure.ConflictWith != p.with || ex.Failure.Declared != p.declared) {
					t.Errorf("%s: conflict with %s (declared %v), want %s (declared %v)",
						p.ref, ex.Failure.ConflictWith, ex.Failure.Declared, p.with, p.declared)
				}
			}
		})
	}
}
