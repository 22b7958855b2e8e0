// Package event owns the federation's events — webinars on the members'
// trades, network meetings, the yearly national forum, visits — and their
// registrations, made without an account: a registration is confirmed while
// seats remain and waits on a list otherwise, with a position kept once
// given. Confirmed registrations never exceed the capacity whatever the
// concurrency and however many instances run: each registration, cancellation
// and change of capacity takes the event's row lock (store.Dialect.ForUpdate)
// before it counts. A confirmed participant who cancels frees the seat for
// the first on the list, at once, until the registration deadline.
//
// Emails go through the outbox in the transaction of the change that causes
// them (confirmation with an .ics invitation, waitlist notice, promotion,
// cancellation), and from periodic jobs (reminders 7 days and 1 day before,
// the thanks after), each with a key of its own so that none is sent twice.
// Attendance is ticked at the door or imported from a webinar tool's export;
// the figures per event and per period, and the attendance of each member
// agency (Engagement), are read from it.
package event

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Kind is what an event is.
type Kind string

// The kinds of event.
const (
	Webinar Kind = "webinar"
	Forum   Kind = "forum"
	Meeting Kind = "meeting"
	Visit   Kind = "visit"
)

// Kinds lists the kinds in the order forms offer them.
func Kinds() []Kind { return []Kind{Webinar, Forum, Meeting, Visit} }

// Label is the kind in French.
func (k Kind) Label() string {
	switch k {
	case Webinar:
		return "webinaire"
	case Forum:
		return "forum"
	case Meeting:
		return "rencontre du réseau"
	case Visit:
		return "visite"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	switch k {
	case Webinar, Forum, Meeting, Visit:
		return true
	}
	return false
}

// Audience says who may see and join an event.
type Audience string

// The audiences: everyone, or the signed-in staff of member agencies whose
// membership is current.
const (
	Public      Audience = "public"
	MembersOnly Audience = "members"
)

// Label is the audience in French.
func (a Audience) Label() string {
	if a == MembersOnly {
		return "réservé aux adhérents"
	}
	return "ouvert à tous"
}

// Status is where a registration stands.
type Status string

// The statuses of a registration.
const (
	Confirmed  Status = "confirmed"
	Waitlisted Status = "waitlisted"
	Cancelled  Status = "cancelled"
)

// Label is the status in French.
func (s Status) Label() string {
	switch s {
	case Confirmed:
		return "confirmée"
	case Waitlisted:
		return "en liste d’attente"
	case Cancelled:
		return "annulée"
	}
	return string(s)
}

// Event is an event as pages show it.
type Event struct {
	ID              int64
	Title           string
	Kind            Kind
	Description     string // Markdown
	StartsAt        time.Time
	EndsAt          time.Time
	Commune         string // INSEE code, "" online
	Region          string // the commune's region code
	Address         string
	OnlineURL       string // given to confirmed participants only
	Capacity        int
	Deadline        time.Time
	Audience        Audience
	Followup        string // the replay or documents sent with the thanks
	AttendanceShare int    // percent of the event an online participant must attend to count as present
	Partners        []int64
	// Counts of the registrations.
	Confirmed, Waitlisted, Present int
}

// Online reports whether the event has no place.
func (e Event) Online() bool { return e.Commune == "" }

// Full reports whether every seat is taken.
func (e Event) Full() bool { return e.Confirmed >= e.Capacity }

// Seats is how many seats remain.
func (e Event) Seats() int { return max(0, e.Capacity-e.Confirmed) }

// Minutes is the event's length.
func (e Event) Minutes() int { return int(e.EndsAt.Sub(e.StartsAt).Minutes()) }

// When is the event's time in French: « 25 novembre 2026 à 14 h 00 ».
func (e Event) When() string { return fr.DateTime(e.StartsAt) }

// Registration is one person registered to an event.
type Registration struct {
	ID             int64
	EventID        int64
	Email          string
	Name           string
	Organisation   string
	OrganisationID int64 // the signed-in registrant's organisation, 0 when unknown
	Status         Status
	Position       int // place on the waiting list (kept once given), 0 when never waitlisted
	Token          string
	Present        bool
	Minutes        *int // attended, from a webinar tool's export
	CheckedInAt    *time.Time
	CreatedAt      time.Time
}

// Members says which organisations are members of the federation today.
// The network package provides it.
type Members interface {
	IsCurrentMember(ctx context.Context, orgID int64) (bool, error)
}

// Service reads and writes events and registrations.
type Service struct {
	db      *store.DB
	geo     *geo.Reference
	members Members
	baseURL string
	now     func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Geo *geo.Reference
	// Members says whether an organisation's membership is current, for
	// the events reserved to members. nil means that no organisation has a
	// current membership: member-only events are then seen by staff only.
	Members Members
	// BaseURL is the public address of the site, for the links of emails.
	BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	ref := o.Geo
	if ref == nil {
		ref = geo.Default()
	}
	return &Service{db: o.DB, geo: ref, members: o.Members, baseURL: strings.TrimRight(o.BaseURL, "/"),
		now: func() time.Time { return now().UTC() }}
}

// newToken returns a random secret for a registrant's link.
func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func fieldErr(field, format string, args ...any) error {
	var e valid.Errors
	e.Add(field, format, args...)
	return e
}

// Open reports whether e still takes registrations (before its deadline),
// by the service's clock.
func (s *Service) Open(e Event) bool { return s.now().Before(e.Deadline) }

// Ended reports whether e is over, by the service's clock.
func (s *Service) Ended(e Event) bool { return !s.now().Before(e.EndsAt) }
