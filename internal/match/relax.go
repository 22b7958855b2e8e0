package match

import (
	"context"
	"fmt"
	"slices"

	"vivier/internal/access"
	"vivier/internal/need"
)

// Relaxation is one hard constraint of a need loosened, and how many experts
// would then pass every constraint: « 14 experts si le niveau 2 suffit ».
type Relaxation struct {
	Reason   Reason // the constraint loosened
	Change   string // what is loosened, in French: « si le niveau 2 suffit »
	Eligible int    // experts eligible once it is
}

// Relaxations tells, for the stored need n, what loosening each of its
// hard constraints in turn would give: the lower skill level, fewer days a
// week, remote work, no rate ceiling, no language asked. Only the changes
// that make someone eligible are returned, most experts first. The
// coordinator reads them when nobody passes, to go back to the requester
// with a choice.
//
// These hypothetical rankings show counts, never people, so they are not
// written to the ranking log; the ranking shown on the page is.
func (s *Service) Relaxations(ctx context.Context, n need.Need, actor access.Actor) ([]Relaxation, error) {
	if err := s.staffOnNeed(ctx, n.ID, actor); err != nil {
		return nil, err
	}
	req, err := s.requestFor(ctx, n, actor)
	if err != nil {
		return nil, err
	}
	var out []Relaxation
	for _, c := range relaxed(req) {
		res, err := s.engine.Rank(ctx, c.req, 1)
		if err != nil {
			return nil, err
		}
		if res.Eligible > 0 {
			out = append(out, Relaxation{Reason: c.reason, Change: c.change, Eligible: res.Eligible})
		}
	}
	slices.SortStableFunc(out, func(a, b Relaxation) int { return b.Eligible - a.Eligible })
	return out, nil
}

type relaxedRequest struct {
	reason Reason
	change string
	req    Request
}

// relaxed returns req with each of its hard constraints loosened, one at a
// time.
func relaxed(req Request) []relaxedRequest {
	var out []relaxedRequest
	clone := func() Request {
		c := req
		c.Skills = slices.Clone(req.Skills)
		c.Languages = slices.Clone(req.Languages)
		return c
	}
	// One level less on every required skill asked above « notions ».
	top := 0
	for _, s := range req.Skills {
		if s.Required && s.MinLevel > 1 {
			top = max(top, s.MinLevel)
		}
	}
	if top > 1 {
		c := clone()
		for i, s := range c.Skills {
			if s.Required && s.MinLevel > 1 {
				c.Skills[i].MinLevel = s.MinLevel - 1
			}
		}
		out = append(out, relaxedRequest{MissingSkill, fmt.Sprintf("si le niveau %d suffit", top-1), c})
	}
	if req.DaysPerWeek > 1 && req.Kind != KindInterim {
		c := clone()
		c.DaysPerWeek = req.DaysPerWeek - 1
		out = append(out, relaxedRequest{Unavailable, fmt.Sprintf("à %d jour%s par semaine", c.DaysPerWeek, plural(c.DaysPerWeek)), c})
	}
	if req.Format != FormatRemote {
		c := clone()
		c.Format = FormatRemote
		out = append(out, relaxedRequest{OutOfZone, "si la mission se fait à distance", c})
	}
	if req.MaxDailyRate > 0 {
		c := clone()
		c.MaxDailyRate = 0
		out = append(out, relaxedRequest{RateTooHigh, "sans plafond de TJM", c})
	}
	if slices.ContainsFunc(req.Languages, func(l string) bool { return l != "fr" }) {
		c := clone()
		c.Languages = nil
		out = append(out, relaxedRequest{Language, "en français seulement", c})
	}
	return out
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
