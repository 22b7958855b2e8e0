package press

import (
	"vivier/internal/access"
	"vivier/internal/store"
)

// Who may do what with press mentions, decided here once for the pages, the
// API and the command line: staff (coordinators, administrators, the
// system) read, type and import them; nobody else sees any — a mention is
// « not found » to them, and the list is refused. The public activity
// report shows how many there were, by scope, not the articles.

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination suit les retombées presse")
	}
	return nil
}

// staffRecord hides mention id from an actor who is not staff.
func staffRecord(id int64, actor access.Actor) error {
	if !actor.Staff() {
		return store.NotFound("press mention %d", id)
	}
	return nil
}
