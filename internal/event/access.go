package event

import (
	"context"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Who may do what with events, decided here once for the pages, the API
// and the command line:
//   - anyone sees the events open to all and registers to them, without an
//     account; a registrant cancels their own registration with the link of
//     their emails;
//   - an event reserved to members is seen, and joined, only by staff and by
//     the signed-in staff of an agency whose membership is current
//     (Options.Members); to anyone else it does not exist (« not found »);
//   - staff (and Vivier itself) create and change events, read the
//     registrations, tick attendance, import webinar exports, cancel any
//     registration and read the figures.

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination peut faire cela")
	}
	return nil
}

// mayAttend reports whether actor may see and join e.
func (s *Service) mayAttend(ctx context.Context, e Event, actor access.Actor) (bool, error) {
	if e.Audience != MembersOnly || actor.Staff() {
		return true, nil
	}
	return s.isMember(ctx, actor)
}

// isMember reports whether actor is signed in for an organisation whose
// membership is current.
func (s *Service) isMember(ctx context.Context, actor access.Actor) (bool, error) {
	if s.members == nil || !actor.SignedIn() || actor.OrganisationID == 0 {
		return false, nil
	}
	return s.members.IsCurrentMember(ctx, actor.OrganisationID)
}

// visible loads event id through q when actor may see it, « not found »
// otherwise.
func (s *Service) visible(ctx context.Context, q store.Querier, id int64, actor access.Actor) (Event, error) {
	e, err := getEvent(ctx, q, id)
	if err != nil {
		return Event{}, err
	}
	ok, err := s.mayAttend(ctx, e, actor)
	if err != nil {
		return Event{}, err
	}
	if !ok {
		return Event{}, store.NotFound("event %d", id)
	}
	return e, nil
}

// staffEvent loads event id for an action of staff only.
func (s *Service) staffEvent(ctx context.Context, id int64, actor access.Actor) (Event, error) {
	e, err := s.visible(ctx, s.db, id, actor)
	if err == nil {
		err = staffOnly(actor)
	}
	return e, err
}
