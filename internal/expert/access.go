package expert

import (
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
