package need

import (
	"context"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/store"
)

// Who may do what with needs, decided here once for the pages, the API and
// the command line: staff see and change every need; a requester sees the
// needs of their own organisation and submits needs in its name; anyone
// may submit a need through the public form. A need the actor may not see
// is « not found ».

// mayRead reports whether actor may see need n.
func mayRead(actor access.Actor, n Need) bool {
	return actor.Staff() || actor.Is(access.Requester) && actor.ActsFor(n.RequesterID)
}

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination qualifie et suit les besoins")
	}
	return nil
}

// staffOn refuses an action of staff only on need id: « not found » to an
// actor who may not see the need, refused to one who sees it (a requester
// of its organisation).
func staffOn(ctx context.Context, q store.Querier, ref *geo.Reference, id int64, actor access.Actor) error {
	if actor.Staff() {
		return nil
	}
	if _, err := visibleTo(actor)(get(ctx, q, ref, id)); err != nil {
		return err
	}
	return staffOnly(actor)
}

// visibleTo returns a filter of a loaded need: the need if actor may see
// it, else « not found » — written visibleTo(actor)(get(…)).
func visibleTo(actor access.Actor) func(Need, error) (Need, error) {
	return func(n Need, err error) (Need, error) {
		if err != nil {
			return Need{}, err
		}
		if !mayRead(actor, n) {
			return Need{}, store.NotFound("need %d", n.ID)
		}
		return n, nil
	}
}
