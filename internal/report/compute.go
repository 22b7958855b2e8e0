package report

import (
	"context"
	"fmt"
	"time"

	"vivier/internal/fr"
	"vivier/internal/store"
)

// Service computes, publishes and reads the activity reports.
type Service struct {
	db   *store.DB
	now  func() time.Time
	srcs Options
}

// Options are what the service needs: the database of the snapshots, the
// clock, and the sources of each part (nil: « non suivi »).
type Options struct {
	DB  *store.DB
	Now func() time.Time // nil means time.Now

	Expertise      ExpertiseSource
	Publications   PublicationSource
	Press          PressSource
	Representation RepresentationSource
	Audiences      AudienceSource
	Network        NetworkSource
	Events         EventSource
	Trainings      TrainingSource
	Newsletters    NewsletterSource
	Partners       PartnerSource
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: o.DB, now: func() time.Time { return now().UTC() }, srcs: o}
}

// yearData is what the sources gave for one year; nil for a part not
// followed.
type yearData struct {
	exp *ExpertiseFigures
	pub *PublicationFigures
	pr  *PressFigures
	rep *RepresentationFigures
	aud *AudienceFigures
	net *NetworkFigures
	ev  *EventFigures
	tr  *TrainingFigures
	nl  *NewsletterFigures
	pa  *PartnerFigures
}

// call asks a source for its part of year, leaving to nil when the source
// is not set.
func call[S comparable, F any](ctx context.Context, src S, year int, get func(S, context.Context, int) (F, error), to **F) error {
	var zero S
	if src == zero {
		return nil
	}
	f, err := get(src, ctx, year)
	if err != nil {
		return err
	}
	*to = &f
	return nil
}

func (s *Service) gather(ctx context.Context, year int) (yearData, error) {
	var d yearData
	o := s.srcs
	for _, err := range []error{
		call(ctx, o.Expertise, year, ExpertiseSource.Expertise, &d.exp),
		call(ctx, o.Publications, year, PublicationSource.Publications, &d.pub),
		call(ctx, o.Press, year, PressSource.Press, &d.pr),
		call(ctx, o.Representation, year, RepresentationSource.Representation, &d.rep),
		call(ctx, o.Audiences, year, AudienceSource.Audiences, &d.aud),
		call(ctx, o.Network, year, NetworkSource.Network, &d.net),
		call(ctx, o.Events, year, EventSource.Events, &d.ev),
		call(ctx, o.Trainings, year, TrainingSource.Trainings, &d.tr),
		call(ctx, o.Newsletters, year, NewsletterSource.Newsletters, &d.nl),
		call(ctx, o.Partners, year, PartnerSource.Partners, &d.pa),
	} {
		if err != nil {
			return d, fmt.Errorf("report of %d: %w", year, err)
		}
	}
	return d, nil
}

// measure reads a measure of a part, zero when the part is not followed.
func measure[F any](p *F, get func(F) Measure) Measure {
	if p == nil {
		return Measure{}
	}
	return get(*p)
}

// figure builds the figure of key from this year's and last year's
// measures.
func figure(key string, cur, prev Measure, tracked bool, source string) Figure {
	d := definition(key)
	return figureOf(d, cur, prev, tracked, source)
}

func figureOf(d Definition, cur, prev Measure, tracked bool, source string) Figure {
	f := Figure{Key: d.Key, Label: d.Label, Unit: d.Unit, Formula: d.Formula, Tracked: tracked, Source: source}
	if !tracked {
		return f
	}
	f.Value, f.HasValue = cur.Value, cur.Known
	f.Previous, f.HasPrevious = prev.Value, prev.Known
	f.Detail, f.Public, f.Records, f.Total = cur.Detail, cur.Public, cur.Records, len(cur.Records)
	if f.Records == nil {
		f.Records = []Record{}
	}
	return f
}

// compute computes the report of year from the live records.
func (s *Service) compute(ctx context.Context, year int) (Report, error) {
	cur, err := s.gather(ctx, year)
	if err != nil {
		return Report{}, err
	}
	prev, err := s.gather(ctx, year-1)
	if err != nil {
		return Report{}, err
	}
	r := Report{Year: year, GeneratedAt: s.now(), FormulasVersion: FormulasVersion}
	for _, sec := range sections {
		out := Section{Key: sec.Key, Title: sec.Title, Intro: sec.Intro, Figures: []Figure{}, Tables: []Table{}}
		switch sec.Key {
		case "representation":
			representationSection(&out, cur.rep, prev.rep)
		case "partners":
			partnersSection(&out, cur.pa, prev.pa)
		case "communication":
			communicationSection(&out, cur, prev)
		case "network":
			networkSection(&out, cur, prev)
		case "expertise":
			expertiseSection(&out, cur.exp, prev.exp)
		}
		r.Sections = append(r.Sections, out)
	}
	return r, nil
}

func source[F any](p *F, get func(F) string) string {
	if p == nil {
		return ""
	}
	return get(*p)
}

func representationSection(out *Section, cur, prev *RepresentationFigures) {
	on, src := cur != nil, source(cur, func(f RepresentationFigures) string { return f.Source })
	for _, k := range []struct {
		key string
		get func(RepresentationFigures) Measure
	}{
		{"representation.hearings", func(f RepresentationFigures) Measure { return f.Hearings }},
		{"representation.notes", func(f RepresentationFigures) Measure { return f.Notes }},
		{"representation.meetings", func(f RepresentationFigures) Measure { return f.Meetings }},
		{"representation.agencies_in_delegations", func(f RepresentationFigures) Measure { return f.Agencies }},
	} {
		out.Figures = append(out.Figures, figure(k.key, measure(cur, k.get), measure(prev, k.get), on, src))
	}
	if cur == nil {
		return
	}
	list := Table{Key: "hearings", Title: "Auditions de l’année", Columns: []string{"Date", "Instance", "Délégation"}, NoPrevious: true, Rows: []Row{}}
	for _, d := range cur.List {
		agencies := "—"
		if len(d.Agencies) > 0 {
			agencies = joinFrench(d.Agencies)
		}
		list.Rows = append(list.Rows, Row{Label: d.Record.Label, Cells: []string{fr.Date(d.Record.Date), d.Body, agencies}})
	}
	var prevAgencies, prevBody []Part
	if prev != nil {
		prevAgencies, prevBody = prev.AgencyHearings, prev.ByBody
	}
	out.Tables = append(out.Tables, list,
		partsTable("agencies", "Agences des délégations (auditions rejointes)", Count, cur.AgencyHearings, prevAgencies, false),
		partsTable("bodies", "Actes par type d’instance", Count, cur.ByBody, prevBody, true))
}

func partnersSection(out *Section, cur, prev *PartnerFigures) {
	on, src := cur != nil, source(cur, func(f PartnerFigures) string { return f.Source })
	for _, k := range []struct {
		key string
		get func(PartnerFigures) Measure
	}{
		{"partners.agreements", func(f PartnerFigures) Measure { return f.Agreements }},
		{"partners.agreements_eur", func(f PartnerFigures) Measure { return f.Amount }},
		{"partners.counterparts_due", func(f PartnerFigures) Measure { return f.Due }},
		{"partners.counterparts_delivered", func(f PartnerFigures) Measure { return f.Delivered }},
	} {
		out.Figures = append(out.Figures, figure(k.key, measure(cur, k.get), measure(prev, k.get), on, src))
	}
}

func communicationSection(out *Section, cur, prev yearData) {
	on, src := cur.pr != nil, source(cur.pr, func(f PressFigures) string { return f.Source })
	for _, k := range []struct {
		key string
		get func(PressFigures) Measure
	}{
		{"communication.press_mentions", func(f PressFigures) Measure { return f.Mentions }},
		{"communication.press_national", func(f PressFigures) Measure { return f.National }},
		{"communication.press_regional", func(f PressFigures) Measure { return f.Regional }},
		{"communication.press_trade", func(f PressFigures) Measure { return f.Trade }},
	} {
		out.Figures = append(out.Figures, figure(k.key, measure(cur.pr, k.get), measure(prev.pr, k.get), on, src))
	}
	on, src = cur.nl != nil, source(cur.nl, func(f NewsletterFigures) string { return f.Source })
	for _, k := range []struct {
		key string
		get func(NewsletterFigures) Measure
	}{
		{"communication.newsletter_campaigns", func(f NewsletterFigures) Measure { return f.Campaigns }},
		{"communication.newsletter_open_rate", func(f NewsletterFigures) Measure { return f.OpenRate }},
		{"communication.newsletter_click_rate", func(f NewsletterFigures) Measure { return f.ClickRate }},
		{"communication.newsletter_naive_open_rate", func(f NewsletterFigures) Measure { return f.NaiveOpenRate }},
	} {
		out.Figures = append(out.Figures, figure(k.key, measure(cur.nl, k.get), measure(prev.nl, k.get), on, src))
	}
	if cur.aud != nil {
		audienceFigures(out, cur.aud, prev.aud)
	}
	if cur.pr != nil {
		scopes := []Part{{"national", "Presse nationale", cur.pr.National.Value}, {"regional", "Presse régionale", cur.pr.Regional.Value},
			{"trade", "Presse spécialisée", cur.pr.Trade.Value}}
		var before, outlets []Part
		if prev.pr != nil {
			before = []Part{{"national", "", prev.pr.National.Value}, {"regional", "", prev.pr.Regional.Value}, {"trade", "", prev.pr.Trade.Value}}
			outlets = prev.pr.ByOutlet
		}
		out.Tables = append(out.Tables, partsTable("press", "Retombées presse par portée", Count, scopes, before, true),
			partsTable("outlets", "Retombées presse par média", Count, cur.pr.ByOutlet, outlets, false))
	}
}

// audienceFigures adds one figure per account (its growth over the year)
// and the table of the counts used.
func audienceFigures(out *Section, cur, prev *AudienceFigures) {
	t := Table{Key: "audiences", Title: "Audiences : relevés utilisés et évolution sur l’année", Unit: Growth,
		Columns: []string{"Relevé de début", "Relevé de fin"}, Chart: true, Rows: []Row{}}
	for _, a := range cur.Accounts {
		metric, prefix := "Visiteurs", "communication.visitors_growth."
		if a.Followers {
			metric, prefix = "Abonnés", "communication.followers_growth."
		}
		var before Measure
		if prev != nil {
			for _, p := range prev.Accounts {
				if p.Slug == a.Slug {
					before = p.Growth
				}
			}
		}
		d := Definition{Key: prefix + a.Slug, Label: metric + " — " + a.Name, Unit: Growth, Formula: GrowthFormula}
		f := figureOf(d, a.Growth, before, true, cur.Source)
		out.Figures = append(out.Figures, f)
		row := Row{Label: a.Name, Value: a.Growth.Value, Previous: before.Value, Cells: []string{a.StartText, a.EndText}}
		if a.Growth.Known {
			t.Rows = append(t.Rows, row)
		}
	}
	out.Tables = append(out.Tables, t)
}

// GrowthFormula is how an audience's growth is computed.
const GrowthFormula = "(relevé le plus proche du 31 décembre − relevé le plus proche du 1er janvier) ÷ relevé le plus proche du 1er janvier ; en cas d’égalité, le relevé antérieur pour le début, le postérieur pour la fin. Les relevés utilisés sont indiqués."

func networkSection(out *Section, cur, prev yearData) {
	add := func(key string, c, p Measure, on bool, src string) {
		out.Figures = append(out.Figures, figure(key, c, p, on, src))
	}
	netSrc := source(cur.net, func(f NetworkFigures) string { return f.Source })
	add("network.members", measure(cur.net, func(f NetworkFigures) Measure { return f.Members }), measure(prev.net, func(f NetworkFigures) Measure { return f.Members }), cur.net != nil, netSrc)
	add("network.memberships_paid", measure(cur.net, func(f NetworkFigures) Measure { return f.MembershipsPaid }), measure(prev.net, func(f NetworkFigures) Measure { return f.MembershipsPaid }), cur.net != nil, netSrc)
	evSrc := source(cur.ev, func(f EventFigures) string { return f.Source })
	add("network.events", measure(cur.ev, func(f EventFigures) Measure { return f.Events }), measure(prev.ev, func(f EventFigures) Measure { return f.Events }), cur.ev != nil, evSrc)
	add("network.event_participants", measure(cur.ev, func(f EventFigures) Measure { return f.Participants }), measure(prev.ev, func(f EventFigures) Measure { return f.Participants }), cur.ev != nil, evSrc)
	trSrc := source(cur.tr, func(f TrainingFigures) string { return f.Source })
	for _, k := range []struct {
		key string
		get func(TrainingFigures) Measure
	}{
		{"network.trainings", func(f TrainingFigures) Measure { return f.Sessions }},
		{"network.trainings_trainees", func(f TrainingFigures) Measure { return f.Trainees }},
		{"network.training_hours", func(f TrainingFigures) Measure { return f.Hours }},
		{"network.training_satisfaction", func(f TrainingFigures) Measure { return f.Satisfaction }},
	} {
		add(k.key, measure(cur.tr, k.get), measure(prev.tr, k.get), cur.tr != nil, trSrc)
	}
	pubSrc := source(cur.pub, func(f PublicationFigures) string { return f.Source })
	add("network.publications", measure(cur.pub, func(f PublicationFigures) Measure { return f.Publications }), measure(prev.pub, func(f PublicationFigures) Measure { return f.Publications }), cur.pub != nil, pubSrc)
	add("network.publication_downloads", measure(cur.pub, func(f PublicationFigures) Measure { return f.Downloads }), measure(prev.pub, func(f PublicationFigures) Measure { return f.Downloads }), cur.pub != nil, pubSrc)
	if cur.pub != nil {
		var before []Part
		if prev.pub != nil {
			before = prev.pub.ByKind
		}
		out.Tables = append(out.Tables, partsTable("publications", "Publications par type", Count, cur.pub.ByKind, before, true))
	}
}

func expertiseSection(out *Section, cur, prev *ExpertiseFigures) {
	on, src := cur != nil, source(cur, func(f ExpertiseFigures) string { return f.Source })
	for _, k := range []struct {
		key string
		get func(ExpertiseFigures) Measure
	}{
		{"expertise.needs", func(f ExpertiseFigures) Measure { return f.Needs }},
		{"expertise.missions_created", func(f ExpertiseFigures) Measure { return f.MissionsCreated }},
		{"expertise.missions_closed", func(f ExpertiseFigures) Measure { return f.MissionsClosed }},
		{"expertise.mission_days", func(f ExpertiseFigures) Measure { return f.Days }},
		{"expertise.experts_mobilised", func(f ExpertiseFigures) Measure { return f.Experts }},
		{"expertise.reviews", func(f ExpertiseFigures) Measure { return f.Reviews }},
		{"expertise.mean_review", func(f ExpertiseFigures) Measure { return f.MeanReview }},
		{"expertise.cost_eur", func(f ExpertiseFigures) Measure { return f.Cost }},
		{"expertise.savings_eur", func(f ExpertiseFigures) Measure { return f.Savings }},
	} {
		out.Figures = append(out.Figures, figure(k.key, measure(cur, k.get), measure(prev, k.get), on, src))
	}
	if cur == nil {
		return
	}
	var p ExpertiseFigures
	if prev != nil {
		p = *prev
	}
	out.Tables = append(out.Tables,
		partsTable("needs_size", "Besoins reçus par taille de commune", Count, cur.NeedsBySize, p.NeedsBySize, true),
		partsTable("needs_region", "Besoins reçus par région", Count, cur.NeedsByRegion, p.NeedsByRegion, false),
		partsTable("missions_status", "Missions engagées dans l’année, par statut aujourd’hui", Count, cur.MissionsByStatus, p.MissionsByStatus, false),
		partsTable("missions_domain", "Missions engagées dans l’année, par domaine", Count, cur.MissionsByDomain, p.MissionsByDomain, true))
}

// partsTable lays a breakdown out with last year's value of each line
// (matched by key; a line only last year had is listed too, at zero).
func partsTable(key, title string, unit Unit, cur, prev []Part, chart bool) Table {
	t := Table{Key: key, Title: title, Unit: unit, Chart: chart, Rows: []Row{}}
	before := map[string]float64{}
	for _, p := range prev {
		before[p.Key] = p.Value
	}
	seen := map[string]bool{}
	for _, p := range cur {
		seen[p.Key] = true
		t.Rows = append(t.Rows, Row{Label: p.Label, Value: p.Value, Previous: before[p.Key]})
	}
	for _, p := range prev {
		if !seen[p.Key] && p.Value != 0 {
			t.Rows = append(t.Rows, Row{Label: p.Label, Previous: p.Value})
		}
	}
	return t
}

// joinFrench joins names with commas and « et ».
func joinFrench(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	out := list[0]
	for _, s := range list[1 : len(list)-1] {
		out += ", " + s
	}
	return out + " et " + list[len(list)-1]
}
