package report

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"vivier/internal/access"
	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/representation"
)

// The sources of the parts that live on this side of the application: the
// expertise (missions), publications, press mentions, representation and
// audiences. Each reads its service as access.System: the report's service
// decided who may read the report.

// FromMissions is the expertise source of the missions' service: the
// figures of the dashboard for the year, and its records.
func FromMissions(m *mission.Service, ref *geo.Reference) ExpertiseSource {
	return missionSource{m: m, geo: ref}
}

type missionSource struct {
	m   *mission.Service
	geo *geo.Reference
}

func id(prefix string, n int64) string { return prefix + strconv.FormatInt(n, 10) }

func (src missionSource) Expertise(ctx context.Context, year int) (ExpertiseFigures, error) {
	from, to := Period(year)
	p, err := src.m.PeriodFigures(ctx, from, to, access.System)
	if err != nil {
		return ExpertiseFigures{}, err
	}
	st := p.Stats
	f := ExpertiseFigures{Source: "/tableau-de-bord?du=" + from.String() + "&au=" + to.String()}
	var needs []Record
	bySize, byRegion := map[string]float64{}, map[string]float64{}
	for _, n := range p.Needs {
		needs = append(needs, Record{Label: n.Title, Date: dateOf(n.CreatedAt), URL: id("/besoins/", n.ID)})
		size, region := "inconnue", "—"
		if c, ok := src.geo.Commune(n.Commune); ok {
			if c.Parent != "" {
				if parent, ok := src.geo.Commune(c.Parent); ok {
					c = parent
				}
			}
			size = geo.SizeClassOf(c.Population).String()
		}
		if r, ok := src.geo.RegionOfCommune(n.Commune); ok {
			region = r.Name
		}
		bySize[size]++
		byRegion[region]++
	}
	f.Needs = Of(float64(len(p.Needs)), needs, false)
	for _, c := range geo.SizeClasses() {
		f.NeedsBySize = append(f.NeedsBySize, Part{Key: c.String(), Label: c.Label(), Value: bySize[c.String()]})
	}
	regions := make([]string, 0, len(byRegion))
	for r := range byRegion {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	for _, r := range regions {
		f.NeedsByRegion = append(f.NeedsByRegion, Part{Key: r, Label: r, Value: byRegion[r]})
	}
	missions := func(list []mission.Mission) []Record {
		out := make([]Record, 0, len(list))
		for _, m := range list {
			out = append(out, Record{Label: m.NeedTitle + " — " + m.OrgName, Date: m.Start, URL: id("/missions/", m.ID)})
		}
		return out
	}
	f.MissionsCreated = Of(float64(len(p.Created)), missions(p.Created), false)
	f.MissionsClosed = Of(float64(len(p.Closed)), missions(p.Closed), false)
	for _, c := range st.MissionsByStatus {
		f.MissionsByStatus = append(f.MissionsByStatus, Part{Key: c.Key, Label: c.Label, Value: float64(c.Value)})
	}
	for _, c := range st.MissionsByDomain {
		f.MissionsByDomain = append(f.MissionsByDomain, Part{Key: c.Key, Label: c.Label, Value: float64(c.Value)})
	}
	f.Days = Of(st.DaysDelivered, missions(p.Worked), false)
	var experts []Record
	for _, e := range p.Experts {
		experts = append(experts, Record{Label: e.Name + " (" + mission.DaysText(e.Halves) + " j)", URL: id("/experts/", e.ID)})
	}
	f.Experts = Of(float64(len(p.Experts)), experts, false)
	f.Reviews = Of(float64(st.ReviewCount), missions(p.Reviewed), false)
	f.MeanReview = Measure{Value: st.MeanReview, Known: st.ReviewCount > 0, Records: missions(p.Reviewed),
		Detail: fr.Plural(st.ReviewCount, "avis", "avis")}
	f.Cost = Of(float64(st.Cost), missions(p.Created), false)
	f.Savings = Of(float64(st.Saving), missions(p.Created), false)
	return f, nil
}

// FromPublications is the publications' source.
func FromPublications(p *publication.Service) PublicationSource { return publicationSource{p} }

type publicationSource struct{ p *publication.Service }

func (src publicationSource) Publications(ctx context.Context, year int) (PublicationFigures, error) {
	from, to := Period(year)
	list, err := src.p.Between(ctx, from, to, access.System)
	if err != nil {
		return PublicationFigures{}, err
	}
	downloads, err := src.p.Downloads(ctx, from, to, access.System)
	if err != nil {
		return PublicationFigures{}, err
	}
	f := PublicationFigures{Source: "/publications?annee=" + strconv.Itoa(year)}
	var records, dl []Record
	byKind := map[publication.Kind]float64{}
	total := 0
	for _, p := range list {
		r := Record{Label: p.Title + " (" + p.Kind.Label() + ")", Date: p.PublishedOn, URL: id("/publications/", p.ID)}
		if p.Audience == publication.Public {
			r.PublicURL = r.URL
		} else {
			// Its title is for members: the public list names it no more.
			r.Label = "Publication réservée aux adhérents (" + p.Kind.Label() + ")"
		}
		records = append(records, r)
		byKind[p.Kind]++
	}
	ids := make([]int64, 0, len(downloads))
	for pid := range downloads {
		ids = append(ids, pid)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, pid := range ids {
		total += downloads[pid]
		pub, err := src.p.Get(ctx, pid, access.System)
		if err != nil {
			return f, err
		}
		dl = append(dl, Record{Label: fmt.Sprintf("%s : %s", pub.Title, fr.Plural(downloads[pid], "téléchargement", "téléchargements")), URL: id("/publications/", pid)})
	}
	f.Publications = Of(float64(len(list)), records, true)
	f.Downloads = Of(float64(total), dl, false)
	for _, k := range publication.Kinds() {
		f.ByKind = append(f.ByKind, Part{Key: string(k), Label: k.Label(), Value: byKind[k]})
	}
	return f, nil
}

// FromPress is the press mentions' source.
func FromPress(p *press.Service) PressSource { return pressSource{p} }

type pressSource struct{ p *press.Service }

func (src pressSource) Press(ctx context.Context, year int) (PressFigures, error) {
	from, to := Period(year)
	fig, err := src.p.Figures(ctx, from, to, access.System)
	if err != nil {
		return PressFigures{}, err
	}
	f := PressFigures{Source: "/presse?annee=" + strconv.Itoa(year)}
	byScope := map[press.Scope][]Record{}
	var all []Record
	for _, m := range fig.Mentions {
		r := Record{Label: m.Outlet + " : " + m.Title, Date: m.PublishedOn, URL: id("/presse/", m.ID), PublicURL: m.URL}
		all = append(all, r)
		byScope[m.Scope] = append(byScope[m.Scope], r)
	}
	f.Mentions = Of(float64(fig.Total), all, true)
	f.National = Of(float64(fig.Scope(press.National)), byScope[press.National], true)
	f.Regional = Of(float64(fig.Scope(press.Regional)), byScope[press.Regional], true)
	f.Trade = Of(float64(fig.Scope(press.Trade)), byScope[press.Trade], true)
	for _, c := range fig.ByOutlet {
		f.ByOutlet = append(f.ByOutlet, Part{Key: c.Key, Label: c.Label, Value: float64(c.Value)})
	}
	return f, nil
}

// FromRepresentation is the representation's source.
func FromRepresentation(r *representation.Service) RepresentationSource {
	return representationSource{r}
}

type representationSource struct{ r *representation.Service }

func (src representationSource) Representation(ctx context.Context, year int) (RepresentationFigures, error) {
	from, to := Period(year)
	fig, err := src.r.Figures(ctx, from, to, access.System)
	if err != nil {
		return RepresentationFigures{}, err
	}
	f := RepresentationFigures{Source: "/representation?annee=" + strconv.Itoa(year)}
	records := func(list []representation.Act) []Record {
		out := []Record{}
		for _, a := range list {
			out = append(out, Record{Label: a.Body + " : " + a.Topic, Date: a.HeldOn, URL: id("/representation/", a.ID)})
		}
		return out
	}
	f.Hearings = Of(float64(len(fig.Hearings)), records(fig.Hearings), true)
	f.Meetings = Of(float64(len(fig.Meetings)), records(fig.Meetings), true)
	f.Notes = Of(float64(len(fig.Notes)), records(fig.Notes), true)
	var agencies []Record
	for _, a := range fig.Agencies {
		agencies = append(agencies, Record{Label: a.Name + " (" + fr.Plural(a.Hearings, "audition", "auditions") + ")"})
		f.AgencyHearings = append(f.AgencyHearings, Part{Key: strconv.FormatInt(a.ID, 10), Label: a.Name, Value: float64(a.Hearings)})
	}
	f.Agencies = Of(float64(len(fig.Agencies)), agencies, true)
	for _, b := range fig.ByBody {
		f.ByBody = append(f.ByBody, Part{Key: string(b.Kind), Label: b.Kind.Label(), Value: float64(b.Count)})
	}
	for _, a := range fig.Hearings {
		d := Delegation{Record: Record{Label: a.Topic, Date: a.HeldOn, URL: id("/representation/", a.ID)}, Body: a.Body}
		for _, ag := range a.Agencies {
			d.Agencies = append(d.Agencies, ag.Name)
		}
		f.List = append(f.List, d)
	}
	return f, nil
}

// FromAudiences is the audiences' source.
func FromAudiences(a *audience.Service) AudienceSource { return audienceSource{a} }

type audienceSource struct{ a *audience.Service }

func (src audienceSource) Audiences(ctx context.Context, year int) (AudienceFigures, error) {
	from, to := Period(year)
	gs, err := src.a.Growth(ctx, from, to, access.System)
	if err != nil {
		return AudienceFigures{}, err
	}
	f := AudienceFigures{Source: "/audiences?du=" + from.String() + "&au=" + to.String()}
	for _, g := range gs {
		a := Audience{Slug: g.Account.Slug, Name: g.Account.Name, Followers: g.Account.Metric == audience.Followers}
		var records []Record
		if g.Start != nil {
			a.StartText = fr.Int(int64(g.Start.Value)) + " au " + fr.Date(g.Start.Day)
			a.EndText = fr.Int(int64(g.End.Value)) + " au " + fr.Date(g.End.Day)
			records = []Record{{Label: "Relevé de début : " + a.StartText, Date: g.Start.Day}, {Label: "Relevé de fin : " + a.EndText, Date: g.End.Day}}
		}
		a.Growth = Measure{Value: g.Rate, Known: g.Known, Records: records, Public: true, Detail: g.Why}
		if g.Known {
			a.Growth.Detail = "de " + a.StartText + " à " + a.EndText
		}
		f.Accounts = append(f.Accounts, a)
	}
	return f, nil
}

// dateOf is the day in Paris of an instant.
func dateOf(t time.Time) date.Date { return date.Of(t.In(date.Paris())) }
