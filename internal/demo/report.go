package demo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"vivier/internal/access"
	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/organisation"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/training"
)

// The demo of the federation's representation and its activity report:
// two full years before this one (Y−2 and Y−1) and this year so far, so
// that the report of Y−1 compares with Y−2. Six member agencies (each
// employing two experts, who led missions in their territory), partners,
// publications with their downloads, press mentions, hearings whose
// delegations the helper chose, notes, meetings, and the counts of four
// audiences. The reports of Y−2 and Y−1 are published; an article of Y−1
// recorded after the publication shows the drift on the report's page.
// The agencies are members of the network (world.go) — that of the
// département named when it is a current member, another current one
// otherwise —, and the partners who co-author are the network's.

// demoAgency is where a member agency of the report's story is (its
// département) and the skills of its two experts.
type demoAgency struct {
	dep    string
	skills [2]string
}

var reportAgencies = []demoAgency{
	{"01", [2]string{"filieres.numerique", "attractivite.strategie"}}, // the demo member account's agency
	{"31", [2]string{"filieres.industrie", "entreprises.accueil"}},
	{"33", [2]string{"filieres.tourisme", "strategie.fonds_europeens"}},
	{"59", [2]string{"filieres.industrie", "entreprises.emploi"}},
	{"67", [2]string{"filieres.energie", "management.gouvernance"}},
	{"26", [2]string{"filieres.agroalimentaire", "strategie.projet_territoire"}},
}

// reportDemo holds the services of the demo, on one clock moved back in
// time as the story goes.
type reportDemo struct {
	db       *store.DB
	geo      *geo.Reference
	clock    *demoClock
	year     int // this year
	world    world
	agencies []organisation.Organisation
	deps     []string   // the département of each agency
	experts  [][2]int64 // the two experts of each agency
	partners []organisation.Organisation
	pubs     *publication.Service
	press    *press.Service
	rep      *representation.Service
	aud      *audience.Service
	reports  *report.Service
}

// fillReport adds the demo's representation and publishes its reports,
// with the agencies and partners of the network w; the reports read every
// part, as the application's do (app.NewReportServices).
func fillReport(ctx context.Context, db *store.DB, w world, net *network.Service) error {
	ref := geo.Default()
	clock := &demoClock{}
	d := &reportDemo{db: db, geo: ref, clock: clock, year: date.Today().Year, world: w}
	d.pubs = publication.New(publication.Options{DB: db, Now: clock.now})
	d.press = press.New(press.Options{DB: db, Now: clock.now})
	d.rep = representation.New(representation.Options{DB: db, Geo: ref, Publications: d.pubs, Now: clock.now})
	d.aud = audience.New(audience.Options{DB: db, Now: clock.now})
	missions := mission.New(mission.Options{DB: db, Geo: ref, Now: clock.now})
	d.reports = report.New(report.Options{DB: db, Now: clock.now, Expertise: report.FromMissions(missions, ref),
		Publications: report.FromPublications(d.pubs), Press: report.FromPress(d.press),
		Representation: report.FromRepresentation(d.rep), Audiences: report.FromAudiences(d.aud),
		Network: report.FromNetwork(net), Partners: report.FromPartners(net),
		Events:      report.FromEvents(event.New(event.Options{DB: db, Geo: ref, Now: clock.now, Members: net})),
		Trainings:   report.FromTrainings(training.New(training.Options{DB: db, Geo: ref, Now: clock.now, Members: net})),
		Newsletters: report.FromNewsletters(newsletter.New(newsletter.Options{DB: db, Now: clock.now, Logger: slog.New(slog.DiscardHandler)}))})
	defer func() { clock.at = time.Time{} }()
	for _, step := range []struct {
		name string
		run  func(context.Context) error
	}{
		{"agencies", d.fillAgencies},
		{"missions of the agencies", func(ctx context.Context) error { return d.fillMissions(ctx, missions) }},
		{"publications", d.fillPublications},
		{"press", d.fillPress},
		{"representation", d.fillRepresentation},
		{"audiences", d.fillAudiences},
		{"reports", d.publish},
	} {
		if err := step.run(ctx); err != nil {
			return fmt.Errorf("demo %s: %w", step.name, err)
		}
	}
	return nil
}

// at sets the clock to day y-mm-dd at hour, never after now.
func (d *reportDemo) at(day date.Date, hour int) {
	t := day.Time().Add(time.Duration(hour) * time.Hour)
	if now := time.Now().Add(-time.Hour); t.After(now) {
		t = now
	}
	d.clock.at = t
}

// day is a day of the year y (relative to this year: 0 this year, -1 last
// year), never after today.
func (d *reportDemo) day(y int, month time.Month, dd int) date.Date {
	out := date.Date{Year: d.year + y, Month: month, Day: dd}
	if today := date.Today(); out.After(today) {
		return today
	}
	return out
}

// communeIn returns a commune of département dep whose population is in
// [lo, hi), the n-th such.
func (d *reportDemo) communeIn(dep string, lo, hi, n int) string {
	var found []string
	for c := range d.geo.Communes() {
		if c.DepartementCode == dep && c.Parent == "" && c.Population >= lo && c.Population < hi {
			found = append(found, c.Code)
		}
	}
	if len(found) == 0 {
		return "01001"
	}
	return found[n%len(found)]
}

// siren returns a valid SIREN (Luhn) starting with the eight digits of n.
func siren(n int) string {
	base := fmt.Sprintf("%08d", n)
	for k := 0; k <= 9; k++ {
		s := base + fmt.Sprint(k)
		if organisation.CheckSIREN(s) == "" {
			return s
		}
	}
	return ""
}

func (d *reportDemo) fillAgencies(ctx context.Context) error {
	experts := expert.New(expert.Options{DB: d.db, Geo: d.geo})
	today := date.Today()
	used := map[int64]bool{}
	for i, a := range reportAgencies {
		ag := d.world.agencyOf(a.dep, i, used)
		used[ag.id] = true
		dep := ag.dep
		if dep == "" {
			dep = a.dep
		}
		d.agencies = append(d.agencies, organisation.Organisation{ID: ag.id, Kind: organisation.Agence, Name: ag.name, SIREN: ag.siren})
		d.deps = append(d.deps, dep)
		var pair [2]int64
		for k, code := range a.skills {
			rate, years := 520+40*k, 10+i
			level := skill.Level(4 - k)
			first, last := firstNames[(5*i+k)%len(firstNames)], lastNames[(7*i+3*k)%len(lastNames)]
			p := expert.Profile{FirstName: first, LastName: last,
				Email: fmt.Sprintf("%s.%s@%s.demo.vivier.fr", ascii(first), ascii(last), network.Slug(ag.name)), Employment: expert.EnPoste, EmployerSIREN: ag.siren,
				Commune: d.communeIn(dep, 10000, 1_000_000, k), Zones: []string{"dep:" + dep}, Skills: []expert.SkillLevel{{Code: code, Level: level}},
				Availability: []expert.Period{{Start: today.AddDays(1), End: today.AddDays(365), DaysPerWeek: 2}}, DailyRate: &rate, ExperienceYears: &years,
				Bio: "Chargé de mission à " + ag.name + "."}
			e, err := experts.Create(ctx, p, access.System)
			if err != nil {
				return err
			}
			if err := experts.SetStatus(ctx, e.ID, expert.Qualified, "", access.System); err != nil {
				return err
			}
			pair[k] = e.ID
		}
		d.experts = append(d.experts, pair)
	}
	// The partners who co-author: the network's first two.
	err := store.EachRow(ctx, d.db, `SELECT o.id, o.name FROM partners p JOIN organisations o ON o.id = p.organisation_id ORDER BY o.id LIMIT 2`,
		func(scan func(...any) error) error {
			var p organisation.Organisation
			if err := scan(&p.ID, &p.Name); err != nil {
				return err
			}
			p.Kind = organisation.Partenaire
			d.partners = append(d.partners, p)
			return nil
		})
	if err == nil && len(d.partners) < 2 {
		err = fmt.Errorf("the network has %d partners, the report's publications need two", len(d.partners))
	}
	return err
}

// agencyMissions and agencyExperts are what the report's demo adds to the
// pool's: the missions of the agencies' experts, and those experts.
const (
	agencyMissions = 3 // per agency
	agencyExperts  = 2 // per agency
)

// fillMissions gives each agency missions led by its experts in its
// territory: one each in Y−2, two each in Y−1, all closed and reviewed.
func (d *reportDemo) fillMissions(ctx context.Context, svc *mission.Service) error {
	needs := need.New(need.Options{DB: d.db, Geo: d.geo, Now: d.clock.now})
	n := 0
	// Small communes, as every need of the demo (the experts live in
	// larger ones).
	sizes := [][2]int{{0, 500}, {500, 3500}}
	for back := 2; back >= 1; back-- {
		for i, a := range reportAgencies {
			dep := d.deps[i]
			for k := 0; k < 3-back; k++ {
				start := date.Date{Year: d.year - back, Month: time.Month(2 + 3*k + i%3), Day: 3 + 4*i}
				size := sizes[(i+k+back)%len(sizes)]
				dm := demoMission{title: fmt.Sprintf("Accompagnement %s", []string{"de la filière", "du projet de territoire", "des entreprises"}[k]),
					skill: a.skills[k%2], kind: need.Mission, stage: "closed", rating: 4 + (i+k)%2, demoExpert: true}
				if err := fillOne(ctx, d.db, needs, svc, d.clock, dm, d.communeIn(dep, size[0], size[1], i+k), start,
					Pool{ExpertID: d.experts[i][k%2]}, 8+n%12); err != nil {
					return fmt.Errorf("mission of %s: %w", d.agencies[i].Name, err)
				}
				n++
			}
		}
	}
	return nil
}
