package mission

import (
	"context"
	"database/sql"
	"errors"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Who may do what with proposals and missions, decided here once for the
// pages, the API and the command line:
//   - staff see and run everything;
//   - an expert sees their own proposals and missions, answers their
//     proposals, logs days, writes the closing report, the weekly check-ins
//     and the handover, adds deliverables and milestones, and moves their
//     mission forward — but only staff close it;
//   - a requester sees the missions serving their organisation and the
//     proposals its needs received once accepted, chooses among them, asks
//     for others and reviews the mission;
//   - nobody else sees any.
// A record the actor may not see is « not found ».

// ownExpert reports whether actor is the expert of mission m (or the
// system, which acts for everyone in the demo and jobs).
func ownExpert(actor access.Actor, m Mission) bool {
	return actor.IsSystem() || actor.Is(access.Expert) && m.ExpertUser != 0 && m.ExpertUser == actor.UserID
}

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination peut faire cela")
	}
	return nil
}

// systemOnly refuses an actor who is not Vivier itself (periodic jobs).
func systemOnly(actor access.Actor) error {
	if !actor.IsSystem() {
		return access.Deny("c’est une tâche périodique de Vivier")
	}
	return nil
}

// visibleMission loads mission id through q if actor may see it: staff
// all, the expert their own, a requester the missions serving their
// organisation; « not found » otherwise.
func visibleMission(ctx context.Context, q store.Querier, id int64, actor access.Actor) (Mission, error) {
	m, err := getMission(ctx, q, id)
	if err != nil {
		return Mission{}, err
	}
	switch {
	case actor.Staff(), ownExpert(actor, m):
		return m, nil
	case actor.Is(access.Requester) && actor.OrganisationID != 0:
		ok, err := serves(ctx, q, id, actor.OrganisationID)
		if err != nil {
			return Mission{}, err
		}
		if ok {
			return m, nil
		}
	}
	return Mission{}, store.NotFound("mission %d", id)
}

// expertMission loads mission id for an action of its expert: « not
// found » when actor may not see it, refused when they see it but are not
// its expert.
func expertMission(ctx context.Context, q store.Querier, id int64, actor access.Actor) (Mission, error) {
	m, err := visibleMission(ctx, q, id, actor)
	if err == nil && !ownExpert(actor, m) {
		err = access.Deny("seul l’expert de la mission peut faire cela")
	}
	return m, err
}

// staffOrExpertMission loads mission id for an action of staff or its
// expert.
func staffOrExpertMission(ctx context.Context, q store.Querier, id int64, actor access.Actor) (Mission, error) {
	m, err := visibleMission(ctx, q, id, actor)
	if err == nil && !actor.Staff() && !ownExpert(actor, m) {
		err = access.Deny("seuls la coordination et l’expert de la mission peuvent faire cela")
	}
	return m, err
}

// mayReadProposal reports whether actor may see proposal p: staff all, the
// expert their own, a requester their organisation's once the expert
// accepted.
func mayReadProposal(actor access.Actor, p Proposal) bool {
	switch {
	case actor.Staff():
		return true
	case actor.Is(access.Expert):
		return p.ExpertUser != 0 && p.ExpertUser == actor.UserID
	case actor.Is(access.Requester):
		return actor.ActsFor(p.OrgID) && (p.Status == Accepted || p.Status == Chosen)
	}
	return false
}

// actsForRequester reports whether actor may act for the requester of the need
// needID: staff, or a requester of the organisation that submitted it.
func actsForRequester(ctx context.Context, q store.Querier, needID int64, actor access.Actor) error {
	if actor.Staff() {
		return nil
	}
	var org int64
	err := q.QueryRowContext(ctx, `SELECT requester_id FROM needs WHERE id = $1`, needID).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !(actor.Is(access.Requester) && actor.ActsFor(org)) {
		return store.NotFound("need %d", needID)
	}
	return err
}

// ownExpertID returns the id of the expert profile of actor's account, or
// -1 when there is none (a filter that matches nothing).
func ownExpertID(ctx context.Context, q store.Querier, actor access.Actor) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM experts WHERE user_id = $1`, actor.UserID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return -1, nil
	}
	return id, err
}

// staffMission loads mission id for an action of staff only.
func staffMission(ctx context.Context, q store.Querier, id int64, actor access.Actor) (Mission, error) {
	m, err := visibleMission(ctx, q, id, actor)
	if err == nil && !actor.Staff() {
		err = access.Deny("seule la coordination peut faire cela")
	}
	return m, err
}
