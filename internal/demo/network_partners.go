package demo

import (
	"context"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/network"
	"vivier/internal/store"
)

// demoPartner is an associated member of the demo and what its agreements
// promise.
type demoPartner struct {
	name, sector, contact string
	amount                int64
	promises              []demoPromise
}

// demoPromise is a counterpart: its kind, title, due month, and what
// became of it once due ("delivered" by a record named so, "dropped", or
// "late": still planned past its day).
type demoPromise struct {
	kind   network.CounterpartKind
	title  string
	month  time.Month
	fate   string
	record string
}

var demoPartners = []demoPartner{
	{"Réseau Électrique des Territoires", "gestionnaire du réseau d’électricité", "Anne Roux", 80_000, []demoPromise{
		{network.KindEvent, "Webinaire : raccorder une zone d’activités au réseau", time.March, "delivered", "Webinaire du 14 mars"},
		{network.KindPublication, "Guide co-signé sur la flexibilité électrique des zones industrielles", time.June, "late", ""},
		{network.KindSeat, "Dix places au forum national", time.November, "delivered", "Forum national des agences"}}},
	{"Énergies Nouvelles de France", "énergéticien", "Marc Vidal", 60_000, []demoPromise{
		{network.KindTraining, "Formation : monter un projet d’hydrogène territorial", time.April, "delivered", "Session de formation d’avril"},
		{network.KindInterview, "Interview du directeur dans la lettre d’information", time.May, "dropped", ""},
		{network.KindEvent, "Rencontre régionale sur les réseaux de chaleur", time.September, "late", ""}}},
	{"Laboratoires Santé & Territoires", "groupe pharmaceutique", "Inès Morel", 45_000, []demoPromise{
		{network.KindPublication, "Étude sur l’attractivité des sites de production de santé", time.February, "delivered", "Étude « Santé et industrie »"},
		{network.KindSeat, "Cinq places au forum national", time.November, "planned", ""}}},
	{"Compagnie des Eaux Territoriales", "distribution d’eau", "Paul Girard", 35_000, []demoPromise{
		{network.KindEvent, "Webinaire : l’eau dans l’accueil d’entreprises industrielles", time.March, "late", ""},
		{network.KindDataAccess, "Accès des agences à l’outil de données sur la ressource en eau", time.July, "delivered", "Outil « Ressource en eau »"}}},
	{"Agence nationale de cohésion des territoires (démo)", "établissement public de l’État", "Sophie Leclerc", 120_000, []demoPromise{
		{network.KindTraining, "Formation des chefs de projet « Petites villes »", time.January, "delivered", "Cycle de formation de janvier"},
		{network.KindEvent, "Journée nationale de l’ingénierie territoriale", time.October, "planned", ""},
		{network.KindPublication, "Note commune sur la revitalisation des centres-bourgs", time.May, "late", ""}}},
	{"Banque publique d’investissement (démo)", "banque publique", "Julien Caron", 90_000, []demoPromise{
		{network.KindEvent, "Webinaire : financer la reprise d’entreprises", time.February, "delivered", "Webinaire du 20 février"},
		{network.KindDataAccess, "Accès au tableau de bord des aides aux entreprises", time.June, "delivered", "Tableau de bord des aides"},
		{network.KindInterview, "Interview croisée dans le rapport d’activité", time.December, "planned", ""}}},
}

// fillPartners records the demo's partners, an agreement of last year
// (all its counterparts settled) and one of this year, whose counterparts
// past their day are delivered, dropped or late.
func fillPartners(ctx context.Context, svc *network.Service, at func(date.Date, int), year int) error {
	today := date.Today()
	for i, p := range demoPartners {
		at(date.Date{Year: year - 1, Month: time.January, Day: 5 + i}, 10)
		id, err := svc.CreatePartner(ctx, network.PartnerInput{Name: p.name, Sector: p.sector, ContactName: p.contact,
			ContactEmail: fmt.Sprintf("partenariats@%s.example.fr", network.Slug(p.name)), Website: "https://" + network.Slug(p.name) + ".example.fr"}, access.System)
		if err != nil {
			return fmt.Errorf("demo partner %s: %w", p.name, err)
		}
		for _, y := range []int{year - 1, year} {
			at(date.Date{Year: y, Month: time.January, Day: 10}, 10)
			agr, err := svc.AddAgreement(ctx, id, network.AgreementInput{Year: y, Amount: p.amount, StartsOn: date.Date{Year: y, Month: time.January, Day: 1},
				EndsOn: date.Date{Year: y, Month: time.December, Day: 31}}, access.System)
			if err != nil {
				return err
			}
			for _, pr := range p.promises {
				due := date.Date{Year: y, Month: pr.month, Day: 28}
				c, err := svc.AddCounterpart(ctx, agr, network.CounterpartInput{Kind: pr.kind, Title: pr.title, DueOn: due}, access.System)
				if err != nil {
					return err
				}
				fate := pr.fate
				switch {
				case !due.Before(today):
					continue // not due yet
				case y < year && fate != "dropped":
					fate = "delivered"
				}
				at(due.AddDays(-3), 16)
				var upd network.CounterpartUpdate
				switch fate {
				case "delivered":
					label := pr.record
					if label == "" {
						label = pr.title
					}
					upd = network.CounterpartUpdate{Status: network.Delivered, Link: network.Link{Kind: pr.kind, Label: fmt.Sprintf("%s %d", label, y)}}
				case "dropped":
					upd = network.CounterpartUpdate{Status: network.Dropped, Note: "Le partenaire a préféré reporter à l’an prochain."}
				default:
					continue // planned, and late once past due
				}
				if err := svc.UpdateCounterpart(ctx, c, upd, access.System); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// demoAgencyNeeds has one agency in four submit needs: three in the year
// before the last twelve months and, for half of them, two in the last
// twelve months — the others fell silent, which the engagement page flags
// before their renewal.
func demoAgencyNeeds(ctx context.Context, db *store.DB, opts Options, clock *demoClock, members []demoMember, today date.Date) error {
	ref := geo.Default()
	g := NewGenerator(opts.Seed+1, ref, date.Date{Year: today.Year, Month: today.Month, Day: 1})
	needs := need.New(need.Options{DB: db, Geo: ref, Now: clock.now})
	for i, m := range members {
		if m.kind != "agence" || m.newcomer || i%4 != 0 {
			continue
		}
		ago := []int{600, 500, 420}
		if i%8 == 0 {
			ago = append(ago, 200, 60)
		}
		for _, days := range ago {
			on := today.AddDays(-days)
			clock.at = time.Date(on.Year, on.Month, on.Day, 10, 0, 0, 0, date.Paris())
			in, _ := g.Need(nil)
			in.RequesterSIREN, in.Requester, in.Contact = m.siren, "", nil
			in.Start, in.End = on.AddDays(30), on.AddDays(120)
			n, err := needs.Create(ctx, in, access.System)
			if err != nil {
				return fmt.Errorf("demo need of %s: %w", m.name, err)
			}
			// Qualified within the week; the old ones then closed, once
			// their window had passed with no mission, so that no need
			// stays open for years.
			steps := []need.Status{need.Qualified}
			if days > 120 {
				steps = append(steps, []need.Status{need.Unfulfilled, need.Cancelled}[(i+days)%2])
			}
			for k, st := range steps {
				step := on.AddDays([]int{4, 125}[k])
				clock.at = time.Date(step.Year, step.Month, step.Day, 11, 0, 0, 0, date.Paris())
				if err := needs.Transition(ctx, n.ID, st, statusComment(st), access.System); err != nil {
					return fmt.Errorf("demo need of %s → %s: %w", m.name, st, err)
				}
			}
		}
	}
	clock.at = time.Time{}
	return nil
}
