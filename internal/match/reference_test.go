package match_test

import (
	"cmp"
	"slices"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
)

// This file is the brute-force reference of the engine: every rule of
// docs/matching.md written again, plainly, over the Expert values themselves (day by
// day for availability, strings for zones and SIRENs), with no index. The
// property tests check that the engine's indexed path agrees with it.

// refReason returns the first constraint x fails for req.
func refReason(g *geo.Reference, x *match.Expert, req *match.Request) match.Reason {
	if x.Status != "qualified" {
		return match.NotQualified
	}
	for _, s := range req.Skills {
		if !s.Required {
			continue
		}
		held := 0
		for _, h := range x.Skills {
			if h.Code == s.Code {
				held = h.Level
			}
		}
		if held < s.MinLevel {
			return match.MissingSkill
		}
	}
	dpw := req.DaysPerWeek
	if req.Kind == match.KindInterim {
		dpw = max(dpw, 4)
	}
	for d := req.Start; !d.After(req.End); d = d.AddDays(1) {
		if !refCovered(x, d, dpw) {
			return match.Unavailable
		}
	}
	c, _ := g.Commune(req.Commune)
	if c.Parent != "" {
		c, _ = g.Commune(c.Parent)
	}
	if req.Format != match.FormatRemote {
		ok := false
		for _, z := range x.Zones {
			ok = ok || z == "national" || z == "dep:"+c.DepartementCode || z == "reg:"+c.RegionCode
		}
		if !ok {
			return match.OutOfZone
		}
	}
	bad := map[string]bool{}
	add := func(commune, requester string) {
		c, _ := g.Commune(commune)
		if c.Parent != "" {
			c, _ = g.Commune(c.Parent)
		}
		for _, s := range []string{requester, c.EPCISIREN, c.SIREN} {
			if s != "" {
				bad[s] = true
			}
		}
	}
	add(req.Commune, req.RequesterSIREN)
	for _, p := range req.Pooled {
		add(p.Commune, p.RequesterSIREN)
	}
	if bad[x.EmployerSIREN] || slices.ContainsFunc(x.Conflicts, func(s string) bool { return bad[s] }) {
		return match.ConflictOfInterest
	}
	if req.MaxDailyRate > 0 && x.DailyRate > req.MaxDailyRate {
		return match.RateTooHigh
	}
	langs := x.Languages
	if len(langs) == 0 {
		langs = []string{"fr"}
	}
	want := req.Languages
	if len(want) == 0 {
		want = []string{"fr"}
	}
	for _, l := range want {
		if !slices.Contains(langs, l) {
			return match.Language
		}
	}
	return match.Pass
}

// refCovered: some period covers day d with at least dpw days a week once
// the commitments overlapping d are deducted.
func refCovered(x *match.Expert, d date.Date, dpw int) bool {
	for _, p := range x.Availability {
		if d.Before(p.Start) || d.After(p.End) {
			continue
		}
		n := p.DaysPerWeek
		for _, c := range x.History.Commitments {
			if !d.Before(c.Start) && !d.After(c.End) {
				n -= c.DaysPerWeek
			}
		}
		if n >= dpw {
			return true
		}
	}
	return false
}

type refMatch struct {
	ref   string
	total uint64
}

// refRank ranks by brute force: every expert checked, every eligible one
// scored, all sorted.
func refRank(g *geo.Reference, e *match.Engine, experts []match.Expert, req match.Request) ([]refMatch, match.Excluded) {
	var x match.Excluded
	var all []refMatch
	for i := range experts {
		why := refReason(g, &experts[i], &req)
		if why != match.Pass {
			x[why]++
			continue
		}
		t, _, _ := e.TotalOf(req, experts[i].ID)
		all = append(all, refMatch{experts[i].Reference, t})
	}
	slices.SortFunc(all, func(a, b refMatch) int {
		if c := cmp.Compare(b.total, a.total); c != 0 {
			return c
		}
		return cmp.Compare(a.ref, b.ref)
	})
	return all, x
}
