package representation

import (
	"vivier/internal/access"
	"vivier/internal/store"
)

// Who may do what with representation, decided here once for the pages,
// the API and the command line: staff (coordinators, administrators, the
// system) record hearings, meetings and notes, choose delegations (with or
// without the helper) and read them all; nobody else sees any — an act is
// « not found » to them and the lists are refused. The people of a
// delegation are personal data: the public activity report counts hearings
// and names agencies, never people.

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination gère la représentation de la fédération")
	}
	return nil
}

// staffRecord hides act id from an actor who is not staff.
func staffRecord(id int64, actor access.Actor) error {
	if !actor.Staff() {
		return store.NotFound("representation %d", id)
	}
	return nil
}
