package match

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"vivier/internal/geo"
)

// ErrNoCommonWindow is returned by Merge when the needs' windows do not
// share a day.
var ErrNoCommonWindow = errors.New("les besoins n’ont aucun jour en commun")

// Merge turns the needs of a mutualised group into the one request matching
// ranks experts for: the union of the skills (the highest minimum level, and
// required when any need requires it) and the intersection of the windows.
// The rest takes the strictest value: an interim if any need is one, the
// most days per week, the lowest maximum rate set, on-site before hybrid
// before remote, every language. The first need gives the commune and the
// requester; the others' go to Pooled, so conflicts of interest are checked
// against every requester, EPCI and commune of the group.
func Merge(reqs ...Request) (Request, error) {
	if len(reqs) == 0 {
		return Request{}, errors.New("match: nothing to merge")
	}
	out := reqs[0]
	out.Skills = slices.Clone(out.Skills)
	out.Languages = slices.Clone(out.languages())
	out.Pooled = slices.Clone(out.Pooled)
	titles := []string{out.Title}
	for _, r := range reqs[1:] {
		titles = append(titles, r.Title)
		if r.Description != "" {
			out.Description = strings.TrimSpace(out.Description + "\n\n" + r.Description)
		}
		out.Pooled = append(out.Pooled, Place{Commune: r.Commune, RequesterSIREN: r.RequesterSIREN})
		out.Pooled = append(out.Pooled, r.Pooled...)
		if r.Kind == KindInterim {
			out.Kind = KindInterim
		}
		out.Skills = unionSkills(out.Skills, r.Skills)
		if r.Start.After(out.Start) {
			out.Start = r.Start
		}
		if r.End.Before(out.End) {
			out.End = r.End
		}
		out.DaysPerWeek = max(out.DaysPerWeek, r.DaysPerWeek)
		if r.MaxDailyRate > 0 && (out.MaxDailyRate == 0 || r.MaxDailyRate < out.MaxDailyRate) {
			out.MaxDailyRate = r.MaxDailyRate
		}
		if formatRank(r.Format) < formatRank(out.Format) {
			out.Format = r.Format
		}
		for _, l := range r.languages() {
			if !slices.Contains(out.Languages, l) {
				out.Languages = append(out.Languages, l)
			}
		}
	}
	out.Title = strings.Join(titles, " + ")
	if out.End.Before(out.Start) {
		return Request{}, ErrNoCommonWindow
	}
	return out, nil
}

func unionSkills(a, b []SkillWant) []SkillWant {
	for _, s := range b {
		i := slices.IndexFunc(a, func(x SkillWant) bool { return x.Code == s.Code })
		if i < 0 {
			a = append(a, s)
			continue
		}
		a[i].MinLevel = max(a[i].MinLevel, s.MinLevel)
		a[i].Required = a[i].Required || s.Required
	}
	return a
}

// formatRank orders formats from the strictest.
func formatRank(f Format) int {
	switch f {
	case FormatOnsite:
		return 0
	case FormatHybrid:
		return 1
	}
	return 2
}

// OpenNeed is a need that can be pooled: its id and its request.
type OpenNeed struct {
	ID      int64
	Request Request
}

// Pool returns the needs of open that could be mutualised with need: in
// the same EPCI or the same département, sharing a required skill, with
// windows that overlap. Those of the same EPCI come first, then by start
// and id. The need package feeds it the open needs; it reads nothing.
func Pool(g *geo.Reference, need OpenNeed, open []OpenNeed) []OpenNeed {
	home, ok := placeOf(g, need.Request.Commune)
	if !ok {
		return nil
	}
	type cand struct {
		n        OpenNeed
		sameEPCI bool
	}
	var found []cand
	for _, o := range open {
		if o.ID == need.ID {
			continue
		}
		l, ok := placeOf(g, o.Request.Commune)
		if !ok {
			continue
		}
		sameEPCI := l.EPCI != 0 && l.EPCI == home.EPCI
		if !sameEPCI && l.Departement != home.Departement {
			continue
		}
		if o.Request.Start.After(need.Request.End) || need.Request.Start.After(o.Request.End) {
			continue
		}
		if !shareRequired(need.Request.Skills, o.Request.Skills) {
			continue
		}
		found = append(found, cand{o, sameEPCI})
	}
	slices.SortFunc(found, func(a, b cand) int {
		if a.sameEPCI != b.sameEPCI {
			if a.sameEPCI {
				return -1
			}
			return 1
		}
		if c := a.n.Request.Start.Compare(b.n.Request.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.n.ID, b.n.ID)
	})
	out := make([]OpenNeed, len(found))
	for i, c := range found {
		out[i] = c.n
	}
	return out
}

func placeOf(g *geo.Reference, code string) (geo.Location, bool) {
	c, ok := g.Commune(code)
	return c.Location, ok
}

func shareRequired(a, b []SkillWant) bool {
	for _, x := range a {
		if !x.Required {
			continue
		}
		for _, y := range b {
			if y.Required && y.Code == x.Code {
				return true
			}
		}
	}
	return false
}
