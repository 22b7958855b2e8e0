package demo

import (
	"context"
	"fmt"
	"slices"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/store"
)

// The demo tells one story: the network's members (network.go) are the
// agencies that register to events, enrol in trainings, read the
// newsletters, sit in delegations and co-author publications, and their
// staff are the member accounts the network's import and joins created.
// world is that network as the later parts of the demo find it.

// worldAgency is a member agency whose membership is current, with its
// département (its first territory's) and its staff accounts.
type worldAgency struct {
	id          int64
	name, siren string
	dep         string
	staff       []worldPerson
}

// worldPerson is a staff account of a member.
type worldPerson struct {
	userID      int64
	name, email string
	org         int64
}

// actor is the person signed in.
func (p worldPerson) actor() access.Actor {
	return access.Actor{UserID: p.userID, Role: access.Member, OrganisationID: p.org, Via: access.Session, IP: "démo"}
}

// world is the current members of kind agence, in the order of their ids,
// and their staff.
type world struct {
	agencies []worldAgency
	staff    []worldPerson // every staff account of them, agency by agency
}

// loadWorld reads the network's current member agencies and their staff,
// after FillNetwork. The demo member account's agency comes first.
func loadWorld(ctx context.Context, db *store.DB, net *network.Service) (world, error) {
	current, err := net.MemberAgencies(ctx, date.Today())
	if err != nil {
		return world{}, err
	}
	var w world
	byID := map[int64]int{}
	err = store.EachRow(ctx, db, `SELECT o.id, o.name, coalesce(o.siren, ''), coalesce((SELECT t.departement FROM member_territories t
		WHERE t.organisation_id = o.id ORDER BY t.position LIMIT 1), '')
		FROM organisations o JOIN members m ON m.organisation_id = o.id WHERE o.kind = 'agence' ORDER BY o.id`, func(scan func(...any) error) error {
		var a worldAgency
		if err := scan(&a.id, &a.name, &a.siren, &a.dep); err != nil {
			return err
		}
		if current[a.id] {
			byID[a.id] = len(w.agencies)
			w.agencies = append(w.agencies, a)
		}
		return nil
	})
	if err != nil {
		return world{}, err
	}
	err = store.EachRow(ctx, db, `SELECT id, name, email, organisation_id FROM users WHERE role = 'member' AND organisation_id IS NOT NULL
		ORDER BY organisation_id, id`, func(scan func(...any) error) error {
		var p worldPerson
		if err := scan(&p.userID, &p.name, &p.email, &p.org); err != nil {
			return err
		}
		if i, ok := byID[p.org]; ok {
			w.agencies[i].staff = append(w.agencies[i].staff, p)
		}
		return nil
	})
	if err != nil {
		return world{}, err
	}
	// The demo member's agency (the Ain's) leads: its staff appear first
	// in the lists the demo member looks at.
	slices.SortStableFunc(w.agencies, func(a, b worldAgency) int {
		return boolRank(hasEmail(b.staff, demoMemberEmail)) - boolRank(hasEmail(a.staff, demoMemberEmail))
	})
	for _, a := range w.agencies {
		w.staff = append(w.staff, a.staff...)
	}
	if len(w.agencies) < 10 || len(w.staff) < 10 {
		return world{}, fmt.Errorf("the demo network has %d current agencies and %d staff accounts: too few for the story", len(w.agencies), len(w.staff))
	}
	return w, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func hasEmail(list []worldPerson, email string) bool {
	return slices.ContainsFunc(list, func(p worldPerson) bool { return p.email == email })
}

// agencyOf returns the current agency of département dep, or else the
// n-th agency whose département is none of avoid.
func (w world) agencyOf(dep string, n int, avoid map[int64]bool) worldAgency {
	for _, a := range w.agencies {
		if a.dep == dep && !avoid[a.id] {
			return a
		}
	}
	var free []worldAgency
	for _, a := range w.agencies {
		if !avoid[a.id] {
			free = append(free, a)
		}
	}
	return free[(7*n+3)%len(free)]
}
