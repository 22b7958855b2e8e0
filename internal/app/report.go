package app

import (
	"vivier/internal/audience"
	"vivier/internal/geo"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
)

// wireReport builds the services of the federation's representation and
// its activity report. The report's parts that live elsewhere — members
// and memberships (report.NetworkSource), events (EventSource), trainings
// (TrainingSource), newsletters (NewsletterSource) and partners
// (PartnerSource) — are wired here by adapters to those services once they
// exist; until then their figures read « non suivi ». The network's
// engagement score reads a.Representation.Engagement (key
// representation.EngagementHearings), and the delegation helper narrows
// its candidates to members through representation.Options.Members.
func (a *App) wireReport(ref *geo.Reference) {
	db := a.DB
	a.Publications = publication.New(publication.Options{DB: db})
	a.Press = press.New(press.Options{DB: db})
	a.Representation = representation.New(representation.Options{DB: db, Geo: ref, Publications: a.Publications, Members: a.Network})
	a.Audiences = audience.New(audience.Options{DB: db})
	a.Reports = report.New(report.Options{DB: db,
		Expertise:      report.FromMissions(a.Missions, ref),
		Publications:   report.FromPublications(a.Publications),
		Press:          report.FromPress(a.Press),
		Representation: report.FromRepresentation(a.Representation),
		Audiences:      report.FromAudiences(a.Audiences),
	})
}
