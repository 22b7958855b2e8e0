package audience

import (
	"vivier/internal/access"
	"vivier/internal/store"
)

// Who may do what with audiences, decided here once for the pages, the API
// and the command line: staff (coordinators, administrators, the system)
// keep the accounts and their counts and read the growth; nobody else sees
// any — an account is « not found » to them and the lists are refused. The
// public activity report shows the growth of each account.

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination suit les audiences")
	}
	return nil
}

// staffRecord hides account id from an actor who is not staff.
func staffRecord(id int64, actor access.Actor) error {
	if !actor.Staff() {
		return store.NotFound("audience account %d", id)
	}
	return nil
}
