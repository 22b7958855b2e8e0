package publication

import (
	"vivier/internal/access"
	"vivier/internal/store"
)

// Who may do what with publications, decided here once for the pages, the
// API and the command line:
//   - anyone reads and downloads a public publication;
//   - a publication for members only is read by staff and by the members of
//     the network (role member); for anyone else it does not exist;
//   - only staff (coordinators, administrators, the system) create and
//     change publications.
// A publication the actor may not see is « not found ».

// mayRead reports whether actor may see a publication for audience.
func mayRead(actor access.Actor, audience Audience) bool {
	return audience == Public || actor.Staff() || actor.Is(access.Member)
}

// visible returns p if actor may see it, else « not found ».
func visible(p Publication, actor access.Actor) (Publication, error) {
	if !mayRead(actor, p.Audience) {
		return Publication{}, store.NotFound("publication %d", p.ID)
	}
	return p, nil
}

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination gère les publications")
	}
	return nil
}
