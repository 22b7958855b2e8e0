package report

import "vivier/internal/access"

// Who may do what with the activity report, decided here once for the
// pages, the API and the command line:
//   - staff (coordinators, administrators, the system) read the live draft
//     of any year, the published report with the live figures that moved
//     since, and every record behind a figure; they publish a report, and
//     publish it again with a reason;
//   - anyone else reads a published report only (a draft is « not found »),
//     without personal data: the records of a figure are listed only when
//     the figure is public (publications, press articles, hearings and
//     notes, audience counts), never people nor internal records.

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination prépare et publie le rapport d’activité")
	}
	return nil
}
