package representation

import (
	"context"
	"sort"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/store"
)

// Figures are the representation figures of a period: what the
// representation page shows and what the activity report counts, computed
// once here.
type Figures struct {
	From, To date.Date
	// Hearings, Meetings and Notes are the acts of each kind held (or,
	// for notes, handed) in the period.
	Hearings, Meetings, Notes []Act
	// Agencies are the distinct agencies of the delegations of the
	// period's hearings, with how many of those hearings each joined, by
	// name.
	Agencies []AgencyCount
	// ByBody counts the period's acts by kind of body, every kind listed.
	ByBody []BodyCount
}

// AgencyCount is an agency and the hearings it joined.
type AgencyCount struct {
	ID       int64
	Name     string
	Hearings int
}

// BodyCount is a kind of body and the acts before it.
type BodyCount struct {
	Kind  BodyKind
	Count int
}

// Figures computes the figures of the period from..to (both days
// included); staff only.
func (s *Service) Figures(ctx context.Context, from, to date.Date, actor access.Actor) (Figures, error) {
	list, err := s.List(ctx, Filter{From: from, To: to}, actor)
	if err != nil {
		return Figures{}, err
	}
	f := Figures{From: from, To: to}
	agencies := map[int64]*AgencyCount{}
	byBody := map[BodyKind]int{}
	// List is latest first; the figures read oldest first.
	for i := len(list) - 1; i >= 0; i-- {
		a := list[i]
		byBody[a.BodyKind]++
		switch a.Kind {
		case Hearing:
			f.Hearings = append(f.Hearings, a)
			for _, d := range a.Agencies {
				c := agencies[d.ID]
				if c == nil {
					c = &AgencyCount{ID: d.ID, Name: d.Name}
					agencies[d.ID] = c
				}
				c.Hearings++
			}
		case Meeting:
			f.Meetings = append(f.Meetings, a)
		case Note:
			f.Notes = append(f.Notes, a)
		}
	}
	for _, c := range agencies {
		f.Agencies = append(f.Agencies, *c)
	}
	sort.Slice(f.Agencies, func(i, j int) bool {
		if f.Agencies[i].Name != f.Agencies[j].Name {
			return f.Agencies[i].Name < f.Agencies[j].Name
		}
		return f.Agencies[i].ID < f.Agencies[j].ID
	})
	for _, k := range BodyKinds() {
		f.ByBody = append(f.ByBody, BodyCount{Kind: k, Count: byBody[k]})
	}
	return f, nil
}

// EngagementHearings is the key of Engagement's figure: the hearings whose
// delegation an agency joined.
const EngagementHearings = "hearings_joined"

// Engagement returns, for each agency that joined the delegation of at
// least one hearing held between from and to (both days included), its
// figures by key: EngagementHearings, the number of those hearings. The
// network's engagement score reads it for every member agency; it holds
// counts only, no person, so it takes no actor: the caller's own access
// rules apply to what it shows.
func (s *Service) Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	err := store.EachRow(ctx, s.db, `SELECT d.organisation_id, count(*) FROM delegation_agencies d JOIN representations r ON r.id = d.representation_id
		WHERE r.kind = 'hearing' AND r.held_on >= $1 AND r.held_on <= $2 GROUP BY d.organisation_id`, func(scan func(...any) error) error {
		var id int64
		var n int
		if err := scan(&id, &n); err != nil {
			return err
		}
		out[id] = map[string]int{EngagementHearings: n}
		return nil
	}, from, to)
	return out, err
}
