package report

import "context"

// The sources of the report: one small interface per part, each a method
// returning that part's figures for a year (1 January to 31 December, both
// days included) with the records behind them. The report's service has
// already decided who may read the report when it calls them, so they take
// no actor: an adapter calls its services as access.System. A source that
// is nil in Options is a part « non suivi ».

// Measure is one figure as a source gives it.
type Measure struct {
	// Value is the figure; a rate is a ratio (0.174 for 17,4 %).
	Value float64
	// Known is false when the figure cannot be computed for the year (a
	// rate over nothing sent, a mean over no answer): it is shown « — ».
	Known bool
	// Records are the records the figure counts (every one of them).
	Records []Record
	// Detail says what was counted, in French, when the value alone does
	// not (« 1 234 ouvreurs humains sur 7 000 envois suivis »).
	Detail string
	// Public says the records may be listed to anyone: they name no
	// person and nothing internal. Records of public figures are kept in
	// the published snapshot.
	Public bool
}

// Of is a known measure of value.
func Of(value float64, records []Record, public bool) Measure {
	return Measure{Value: value, Known: true, Records: records, Public: public}
}

// Part is one line of a breakdown: needs of communes under 500
// inhabitants, missions of the domain « Filières »…
type Part struct {
	Key, Label string
	Value      float64
}

// NetworkFigures are the members of a year.
type NetworkFigures struct {
	// Members are the organisations whose membership of the year is
	// paid or awaiting payment (not invited, lapsed nor resigned).
	Members Measure
	// MembershipsPaid are the memberships of the year whose fee is paid.
	MembershipsPaid Measure
	// Source is the page that shows them live.
	Source string
}

// NetworkSource gives the members and memberships of a year.
type NetworkSource interface {
	Network(ctx context.Context, year int) (NetworkFigures, error)
}

// EventFigures are the events of a year.
type EventFigures struct {
	// Events are the events that start in the year (webinars, meetings,
	// the forum, visits), those to come included.
	Events Measure
	// Participants are the registrations marked present at those events.
	Participants Measure
	Source       string
}

// EventSource gives the events of a year.
type EventSource interface {
	Events(ctx context.Context, year int) (EventFigures, error)
}

// TrainingFigures are the trainings of a year.
type TrainingFigures struct {
	// Sessions are the training sessions that start in the year (MOOC:
	// the sessions declared).
	Sessions Measure
	// Trainees are the confirmed enrolments of those sessions (MOOC: the
	// enrolled declared).
	Trainees Measure
	// Hours are the hours-trainee: for each trainee, the hours of the
	// half-days they signed in, summed.
	Hours Measure
	// Satisfaction is the share of the year's surveys whose four marks
	// average 4 out of 5 or more.
	Satisfaction Measure
	Source       string
}

// TrainingSource gives the trainings of a year.
type TrainingSource interface {
	Trainings(ctx context.Context, year int) (TrainingFigures, error)
}

// NewsletterFigures are the newsletters of a year, with their honest
// rates: over the tracked deliveries (recipients who consented to
// tracking and whose message was delivered), human openers and clickers
// only; machine opens (privacy proxies fetching on arrival, link scanners,
// automation agents) are left out, and the naive rate, which counts them,
// stands beside for comparison.
type NewsletterFigures struct {
	// Campaigns are the campaigns sent in the year.
	Campaigns Measure
	// OpenRate is unique human openers ÷ tracked deliveries.
	OpenRate Measure
	// ClickRate is unique human clickers ÷ tracked deliveries.
	ClickRate Measure
	// NaiveOpenRate is unique openers, machines included ÷ tracked
	// deliveries.
	NaiveOpenRate Measure
	Source        string
}

// NewsletterSource gives the newsletters of a year.
type NewsletterSource interface {
	Newsletters(ctx context.Context, year int) (NewsletterFigures, error)
}

// PartnerFigures are the associated members of a year.
type PartnerFigures struct {
	// Agreements are the partnership agreements of the year.
	Agreements Measure
	// Amount is the sum of their amounts, in euros.
	Amount Measure
	// Delivered are the counterparts of those agreements delivered (each
	// linked to the record that delivered it: a webinar, a publication…).
	Delivered Measure
	// Due are the counterparts of those agreements, delivered or not
	// (dropped ones left out).
	Due    Measure
	Source string
}

// PartnerSource gives the partners' agreements of a year.
type PartnerSource interface {
	Partners(ctx context.Context, year int) (PartnerFigures, error)
}

// ExpertiseFigures are the expertise of a year.
type ExpertiseFigures struct {
	Needs            Measure // needs received (submitted) in the year
	NeedsBySize      []Part  // by size class of the need's commune
	NeedsByRegion    []Part  // by region of the need's commune
	MissionsCreated  Measure // missions created (expert chosen) in the year
	MissionsClosed   Measure // missions closed in the year
	MissionsByStatus []Part  // missions created in the year, by status today
	MissionsByDomain []Part  // missions created in the year, by skill domain
	Days             Measure // days logged in the year
	Experts          Measure // experts who logged days in the year
	Reviews          Measure // reviews given in the year
	MeanReview       Measure // their mean rating, out of 5
	Cost             Measure // cost of the missions created in the year, euros
	Savings          Measure // their estimated saving against private consultancies, euros
	Source           string  // the dashboard of the year
}

// ExpertiseSource gives the expertise of a year.
type ExpertiseSource interface {
	Expertise(ctx context.Context, year int) (ExpertiseFigures, error)
}

// PublicationFigures are the publications of a year.
type PublicationFigures struct {
	Publications Measure // published in the year, every audience
	ByKind       []Part
	Downloads    Measure // downloads counted in the year (unique visitors per day, programs left out)
	Source       string
}

// PublicationSource gives the publications of a year.
type PublicationSource interface {
	Publications(ctx context.Context, year int) (PublicationFigures, error)
}

// PressFigures are the press mentions of a year.
type PressFigures struct {
	Mentions                  Measure
	National, Regional, Trade Measure
	ByOutlet                  []Part
	Source                    string
}

// PressSource gives the press mentions of a year.
type PressSource interface {
	Press(ctx context.Context, year int) (PressFigures, error)
}

// Audience is one account's growth over a year.
type Audience struct {
	Slug, Name string
	Followers  bool    // followers (else visitors)
	Growth     Measure // (end − start) ÷ start, from the counts nearest to the year's ends
	// StartText and EndText say which counts were used: « 4 000 au
	// 1 janvier 2026 ».
	StartText, EndText string
}

// AudienceFigures are the audiences of a year.
type AudienceFigures struct {
	Accounts []Audience
	Source   string
}

// AudienceSource gives the audiences of a year.
type AudienceSource interface {
	Audiences(ctx context.Context, year int) (AudienceFigures, error)
}

// Delegation is one hearing of the year, as the report lists it.
type Delegation struct {
	Record   Record
	Body     string
	Agencies []string
}

// RepresentationFigures are the representation of a year.
type RepresentationFigures struct {
	Hearings Measure
	Meetings Measure
	Notes    Measure
	// Agencies are the distinct member agencies of the delegations of the
	// year's hearings.
	Agencies Measure
	// AgencyHearings counts, per agency, the hearings it joined.
	AgencyHearings []Part
	ByBody         []Part
	List           []Delegation
	Source         string
}

// RepresentationSource gives the representation of a year.
type RepresentationSource interface {
	Representation(ctx context.Context, year int) (RepresentationFigures, error)
}
