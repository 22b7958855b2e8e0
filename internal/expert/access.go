package expert

import (
	"context"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Who may do what with the pool, decided here once for the pages, the API
// and the command line: staff see and change every expert; an expert sees
// and edits their own profile (not its reference, not its status); nobody
// else sees any. A profile the actor may not see is « not found ».

// mayRead reports whether actor may see expert e.
func mayRead(actor access.Actor, e Expert) bool {
	return actor.Staff() || actor.Is(access.Expert) && e.UserID != 0 && e.UserID == actor.UserID
}

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination gère le vivier d’experts")
	}
	return nil
}

// staffOn refuses an action of staff only on expert id: « not found » to
// an actor who may not see the profile, refused to one who sees it (its
// expert).
func staffOn(ctx context.Context, q store.Querier, id int64, actor access.Actor) error {
	if actor.Staff() {
		return nil
	}
	if _, err := visibleTo(actor)(getOne(ctx, q, `e.id = $1`, id)); err != nil {
		return err
	}
	return staffOnly(actor)
}

// visibleTo returns a filter of a loaded expert: the expert if actor may
// see it, else « not found » — written visibleTo(actor)(getOne(…)).
func visibleTo(actor access.Actor) func(Expert, error) (Expert, error) {
	return func(e Expert, err error) (Expert, error) {
		if err != nil {
			return Expert{}, err
		}
		if !mayRead(actor, e) {
			return Expert{}, store.NotFound("expert %d", e.ID)
		}
		return e, nil
	}
}
