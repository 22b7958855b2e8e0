package app

import (
	"time"

	"vivier/internal/audience"
	"vivier/internal/event"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/store"
	"vivier/internal/training"
)

// ReportSources are the services, built elsewhere, whose records feed the
// activity report: the expertise (missions), members, memberships and
// partners (network), events, trainings and newsletters. A nil one is a
// part « non suivi ».
type ReportSources struct {
	Missions   *mission.Service
	Network    *network.Service
	Events     *event.Service
	Trainings  *training.Service
	Newsletter *newsletter.Service
	Now        func() time.Time // nil means time.Now
}

// ReportServices are the services of the federation's representation and
// its activity report.
type ReportServices struct {
	Publications   *publication.Service
	Press          *press.Service
	Representation *representation.Service
	Audiences      *audience.Service
	Reports        *report.Service
}

// NewReportServices builds them on db, the report fed by every source
// given: the application and `vivier report` compute the same report. The
// network's engagement score reads Representation.Engagement (key
// representation.EngagementHearings), and the delegation helper narrows
// its candidates to the members through representation.Options.Members.
func NewReportServices(db *store.DB, ref *geo.Reference, src ReportSources) ReportServices {
	var s ReportServices
	s.Publications = publication.New(publication.Options{DB: db})
	s.Press = press.New(press.Options{DB: db})
	ro := representation.Options{DB: db, Geo: ref, Publications: s.Publications}
	if src.Network != nil {
		ro.Members = src.Network // the delegation helper proposes member agencies only
	}
	s.Representation = representation.New(ro)
	s.Audiences = audience.New(audience.Options{DB: db})
	o := report.Options{DB: db, Now: src.Now,
		Publications:   report.FromPublications(s.Publications),
		Press:          report.FromPress(s.Press),
		Representation: report.FromRepresentation(s.Representation),
		Audiences:      report.FromAudiences(s.Audiences),
	}
	// A source is set only when its service is: a nil service behind an
	// interface would not read as « non suivi ».
	if src.Missions != nil {
		o.Expertise = report.FromMissions(src.Missions, ref)
	}
	if src.Network != nil {
		o.Network, o.Partners = report.FromNetwork(src.Network), report.FromPartners(src.Network)
	}
	if src.Events != nil {
		o.Events = report.FromEvents(src.Events)
	}
	if src.Trainings != nil {
		o.Trainings = report.FromTrainings(src.Trainings)
	}
	if src.Newsletter != nil {
		o.Newsletters = report.FromNewsletters(src.Newsletter)
	}
	s.Reports = report.New(o)
	return s
}

// wireReport builds the services of the representation and the report,
// once the services that feed it are.
func (a *App) wireReport(ref *geo.Reference) {
	s := NewReportServices(a.DB, ref, ReportSources{Missions: a.Missions, Network: a.Network, Events: a.Events,
		Trainings: a.Trainings, Newsletter: a.Newsletter})
	a.Publications, a.Press, a.Representation, a.Audiences, a.Reports = s.Publications, s.Press, s.Representation, s.Audiences, s.Reports
}
