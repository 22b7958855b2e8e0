// Package need holds the engineering needs of local authorities: what
// (title, description, wanted skills with a minimum level and a required
// flag), where (the INSEE commune of the place and the requester
// organisation), when (a window and days per week), how (kind, format,
// languages, maximum rate), who asked (the contact of the public form), and
// the lifecycle submitted → qualified → proposed → assigned | cancelled |
// unfulfilled with its history. It also finds the open needs near another
// one, the candidates for a pooled mission.
package need

import (
	"time"

	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/skill"
)

// Kind is what the requester asks for.
type Kind string

// The kinds of need.
const (
	Mission Kind = "mission" // a piece of work over some days
	Interim Kind = "interim" // an interim director, most of the week
)

// Label returns the French label of k.
func (k Kind) Label() string {
	switch k {
	case Mission:
		return "mission"
	case Interim:
		return "intérim de direction"
	}
	return string(k)
}

// Format is where the work happens.
type Format string

// The formats of a need.
const (
	Onsite Format = "onsite"
	Remote Format = "remote"
	Hybrid Format = "hybrid"
)

// Label returns the French label of f.
func (f Format) Label() string {
	switch f {
	case Onsite:
		return "sur place"
	case Remote:
		return "à distance"
	case Hybrid:
		return "mixte"
	}
	return string(f)
}

// Status is where a need stands.
type Status string

// The lifecycle of a need.
const (
	Submitted   Status = "submitted"
	Qualified   Status = "qualified"
	Proposed    Status = "proposed"
	Assigned    Status = "assigned"
	Cancelled   Status = "cancelled"
	Unfulfilled Status = "unfulfilled"
)

// Label returns the French label of s.
func (s Status) Label() string {
	switch s {
	case Submitted:
		return "déposé"
	case Qualified:
		return "qualifié"
	case Proposed:
		return "experts proposés"
	case Assigned:
		return "attribué"
	case Cancelled:
		return "annulé"
	case Unfulfilled:
		return "non pourvu"
	}
	return string(s)
}

// Statuses lists the statuses in lifecycle order.
func Statuses() []Status {
	return []Status{Submitted, Qualified, Proposed, Assigned, Cancelled, Unfulfilled}
}

// Plain tells a requester where their need stands, in their words rather
// than the coordinators'.
func (s Status) Plain() string {
	switch s {
	case Submitted:
		return "reçu : la fédération l’étudie"
	case Qualified:
		return "étudié : la fédération cherche des experts"
	case Proposed:
		return "des experts vous sont proposés"
	case Assigned:
		return "expert choisi : la mission est lancée"
	case Cancelled:
		return "annulé"
	case Unfulfilled:
		return "clos : aucun expert n’était disponible"
	}
	return string(s)
}

// Open reports whether the need still waits for an expert.
func (s Status) Open() bool { return s == Submitted || s == Qualified || s == Proposed }

func (s Status) valid() bool { return s.Label() != string(s) }

// moves are the allowed transitions: a step is never skipped, and a need
// whose proposals all failed goes back to qualified for new ones.
var moves = map[Status][]Status{
	Submitted: {Qualified, Cancelled},
	Qualified: {Proposed, Cancelled, Unfulfilled},
	Proposed:  {Assigned, Qualified, Cancelled, Unfulfilled},
}

// CanMove reports whether a need may go from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Moves returns the statuses a need in status from may move to.
func Moves(from Status) []Status { return append([]Status(nil), moves[from]...) }

// WantedSkill is a skill the need asks for, at MinLevel or more; a Required
// one is a hard constraint of matching, the others weigh in the score.
type WantedSkill struct {
	Code     string      `json:"code"`
	MinLevel skill.Level `json:"min_level"`
	Required bool        `json:"required"`
}

// Contact is who submitted the need through the public form.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Role  string `json:"role"` // "maire", "DGS"…
}

// Input is a need as the JSON of the brief writes it (vivier import needs,
// vivier match --need, the API), plus the contact and the choice of
// requester of the public form.
type Input struct {
	Title          string        `json:"title"`
	Description    string        `json:"description"`
	Commune        string        `json:"commune"`         // INSEE code of the place
	RequesterSIREN string        `json:"requester_siren"` // the requester; see Requester
	Kind           Kind          `json:"kind"`
	Skills         []WantedSkill `json:"skills"`
	Start          date.Date     `json:"start"`
	End            date.Date     `json:"end"`
	DaysPerWeek    int           `json:"days_per_week"`
	MaxDailyRate   *int          `json:"max_daily_rate"`
	Format         Format        `json:"format"`
	Languages      []string      `json:"languages"`
	// Requester, when RequesterSIREN is empty, says who asks: "commune"
	// (the default) for the commune of the place, "epci" for its
	// intercommunality.
	Requester string   `json:"requester,omitempty"`
	Contact   *Contact `json:"contact,omitempty"`
	// ConsentWording is the sentence the contact accepted on the public
	// form; it is recorded with the need in the audit log.
	ConsentWording string `json:"-"`
}

// Need is a stored need.
type Need struct {
	ID             int64         `json:"id"`
	Title          string        `json:"title"`
	Description    string        `json:"description"`
	Commune        string        `json:"commune"`
	CommuneName    string        `json:"commune_name"`
	Departement    string        `json:"departement"`
	EPCISIREN      string        `json:"epci_siren"`
	RequesterID    int64         `json:"requester_id"`
	RequesterName  string        `json:"requester_name"`
	RequesterSIREN string        `json:"requester_siren"`
	Kind           Kind          `json:"kind"`
	Skills         []WantedSkill `json:"skills"`
	Start          date.Date     `json:"start"`
	End            date.Date     `json:"end"`
	DaysPerWeek    int           `json:"days_per_week"`
	MaxDailyRate   *int          `json:"max_daily_rate"`
	Format         Format        `json:"format"`
	Languages      []string      `json:"languages"`
	Status         Status        `json:"status"`
	Contact        Contact       `json:"contact"`
	SubmittedBy    int64         `json:"submitted_by,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// Subject is how the audit log names the need.
func (n Need) Subject() string { return subject(n.ID) }

// StatusChange is one line of a need's history.
type StatusChange = audit.StatusChange[Status]
