package representation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// The delegation helper, after the matching engine's ideas: every candidate
// agency gets a score in [0, 1], the weighted sum of named components, each
// shown; then the delegation is picked one agency at a time, the best score
// plus a bonus for each region and commune size the delegation does not
// cover yet, so that it speaks for the whole territory; ties break on the
// agency's id. The « rotation » component, like matching's load and
// exposure, lets the agencies sent least recently rank higher among
// near-equals, so the same few are not always sent.

// Weights of the components and bonuses of the spread.
const (
	WeightMissions     = 0.35 // missions in the themes: saturates at 5
	WeightExperts      = 0.25 // qualified experts of the agency, confirmed (3+) in a theme: saturates at 3
	WeightPublications = 0.15 // publications co-authored on the themes: saturates at 2
	WeightHearings     = 0.15 // past hearings on the themes: saturates at 2
	WeightRotation     = 0.10 // 1 − delegations of the last 365 days / 3
	BonusRegion        = 0.15 // the pick brings a region not covered yet
	BonusSize          = 0.10 // the pick brings a commune size not covered yet
)

// Request is what the helper is asked: themes and size of a delegation for
// a hearing on a day.
type Request struct {
	Domains []string  // the hearing's themes; none means every theme
	Size    int       // agencies wanted, 1 to MaxDelegation
	On      date.Date // the hearing's day: experience before it, rotation over the year before
	// Exclude are agencies already in the delegation; Hearing is the
	// hearing itself, left out of the past hearings.
	Exclude []int64
	Hearing int64
}

// Component is one named part of a candidate's score.
type Component struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"`
	Value  float64 `json:"value"` // in [0, 1]
	Weight float64 `json:"weight"`
	Detail string  `json:"detail"` // what was counted, in French
}

// Candidate is an agency and its experience of the themes.
type Candidate struct {
	ID           int64       `json:"id"`
	Name         string      `json:"name"`
	Score        float64     `json:"score"`
	Components   []Component `json:"components"`
	Missions     int         `json:"missions"`
	Experts      int         `json:"experts"`
	Publications int         `json:"publications"`
	Hearings     int         `json:"hearings"`
	Recent       int         `json:"recent_delegations"`
	Regions      []string    `json:"regions"`      // where its missions and experts are
	SizeClasses  []string    `json:"size_classes"` // the sizes of the communes of its missions
}

// Pick is a candidate chosen for the delegation, and why.
type Pick struct {
	Candidate
	Rank   int      `json:"rank"`
	Brings []string `json:"brings"` // the regions and commune sizes it adds to the delegation
	Reason string   `json:"reason"` // the explanation, in French, kept with the delegation
}

// Proposal is the helper's answer.
type Proposal struct {
	Domains     []string    `json:"domains"`
	Size        int         `json:"size"`
	Picks       []Pick      `json:"picks"`
	Others      []Candidate `json:"others"` // the next candidates, best first (ten at most)
	Regions     []string    `json:"regions"`
	SizeClasses []string    `json:"size_classes"`
	Candidates  int         `json:"candidates"` // agencies considered
}

// ProposeFor proposes the delegation of hearing id, of size agencies, not
// counting those already in it; staff only.
func (s *Service) ProposeFor(ctx context.Context, id int64, size int, actor access.Actor) (Proposal, error) {
	a, err := s.Get(ctx, id, actor)
	if err != nil {
		return Proposal{}, err
	}
	if a.Kind != Hearing {
		return Proposal{}, access.Errorf(access.Conflict, "seule une audition a une délégation d’agences")
	}
	req := Request{Domains: a.Domains, Size: size, On: a.HeldOn, Hearing: a.ID}
	for _, d := range a.Agencies {
		req.Exclude = append(req.Exclude, d.ID)
	}
	return s.Propose(ctx, req, actor)
}

// Propose ranks the agencies for req and picks the delegation; staff only.
func (s *Service) Propose(ctx context.Context, req Request, actor access.Actor) (Proposal, error) {
	if err := staffOnly(actor); err != nil {
		return Proposal{}, err
	}
	var errs valid.Errors
	req.Domains = domains(&errs, req.Domains)
	if req.Size < 1 || req.Size > MaxDelegation {
		errs.Add("size", "une délégation compte de 1 à %d agences", MaxDelegation)
	}
	if err := errs.Err(); err != nil {
		return Proposal{}, err
	}
	if req.On.IsZero() {
		req.On = s.today()
	}
	exp, err := s.experience(ctx, req, actor)
	if err != nil {
		return Proposal{}, err
	}
	var cands []Candidate
	for _, e := range exp {
		if !slices.Contains(req.Exclude, e.id) {
			cands = append(cands, s.candidate(e))
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Score != cands[j].Score {
			return cands[i].Score > cands[j].Score
		}
		return cands[i].ID < cands[j].ID
	})
	p := Proposal{Domains: req.Domains, Size: req.Size, Candidates: len(cands), Picks: []Pick{}, Others: []Candidate{},
		Regions: []string{}, SizeClasses: []string{}}
	for len(p.Picks) < req.Size && len(cands) > 0 {
		best, bestValue := 0, -1.0
		for i, c := range cands {
			v := c.Score + bonus(c, p)
			// Strictly greater: among equal values, the earlier (better
			// score, then smaller id) stays.
			if v > bestValue+1e-12 {
				best, bestValue = i, v
			}
		}
		c := cands[best]
		cands = slices.Delete(cands, best, best+1)
		pick := Pick{Candidate: c, Rank: len(p.Picks) + 1, Brings: []string{}}
		for _, r := range c.Regions {
			if !slices.Contains(p.Regions, r) {
				pick.Brings = append(pick.Brings, r)
				p.Regions = append(p.Regions, r)
			}
		}
		for _, sc := range c.SizeClasses {
			if !slices.Contains(p.SizeClasses, sc) {
				pick.Brings = append(pick.Brings, "communes : "+strings.ToLower(sc))
				p.SizeClasses = append(p.SizeClasses, sc)
			}
		}
		pick.Reason = reason(pick)
		p.Picks = append(p.Picks, pick)
	}
	if len(cands) > 10 {
		cands = cands[:10]
	}
	p.Others = append(p.Others, cands...)
	return p, nil
}

// bonus is what candidate c adds to the spread of the delegation so far.
func bonus(c Candidate, p Proposal) float64 {
	b := 0.0
	for _, r := range c.Regions {
		if !slices.Contains(p.Regions, r) {
			b = BonusRegion
			break
		}
	}
	for _, sc := range c.SizeClasses {
		if !slices.Contains(p.SizeClasses, sc) {
			return b + BonusSize
		}
	}
	return b
}

// candidate computes the score of an agency from its experience.
func (s *Service) candidate(e agencyExperience) Candidate {
	sat := func(n, at int) float64 { return math.Min(1, float64(n)/float64(at)) }
	c := Candidate{ID: e.id, Name: e.name, Missions: len(e.missions), Experts: len(e.experts), Publications: e.publications,
		Hearings: e.hearings, Recent: e.recent}
	c.Components = []Component{
		{"missions", "Missions dans ces domaines", sat(c.Missions, 5), WeightMissions, fr.Plural(c.Missions, "mission", "missions")},
		{"experts", "Experts confirmés de l’agence", sat(c.Experts, 3), WeightExperts, fr.Plural(c.Experts, "expert confirmé", "experts confirmés")},
		{"publications", "Publications co-signées", sat(c.Publications, 2), WeightPublications, fr.Plural(c.Publications, "publication", "publications")},
		{"hearings", "Auditions passées sur ces thèmes", sat(c.Hearings, 2), WeightHearings, fr.Plural(c.Hearings, "audition", "auditions")},
		{"rotation", "Rotation (délégations des douze derniers mois)", 1 - sat(c.Recent, 3), WeightRotation,
			fr.Plural(c.Recent, "délégation récente", "délégations récentes")},
	}
	for _, k := range c.Components {
		c.Score += k.Value * k.Weight
	}
	c.Score = math.Round(c.Score*1000) / 1000
	regions, sizes := map[string]bool{}, map[geo.SizeClass]bool{}
	for _, code := range e.communes {
		if r, ok := s.geo.RegionOfCommune(code); ok {
			regions[r.Name] = true
		}
		if sc := s.sizeClass(code); sc != 0 {
			sizes[sc] = true
		}
	}
	c.Regions = []string{}
	for r := range regions {
		c.Regions = append(c.Regions, r)
	}
	slices.Sort(c.Regions)
	c.SizeClasses = []string{}
	for _, sc := range geo.SizeClasses() {
		if sizes[sc] {
			c.SizeClasses = append(c.SizeClasses, sc.Label())
		}
	}
	return c
}

// sizeClass is the size class of a commune; an arrondissement counts as
// its city, as matching counts it.
func (s *Service) sizeClass(code string) geo.SizeClass {
	c, ok := s.geo.Commune(code)
	if !ok {
		return 0
	}
	if c.Parent != "" {
		if p, ok := s.geo.Commune(c.Parent); ok {
			c = p
		}
	}
	return geo.SizeClassOf(c.Population)
}

// reason writes why pick was chosen, in French.
func reason(p Pick) string {
	var parts []string
	for _, k := range p.Components {
		if k.Key != "rotation" && k.Value > 0 {
			parts = append(parts, k.Detail)
		}
	}
	exp := "aucune expérience relevée sur ces thèmes"
	if len(parts) > 0 {
		exp = strings.Join(parts, ", ")
	}
	text := fmt.Sprintf("Choix n° %d, score %s : %s", p.Rank, fr.Decimal(p.Score, 2), exp)
	if p.Recent == 0 {
		text += " ; pas de délégation ces douze derniers mois"
	} else {
		text += " ; " + fr.Plural(p.Recent, "délégation", "délégations") + " ces douze derniers mois"
	}
	if len(p.Brings) > 0 {
		text += " ; apporte à la délégation : " + strings.Join(p.Brings, ", ")
	}
	return text + "."
}

// DomainLabels writes themes in French: « Filières, Stratégie territoriale ».
func DomainLabels(list []string) string {
	var out []string
	for _, d := range list {
		if dom, ok := skill.DomainOf(d); ok {
			out = append(out, dom.Label)
		}
	}
	if len(out) == 0 {
		return "tous les thèmes"
	}
	return strings.Join(out, ", ")
}
