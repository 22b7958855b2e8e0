package report

import (
	"context"
	"strconv"

	"vivier/internal/access"
	"vivier/internal/event"
	"vivier/internal/fr"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/training"
)

// The sources of the network's life: members and memberships, partners'
// agreements, events, trainings and newsletters. Each reads its service as
// access.System, with the very method that feeds the figure's source page,
// so that the report, that page and its API show the same number.

// FromNetwork is the members' source: the memberships of the year, as the
// page of the year's fees counts them.
func FromNetwork(n *network.Service) NetworkSource { return networkSource{n} }

type networkSource struct{ n *network.Service }

func (src networkSource) Network(ctx context.Context, year int) (NetworkFigures, error) {
	list, err := src.n.Memberships(ctx, network.MembershipFilter{Year: year}, access.System)
	if err != nil {
		return NetworkFigures{}, err
	}
	members, paid := []Record{}, []Record{}
	for _, m := range list {
		r := Record{Label: m.OrgName + " (" + m.Status.Label() + ")", URL: id("/reseau/adhesions/", m.ID)}
		switch m.Status {
		case network.Paid:
			r.Date = m.PaidOn
			paid = append(paid, r)
			members = append(members, r)
		case network.PendingPayment:
			members = append(members, r)
		}
	}
	return NetworkFigures{
		Members:         Of(float64(len(members)), members, false),
		MembershipsPaid: Of(float64(len(paid)), paid, false),
		Source:          "/reseau/cotisations/" + strconv.Itoa(year),
	}, nil
}

// FromPartners is the associated members' source: the agreements of the
// year (their year, not their dates) and their counterparts.
func FromPartners(n *network.Service) PartnerSource { return partnerSource{n} }

type partnerSource struct{ n *network.Service }

func (src partnerSource) Partners(ctx context.Context, year int) (PartnerFigures, error) {
	list, err := src.n.Partners(ctx, access.System)
	if err != nil {
		return PartnerFigures{}, err
	}
	agreements, due, delivered := []Record{}, []Record{}, []Record{}
	var amount int64
	for _, p := range list {
		for _, a := range p.Agreements {
			if a.Year != year {
				continue
			}
			url := id("/reseau/partenaires/", p.ID)
			agreements = append(agreements, Record{Label: p.Name + " : " + fr.Euros(a.Amount), Date: a.StartsOn, URL: url})
			amount += a.Amount
			for _, c := range a.Counterparts {
				if c.Status == network.Dropped {
					continue
				}
				r := Record{Label: p.Name + " : " + c.Title + " (" + c.Status.Label() + ")", Date: c.DueOn, URL: url}
				due = append(due, r)
				if c.Status == network.Delivered {
					r.Date = c.DeliveredOn
					delivered = append(delivered, r)
				}
			}
		}
	}
	f := PartnerFigures{Source: "/reseau/partenaires"}
	f.Agreements = Of(float64(len(agreements)), agreements, false)
	f.Amount = Of(float64(amount), agreements, false)
	f.Due = Of(float64(len(due)), due, false)
	f.Delivered = Of(float64(len(delivered)), delivered, false)
	return f, nil
}

// FromEvents is the events' source: the figures of the events page for
// the year.
func FromEvents(e *event.Service) EventSource { return eventSource{e} }

type eventSource struct{ e *event.Service }

func (src eventSource) Events(ctx context.Context, year int) (EventFigures, error) {
	from, to := Period(year)
	rep, err := src.e.Stats(ctx, from, to, access.System)
	if err != nil {
		return EventFigures{}, err
	}
	events, present := []Record{}, []Record{}
	for _, l := range rep.Events {
		r := Record{Label: l.Event.Title, Date: dateOf(l.Event.StartsAt), URL: id("/admin/evenements/", l.Event.ID)}
		if l.Event.Audience == event.Public {
			r.PublicURL = id("/evenements/", l.Event.ID)
		}
		events = append(events, r)
		if l.Present > 0 {
			r.Label += " : " + fr.Plural(l.Present, "présent", "présents")
			present = append(present, r)
		}
	}
	return EventFigures{
		Events:       Of(float64(len(rep.Events)), events, false),
		Participants: Of(float64(rep.Total.Present), present, false),
		Source:       "/admin/evenements/chiffres?du=" + from.String() + "&au=" + to.String(),
	}, nil
}

// FromTrainings is the trainings' source: each training's indicators of
// the year, added up.
func FromTrainings(t *training.Service) TrainingSource { return trainingSource{t} }

type trainingSource struct{ t *training.Service }

func (src trainingSource) Trainings(ctx context.Context, year int) (TrainingFigures, error) {
	lines, total, err := src.t.YearFigures(ctx, year, access.System)
	if err != nil {
		return TrainingFigures{}, err
	}
	var sessions, trainees, hours, surveys []Record
	for _, l := range lines {
		url := id("/admin/formations/", l.Training.ID)
		title := l.Training.Title
		sessions = append(sessions, Record{Label: title + " : " + fr.Plural(l.Sessions, "session", "sessions"), URL: url})
		trainees = append(trainees, Record{Label: title + " : " + fr.Plural(l.Trainees, "stagiaire", "stagiaires"), URL: url})
		hours = append(hours, Record{Label: title + " : " + fr.Decimal(l.HoursTrainee, 1) + " heures-stagiaires", URL: url})
		if l.Responses > 0 {
			surveys = append(surveys, Record{Label: title + " : " + fr.Int(int64(l.Satisfied)) + " satisfaits sur " + fr.Plural(l.Responses, "réponse", "réponses"), URL: url})
		}
	}
	f := TrainingFigures{Source: "/admin/formations?annee=" + strconv.Itoa(year)}
	f.Sessions = Of(float64(total.Sessions), sessions, false)
	f.Trainees = Of(float64(total.Trainees), trainees, false)
	f.Hours = Of(total.HoursTrainee, hours, false)
	f.Satisfaction = Measure{Value: total.SatisfactionRate(), Known: total.Responses > 0, Records: surveys,
		Detail: fr.Int(int64(total.Satisfied)) + " satisfaits sur " + fr.Plural(total.Responses, "réponse", "réponses")}
	return f, nil
}

// FromNewsletters is the newsletters' source: the figures of the period's
// page, with the honest rates (human openers and clickers over tracked
// deliveries) and the naive rate beside.
func FromNewsletters(n *newsletter.Service) NewsletterSource { return newsletterSource{n} }

type newsletterSource struct{ n *newsletter.Service }

func (src newsletterSource) Newsletters(ctx context.Context, year int) (NewsletterFigures, error) {
	from, to := Period(year)
	fig, err := src.n.Figures(ctx, from, to, access.System)
	if err != nil {
		return NewsletterFigures{}, err
	}
	campaigns := []Record{}
	for _, c := range fig.Campaigns {
		r := Record{Label: c.Campaign.Subject + " : " + fr.Percent(c.OpenRate()) + " d’ouvertures, " + fr.Percent(c.ClickRate()) + " de clics",
			URL: id("/admin/campagnes/", c.Campaign.ID) + "/chiffres"}
		if c.Campaign.StartedAt != nil {
			r.Date = dateOf(*c.Campaign.StartedAt)
		}
		campaigns = append(campaigns, r)
	}
	known := fig.Tracked > 0
	of := func(v float64, n int, what string) Measure {
		return Measure{Value: v, Known: known, Records: campaigns,
			Detail: fr.Int(int64(n)) + " " + what + " sur " + fr.Plural(fig.Tracked, "envoi suivi", "envois suivis")}
	}
	return NewsletterFigures{
		Campaigns:     Of(float64(fig.CampaignsSent), campaigns, false),
		OpenRate:      of(fig.OpenRate, fig.HumanOpeners, "ouvreurs humains"),
		ClickRate:     of(fig.ClickRate, fig.HumanClickers, "cliqueurs humains"),
		NaiveOpenRate: of(fig.NaiveOpenRate, fig.PixelOpeners, "ouvreurs, machines comprises,"),
		Source:        "/admin/lettres-chiffres?du=" + from.String() + "&au=" + to.String(),
	}, nil
}
