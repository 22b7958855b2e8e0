// Package representation holds how the federation speaks for its members
// before public authorities: hearings (« auditions ») before government,
// parliamentary and other public bodies, with the delegation of member
// agencies and people who took part and their documents; meetings with
// national bodies; and notes or position papers handed to authorities
// (linked to their publication when there is one). Each act has a body, a
// day, a topic and themes (skill domains).
//
// It also proposes a hearing's delegation (Propose): member agencies
// ranked by their experience of the hearing's themes, picked so that the
// delegation covers regions and commune sizes, each pick explained; and it
// gives the network its engagement figure « hearings joined » per agency
// (Engagement).
package representation

import (
	"context"
	"slices"
	"strconv"
	"time"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/publication"
	"vivier/internal/store"
)

// Kind is what an act of representation is.
type Kind string

// The kinds of act.
const (
	Hearing Kind = "hearing" // an « audition », with a delegation
	Meeting Kind = "meeting" // a working meeting with a national body
	Note    Kind = "note"    // a note or position paper handed to an authority
)

// Kinds lists the kinds in display order.
func Kinds() []Kind { return []Kind{Hearing, Meeting, Note} }

// Label is the kind in French.
func (k Kind) Label() string {
	switch k {
	case Hearing:
		return "audition"
	case Meeting:
		return "réunion"
	case Note:
		return "note remise"
	}
	return string(k)
}

// Plural is the kind in French, in the plural.
func (k Kind) Plural() string {
	switch k {
	case Hearing:
		return "auditions"
	case Meeting:
		return "réunions"
	case Note:
		return "notes remises"
	}
	return string(k)
}

func (k Kind) valid() bool { return k == Hearing || k == Meeting || k == Note }

// BodyKind is what kind of public body the act was before.
type BodyKind string

// The kinds of body.
const (
	Government   BodyKind = "government"    // a minister, a ministry, a prefect
	Parliament   BodyKind = "parliament"    // a committee or a rapporteur of the Assemblée or the Sénat
	ThinkTank    BodyKind = "think_tank"    // a public think tank (France Stratégie, CESE…)
	NationalBody BodyKind = "national_body" // a national agency or bank (ANCT, Banque des territoires…)
	OtherBody    BodyKind = "other"
)

// BodyKinds lists the kinds of body in display order.
func BodyKinds() []BodyKind {
	return []BodyKind{Government, Parliament, ThinkTank, NationalBody, OtherBody}
}

// Label is the kind of body in French.
func (b BodyKind) Label() string {
	switch b {
	case Government:
		return "Gouvernement"
	case Parliament:
		return "Parlement"
	case ThinkTank:
		return "Think tank public"
	case NationalBody:
		return "Organisme national"
	case OtherBody:
		return "Autre"
	}
	return string(b)
}

func (b BodyKind) valid() bool { return slices.Contains(BodyKinds(), b) }

// Input is what staff type for an act.
type Input struct {
	Kind          Kind      `json:"kind"`
	Body          string    `json:"body"`
	BodyKind      BodyKind  `json:"body_kind"`
	HeldOn        date.Date `json:"held_on"`
	Topic         string    `json:"topic"`
	Summary       string    `json:"summary"`        // Markdown
	Domains       []string  `json:"domains"`        // skill domains: attractivite, filieres…
	PublicationID int64     `json:"publication_id"` // a note's publication, 0 when none
}

// Delegate is a member agency of a hearing's delegation.
type Delegate struct {
	ID     int64  `json:"id"` // the organisation
	Name   string `json:"name"`
	Reason string `json:"reason"` // why the helper proposed it, "" when chosen by hand
}

// Person is someone who took part in a hearing or a meeting.
type Person struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Role           string `json:"role"`
	OrganisationID int64  `json:"organisation_id,omitempty"`
	Organisation   string `json:"organisation,omitempty"`
}

// Document is a file of an act (the note handed, the slides).
type Document struct {
	ID         int64     `json:"id"`
	Filename   string    `json:"filename"`
	Size       int       `json:"size"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// Act is a stored act of representation.
type Act struct {
	ID               int64      `json:"id"`
	Kind             Kind       `json:"kind"`
	Body             string     `json:"body"`
	BodyKind         BodyKind   `json:"body_kind"`
	HeldOn           date.Date  `json:"held_on"`
	Topic            string     `json:"topic"`
	Summary          string     `json:"summary"`
	Domains          []string   `json:"domains"`
	PublicationID    int64      `json:"publication_id,omitempty"`
	PublicationTitle string     `json:"publication_title,omitempty"`
	Agencies         []Delegate `json:"agencies"`
	People           []Person   `json:"people"`
	Documents        []Document `json:"documents"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

func subject(id int64) string { return "representation:" + strconv.FormatInt(id, 10) }

// Members says which agencies are members of the network on a day; the
// delegation helper proposes only those. The network's memberships answer
// it once they are wired (internal/app); without it every agency is a
// candidate.
type Members interface {
	// MemberAgencies returns the ids of the agencies whose membership
	// covers day.
	MemberAgencies(ctx context.Context, day date.Date) (map[int64]bool, error)
}

// Service reads and writes acts of representation and proposes
// delegations.
type Service struct {
	db           *store.DB
	geo          *geo.Reference
	publications *publication.Service
	members      Members
	now          func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Geo *geo.Reference // regions and commune sizes of the delegation helper
	// Publications are read by the delegation helper: an agency's
	// co-authored publications on the hearing's themes are experience.
	Publications *publication.Service
	// Members narrows the helper's candidates to the member agencies; nil
	// proposes every agency.
	Members Members
	Now     func() time.Time // nil means time.Now
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: o.DB, geo: o.Geo, publications: o.Publications, members: o.Members, now: func() time.Time { return now().UTC() }}
}

func (s *Service) today() date.Date { return date.Of(s.now().In(date.Paris())) }
