// Package expert holds the expert pool: profiles (identity, contact,
// employment, home commune, zones, skills with levels, availability periods,
// rate, experience, languages, bio, CV), their qualification lifecycle with
// its history, the coordinators' filtered list, the files that import and
// export the pool, and the personal-data duties (export, erasure,
// anonymisation after the retention period).
//
// Every write is one transaction that also updates the experts row (the
// matching engine's trigger journals that row to reload the expert), the
// search document (package search) and the audit log.
package expert

import (
	"time"

	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/skill"
)

// Employment is the expert's situation of employment.
type Employment string

// The employment situations of the brief; "" when not given.
const (
	EnPoste     Employment = "en_poste"    // still in post: each mission needs the employer's agreement
	Mobilite    Employment = "mobilite"    // in forced mobility after their agency closed
	Independant Employment = "independant" // self-employed
	Retraite    Employment = "retraite"    // recently retired
)

// Employments lists the situations in display order.
func Employments() []Employment { return []Employment{EnPoste, Mobilite, Independant, Retraite} }

// Label returns the French label of e.
func (e Employment) Label() string {
	switch e {
	case EnPoste:
		return "en poste"
	case Mobilite:
		return "en mobilité"
	case Independant:
		return "indépendant"
	case Retraite:
		return "retraité"
	case "":
		return "non renseigné"
	}
	return string(e)
}

func (e Employment) valid() bool { return e == "" || e.Label() != string(e) }

// Status is where an expert stands in the pool's lifecycle.
type Status string

// The lifecycle: a candidate is qualified by a coordinator; a qualified
// expert may be suspended (temporarily out of matching) or archived (left
// the pool); see CanMove for the allowed moves.
const (
	Candidate Status = "candidate"
	Qualified Status = "qualified"
	Suspended Status = "suspended"
	Archived  Status = "archived"
)

// Statuses lists the statuses in lifecycle order.
func Statuses() []Status { return []Status{Candidate, Qualified, Suspended, Archived} }

// Label returns the French label of s.
func (s Status) Label() string {
	switch s {
	case Candidate:
		return "candidat"
	case Qualified:
		return "qualifié"
	case Suspended:
		return "suspendu"
	case Archived:
		return "archivé"
	}
	return string(s)
}

func (s Status) valid() bool { return s.Label() != string(s) }

// moves are the allowed status changes. Archived experts come back as
// candidates and must be qualified again: their profile may be stale.
var moves = map[Status][]Status{
	Candidate: {Qualified, Archived},
	Qualified: {Suspended, Archived},
	Suspended: {Qualified, Archived},
	Archived:  {Candidate},
}

// CanMove reports whether an expert may go from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range moves[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Moves returns the statuses an expert in status from may move to, for the
// buttons of the expert page.
func Moves(from Status) []Status { return append([]Status(nil), moves[from]...) }

// SkillLevel is one skill of an expert with its level (1 notions to 4
// expert).
type SkillLevel struct {
	Code  string      `json:"code"`
	Level skill.Level `json:"level"`
}

// Period is a span of availability, both days included, with the days per
// week (1 to 5) the expert can give during it. An expert's periods never
// overlap, so "available during a window" is a plain sum of covered days.
type Period struct {
	Start       date.Date `json:"start"`
	End         date.Date `json:"end"`
	DaysPerWeek int       `json:"days_per_week"`
}

// Profile is what an expert or a coordinator edits, and what a row of the
// import file holds (but the status). JSON names are the API's.
type Profile struct {
	Reference       string       `json:"reference"` // stable external id; "" on Create gives "EXP-<id>"
	FirstName       string       `json:"first_name"`
	LastName        string       `json:"last_name"`
	Email           string       `json:"email"`
	Phone           string       `json:"phone"`
	Employment      Employment   `json:"employment"`
	EmployerSIREN   string       `json:"employer_siren"`
	Commune         string       `json:"commune"` // INSEE code of residence
	Zones           []string     `json:"zones"`   // "dep:69", "reg:84", "national"
	Skills          []SkillLevel `json:"skills"`
	Availability    []Period     `json:"availability"`
	DailyRate       *int         `json:"daily_rate"`       // TJM in whole euros
	ExperienceYears *int         `json:"experience_years"` // years of experience
	Languages       []string     `json:"languages"`        // ISO 639-1 codes, "fr" when none
	Bio             string       `json:"bio"`              // plain text
}

// Expert is a stored profile with its lifecycle.
type Expert struct {
	ID int64 `json:"id"`
	Profile
	Status      Status     `json:"status"`
	UserID      int64      `json:"user_id,omitempty"` // the expert's own account, 0 when none
	HasCV       bool       `json:"has_cv"`
	ConsentAt   *time.Time `json:"consent_at"`
	RetainUntil date.Date  `json:"retain_until"`
	ArchivedAt  *time.Time `json:"archived_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Name returns "First Last".
func (e Expert) Name() string {
	if e.FirstName == "" {
		return e.LastName
	}
	return e.FirstName + " " + e.LastName
}

// Subject is how the audit log names the expert.
func (e Expert) Subject() string { return subject(e.ID) }

// StatusChange is one line of an expert's status history.
type StatusChange = audit.StatusChange[Status]
