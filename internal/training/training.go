// Package training owns the federation's trainings, as a training body: the
// courses for development professionals (programme, objectives, hours,
// prices for members and others) and their sessions split into half-days,
// the enrolments (by a member agency's staff or by staff on their behalf,
// with the events' rule: confirmed enrolments never exceed the capacity),
// the half-day sign-in (émargement) that each trainee makes on their own
// phone — by their personal link or the QR code shown in the room — and the
// trainer countersigns, the sign-in sheet and the certificates of completion
// as PDFs, the satisfaction survey « à chaud », and the quality indicators
// the training bodies' quality label audits. The MOOC's course runs
// elsewhere: staff enter or import its counts.
package training

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"time"

	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Kind is what a training is.
type Kind string

// The kinds of training.
const (
	Course Kind = "course"
	MOOC   Kind = "mooc"
)

// Label is the kind in French.
func (k Kind) Label() string {
	if k == MOOC {
		return "MOOC"
	}
	return "formation"
}

// Training is a programme the federation teaches.
type Training struct {
	ID            int64
	Title         string
	Kind          Kind
	Programme     string // Markdown
	Objectives    string // one per line
	Prerequisites string
	Hours         float64
	PriceMember   int // euros
	PriceOther    int
	Partner       string // the co-producer of a MOOC
}

// ObjectiveList is the objectives, one per line.
func (t Training) ObjectiveList() []string {
	var out []string
	for _, l := range strings.Split(t.Objectives, "\n") {
		if l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-•*")); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// HalfDay is a half-day of a session, the unit of the sign-in.
type HalfDay struct {
	ID              int64
	SessionID       int64
	StartsAt        time.Time
	EndsAt          time.Time
	RoomToken       string
	CountersignedAt *time.Time
}

// Hours is the half-day's length in hours.
func (h HalfDay) Hours() float64 { return h.EndsAt.Sub(h.StartsAt).Hours() }

// Label names the half-day in French: « 25 novembre 2026, matin ».
func (h HalfDay) Label() string {
	t := h.StartsAt.In(parisLoc())
	part := "matin"
	if t.Hour() >= 12 {
		part = "après-midi"
	}
	return fr.Date(dateOf(t)) + ", " + part
}

// Short names the half-day in a table's header: « 25/11 matin ».
func (h HalfDay) Short() string {
	t := h.StartsAt.In(parisLoc())
	part := "matin"
	if t.Hour() >= 12 {
		part = "ap.-midi"
	}
	return t.Format("02/01") + " " + part
}

// Session is one run of a training.
type Session struct {
	ID            int64
	TrainingID    int64
	TrainingTitle string
	Commune       string // INSEE code, "" online
	Address       string
	OnlineURL     string
	Trainer       string
	TrainerToken  string
	Capacity      int
	HalfDays      []HalfDay
	Confirmed     int
	Waitlisted    int
}

// Start is the start of the first half-day (zero without half-days).
func (s Session) Start() time.Time {
	if len(s.HalfDays) == 0 {
		return time.Time{}
	}
	return s.HalfDays[0].StartsAt
}

// End is the end of the last half-day.
func (s Session) End() time.Time {
	if len(s.HalfDays) == 0 {
		return time.Time{}
	}
	return s.HalfDays[len(s.HalfDays)-1].EndsAt
}

// Hours is the session's scheduled hours, the sum of its half-days.
func (s Session) Hours() float64 {
	var h float64
	for _, d := range s.HalfDays {
		h += d.Hours()
	}
	return h
}

// Seats is how many seats remain.
func (s Session) Seats() int { return max(0, s.Capacity-s.Confirmed) }

// Status is where an enrolment stands.
type Status string

// The statuses of an enrolment.
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

// Enrolment is a trainee enrolled in a session.
type Enrolment struct {
	ID             int64
	SessionID      int64
	Email          string
	Name           string
	OrganisationID int64
	Organisation   string
	Member         bool // the member price applies
	Status         Status
	Position       int
	Token          string // the trainee's personal link
	Code           string // six digits, to sign through the room's QR code
	CreatedAt      time.Time
}

// Members says which organisations are members of the federation today.
// The network package provides it.
type Members interface {
	IsCurrentMember(ctx context.Context, orgID int64) (bool, error)
}

// Body is the training body's details, printed on the certificates.
type Body struct {
	Name    string
	Address string
	// Declaration is the number of the declaration of activity as a
	// training body.
	Declaration string
}

// DefaultBody is the federation, when Options.Body is empty.
var DefaultBody = Body{Name: "Fédération des agences de développement économique", Address: "Paris",
	Declaration: "déclaration d’activité enregistrée auprès du préfet de région d’Île-de-France"}

// Service reads and writes trainings, sessions, enrolments and signatures.
type Service struct {
	db      *store.DB
	geo     *geo.Reference
	members Members
	body    Body
	baseURL string
	now     func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Geo *geo.Reference
	// Members says whether an organisation's membership is current (the
	// member price). nil means that no organisation has a current
	// membership: every enrolment is then at the non-member price.
	Members Members
	// Body is printed on certificates; zero: DefaultBody.
	Body Body
	// BaseURL is the public address of the site, for the links of emails.
	BaseURL string
	// Now is the clock; nil means time.Now (the sign-in rules' tests fix it).
	Now func() time.Time
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	if o.Geo == nil {
		o.Geo = geo.Default()
	}
	if o.Body.Name == "" {
		o.Body = DefaultBody
	}
	return &Service{db: o.DB, geo: o.Geo, members: o.Members, body: o.Body, baseURL: strings.TrimRight(o.BaseURL, "/"),
		now: func() time.Time { return now().UTC() }}
}

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1000000))
	return fmt.Sprintf("%06d", n.Int64())
}

func fieldErr(field, format string, args ...any) error {
	var e valid.Errors
	e.Add(field, format, args...)
	return e
}

// PriceMemberText is the member price in French: « 450 € ».
func (t Training) PriceMemberText() string { return fr.Euros(int64(t.PriceMember)) }

// PriceOtherText is the non-member price in French.
func (t Training) PriceOtherText() string { return fr.Euros(int64(t.PriceOther)) }

// HoursText is the duration in French: « 14 h », « 10,5 h ».
func (t Training) HoursText() string { return hoursText(t.Hours) }

// HoursText is the session's scheduled hours in French.
func (s Session) HoursText() string { return hoursText(s.Hours()) }

// When is the session's dates in French: « du 25 novembre 2026 au 26 novembre 2026 ».
func (s Session) When() string {
	if len(s.HalfDays) == 0 {
		return "dates à venir"
	}
	from, to := dateOf(s.Start().In(parisLoc())), dateOf(s.End().In(parisLoc()))
	if from == to {
		return "le " + fr.Date(from)
	}
	return "du " + fr.Date(from) + " au " + fr.Date(to)
}

// SatisfactionText, CompletionText and ResponseText are the rates in French.
func (i Indicators) SatisfactionText() string { return rateText(i.Responses, i.SatisfactionRate()) }

// CompletionText is the completion rate in French, « — » without trainees.
func (i Indicators) CompletionText() string { return rateText(i.Trainees, i.CompletionRate()) }

// ResponseText is the response rate in French.
func (i Indicators) ResponseText() string { return rateText(i.Trainees, i.ResponseRate()) }

// HoursTraineeText is the hours-trainee in French.
func (i Indicators) HoursTraineeText() string { return hoursText(i.HoursTrainee) }

func rateText(n int, r float64) string {
	if n == 0 {
		return "—"
	}
	return fr.Percent(r)
}
