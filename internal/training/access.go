package training

import (
	"vivier/internal/access"
)

// Who may do what with trainings, decided here once for the pages, the API
// and the command line:
//   - anyone reads the catalogue: trainings, their sessions and prices;
//   - the signed-in staff of an agency (role member) enrol themselves or a
//     colleague in a session, for their own organisation, and see and
//     cancel their organisation's enrolments; staff enrol anyone on their
//     behalf;
//   - a trainee signs the half-days of their session with their personal
//     link or, in the room, with the QR code and their code; they answer
//     the survey and download their certificate through their link;
//   - the trainer countersigns with the link of their session;
//   - staff (and Vivier itself) create trainings and sessions, read the
//     enrolments, the sign-in sheets, the certificates and the indicators,
//     and enter the MOOC's counts.
// A record the actor may not see is « not found ».

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination peut faire cela")
	}
	return nil
}

// mayEnrol refuses an actor who may not enrol anyone for orgID: staff may
// for any organisation, a member only for their own.
func mayEnrol(actor access.Actor, orgID int64) error {
	switch {
	case actor.Staff():
		return nil
	case actor.Is(access.Member) && actor.OrganisationID != 0:
		if orgID != actor.OrganisationID {
			return access.Deny("vous inscrivez les personnes de votre agence seulement")
		}
		return nil
	}
	return access.Deny("les inscriptions aux formations sont faites par les agences adhérentes ou par la coordination")
}
