package representation

import (
	"context"
	"slices"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/store"
)

// agencyExperience is what the helper knows of one agency.
type agencyExperience struct {
	id           int64
	name         string
	missions     map[int64]bool // missions in the themes, begun at least
	experts      map[int64]bool // its qualified experts confirmed (level 3+) in a theme
	publications int
	hearings     int      // past hearings on the themes it joined
	recent       int      // hearings it joined in the year before the day
	communes     []string // where its missions (any theme) and experts are: its territory
}

// experience reads, for every candidate agency, its experience of
// req.Domains. An agency's missions are those it asked for (as a
// requester) and those of the experts it employs (their employer SIREN is
// its SIREN); its experts are those it employs.
func (s *Service) experience(ctx context.Context, req Request, actor access.Actor) ([]agencyExperience, error) {
	inThemes := func(domain string) bool { return len(req.Domains) == 0 || slices.Contains(req.Domains, domain) }
	var members map[int64]bool
	if s.members != nil {
		var err error
		if members, err = s.members.MemberAgencies(ctx, req.On); err != nil {
			return nil, err
		}
	}
	var list []*agencyExperience
	byID := map[int64]*agencyExperience{}
	err := store.EachRow(ctx, s.db, `SELECT id, name FROM organisations WHERE kind = 'agence' ORDER BY id`, func(scan func(...any) error) error {
		e := &agencyExperience{missions: map[int64]bool{}, experts: map[int64]bool{}}
		if err := scan(&e.id, &e.name); err != nil {
			return err
		}
		if members == nil || members[e.id] {
			list = append(list, e)
			byID[e.id] = e
		}
		return nil
	})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	seenCommune := map[int64]map[string]bool{}
	place := func(e *agencyExperience, code string) {
		if code == "" {
			return
		}
		if seenCommune[e.id] == nil {
			seenCommune[e.id] = map[string]bool{}
		}
		if !seenCommune[e.id][code] {
			seenCommune[e.id][code] = true
			e.communes = append(e.communes, code)
		}
	}
	mission := func(scan func(...any) error) error {
		var org, id int64
		var domain, commune string
		if err := scan(&org, &id, &domain, &commune); err != nil {
			return err
		}
		if e := byID[org]; e != nil {
			place(e, commune)
			if inThemes(domain) {
				e.missions[id] = true
			}
		}
		return nil
	}
	// Missions begun before the hearing's day, asked for by the agency…
	if err := store.EachRow(ctx, s.db, `SELECT mn.organisation_id, m.id, m.domain, m.commune FROM mission_needs mn JOIN missions m ON m.id = mn.mission_id
		WHERE m.status <> 'planned' AND m.start_date <= $1`, mission, req.On); err != nil {
		return nil, err
	}
	// … or done by the experts it employs.
	if err := store.EachRow(ctx, s.db, `SELECT o.id, m.id, m.domain, m.commune FROM organisations o JOIN experts e ON e.employer_siren = o.siren
		JOIN missions m ON m.expert_id = e.id WHERE o.kind = 'agence' AND m.status <> 'planned' AND m.start_date <= $1`, mission, req.On); err != nil {
		return nil, err
	}
	if err := store.EachRow(ctx, s.db, `SELECT o.id, e.id, e.commune, coalesce(k.skill_code, ''), coalesce(k.level, 0)
		FROM organisations o JOIN experts e ON e.employer_siren = o.siren LEFT JOIN expert_skills k ON k.expert_id = e.id
		WHERE o.kind = 'agence' AND e.status = 'qualified'`, func(scan func(...any) error) error {
		var org, id int64
		var commune, code string
		var level int
		if err := scan(&org, &id, &commune, &code, &level); err != nil {
			return err
		}
		if e := byID[org]; e != nil {
			place(e, commune)
			domain, _, _ := strings.Cut(code, ".")
			if code != "" && level >= 3 && inThemes(domain) {
				e.experts[id] = true
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.pastHearings(ctx, req, byID); err != nil {
		return nil, err
	}
	if s.publications != nil {
		pubs, err := s.publications.ByAuthors(ctx, req.Domains, actor)
		if err != nil {
			return nil, err
		}
		for id, list := range pubs {
			if e := byID[id]; e != nil {
				for _, p := range list {
					if !p.PublishedOn.After(req.On) {
						e.publications++
					}
				}
			}
		}
	}
	out := make([]agencyExperience, len(list))
	for i, e := range list {
		out[i] = *e
	}
	return out, nil
}

// pastHearings counts, for each agency, the hearings before req.On on the
// themes whose delegation it joined, and those of any theme in the year
// before (rotation).
func (s *Service) pastHearings(ctx context.Context, req Request, byID map[int64]*agencyExperience) error {
	themes := map[int64][]string{}
	if err := store.EachRow(ctx, s.db, `SELECT d.representation_id, d.domain FROM representation_domains d JOIN representations r ON r.id = d.representation_id
		WHERE r.kind = 'hearing'`, func(scan func(...any) error) error {
		var id int64
		var d string
		err := scan(&id, &d)
		themes[id] = append(themes[id], d)
		return err
	}); err != nil {
		return err
	}
	yearBefore := req.On.AddDays(-365)
	return store.EachRow(ctx, s.db, `SELECT d.organisation_id, r.id, r.held_on FROM delegation_agencies d JOIN representations r ON r.id = d.representation_id
		WHERE r.kind = 'hearing' AND r.held_on < $1 AND r.id <> $2`, func(scan func(...any) error) error {
		var org, id int64
		var held date.Date
		if err := scan(&org, &id, &held); err != nil {
			return err
		}
		e := byID[org]
		if e == nil {
			return nil
		}
		if !held.Before(yearBefore) {
			e.recent++
		}
		if len(req.Domains) == 0 || overlaps(themes[id], req.Domains) {
			e.hearings++
		}
		return nil
	}, req.On, req.Hearing)
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
