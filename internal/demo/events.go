package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/training"
)

// The demo's network life: past and coming events (the national forum
// with 400 registrations, its waiting list), attendance ticked at the door
// or imported from a webinar's export, four trainings with their sessions,
// signatures and surveys, and the MOOC's counts. The people who register
// and enrol from agencies are the staff of the network's current members
// (world.go), signed in, so that their attendance counts in their agency's
// engagement; the others come from the collectivities and partners around.
// Everything goes through the real services, with a clock set back to each
// moment of the story.

// partnersNamed returns the ids of the network's partners of these names.
func partnersNamed(ctx context.Context, db *store.DB, names ...string) ([]int64, error) {
	var ids []int64
	for _, name := range names {
		var id int64
		if err := db.QueryRowContext(ctx, `SELECT p.organisation_id FROM partners p JOIN organisations o ON o.id = p.organisation_id WHERE o.name = $1`, name).
			Scan(&id); err != nil {
			return nil, fmt.Errorf("demo partner %s: %w", name, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// demoOutsiders are the organisations of the registrants who are no
// members' staff.
var demoOutsiders = []string{"Communauté de communes du Pays de Gex", "Région Nouvelle-Aquitaine", "CCI de la Drôme", "Commune de Clion",
	"Conseil départemental du Cher", "Banque publique d’investissement (démo)"}

type demoEvent struct {
	title, about string
	kind         event.Kind
	days         int // from today
	commune      string
	capacity     int
	people       int
	audience     event.Audience
}

var demoEvents = []demoEvent{
	{"Plans de relance : ce qui a marché dans les territoires", "Retours d’expérience de trois agences sur leurs **plans de relance**.", event.Webinar, -60, "", 150, 96, event.Public},
	{"Hydrogène : structurer une filière locale", "Le point sur les appels à projets et les **écosystèmes territoriaux** de l’hydrogène.", event.Webinar, -25, "", 120, 84, event.Public},
	{"Rencontre des directeurs d’agence", "Réunion du réseau : budgets, gouvernance, mutualisation.", event.Meeting, -12, "75056", 40, 31, event.MembersOnly},
	{"Visite d’une zone d’activités requalifiée", "Visite commentée et échanges avec l’intercommunalité.", event.Visit, -5, "69123", 25, 22, event.Public},
	{"Forum national des agences de développement économique", "Deux jours de plénières et d’ateliers : **attractivité, réindustrialisation, transitions**.\n\n- ateliers thématiques\n- rencontres avec les membres associés", event.Forum, 30, "33063", 350, 400, event.Public},
	{"Webinaire : accueillir les talents", "Attirer et retenir les actifs : marque employeur territoriale, logement, accueil des conjoints.", event.Webinar, 9, "", 200, 64, event.Public},
	{"Atelier des chargés de mission foncier", "Échanges entre membres sur le foncier économique et le ZAN.", event.Meeting, 20, "31555", 30, 12, event.MembersOnly},
}

// fillEvents adds the demo's events and trainings; members says who is a
// current member (the network).
func fillEvents(ctx context.Context, db *store.DB, opts Options, w world, members event.Members) error {
	ref := geo.Default()
	clock := &demoClock{}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 14))
	events := event.New(event.Options{DB: db, Geo: ref, BaseURL: opts.BaseURL, Now: clock.now, Members: members})
	now := time.Now().UTC().Truncate(time.Hour)
	var err error
	orgName := map[int64]string{}
	for _, a := range w.agencies {
		orgName[a.id] = a.name
	}
	for i, d := range demoEvents {
		start := time.Date(now.Year(), now.Month(), now.Day(), 14, 0, 0, 0, date.Paris()).AddDate(0, 0, d.days).UTC()
		length := 90 * time.Minute
		if d.kind == event.Forum {
			length = 32 * time.Hour
		}
		in := event.Input{Title: d.title, Kind: d.kind, Description: d.about, StartsAt: start, EndsAt: start.Add(length), Commune: d.commune,
			Capacity: d.capacity, Audience: d.audience, Followup: "https://www.youtube.com/@federation-agences (replay et supports)"}
		if d.commune == "" {
			in.OnlineURL = fmt.Sprintf("https://visio.demo.vivier.fr/webinaire-%d", i+1)
		} else {
			in.Address = "Centre des congrès"
		}
		if d.kind == event.Forum {
			// Two partners co-organise the forum: its staff page offers to
			// mark the seats promised to them delivered by it.
			if in.Partners, err = partnersNamed(ctx, db, "Réseau Électrique des Territoires", "Laboratoires Santé & Territoires"); err != nil {
				return err
			}
		}
		clock.at = start.AddDate(0, 0, -40)
		id, err := events.Create(ctx, in, access.System)
		if err != nil {
			return fmt.Errorf("demo event %q: %w", d.title, err)
		}
		// The members' staff first — the demo member's agency always —,
		// then people from around for the public events.
		staff := len(w.staff)
		if d.audience == event.Public {
			staff = min(staff, d.people*6/10)
		}
		for p := range d.people {
			clock.at = start.AddDate(0, 0, -39).Add(time.Duration(p) * 37 * time.Minute)
			var r event.RegistrationInput
			actor := access.System
			switch {
			case p < staff:
				who := w.staff[0]
				if p > 0 {
					who = w.staff[1+(p-1+11*i)%(len(w.staff)-1)]
				}
				r = event.RegistrationInput{Name: who.name, Email: who.email, Organisation: orgName[who.org], Consent: "démo"}
				actor = who.actor()
			case d.audience == event.MembersOnly:
				continue // only the members' staff come
			default:
				first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
				r = event.RegistrationInput{Name: first + " " + last, Email: fmt.Sprintf("%s.%s.%d@exemple.fr", ascii(first), ascii(last), p),
					Organisation: demoOutsiders[rng.IntN(len(demoOutsiders))], Consent: "démo"}
			}
			if _, err := events.Register(ctx, id, r, actor); err != nil {
				return fmt.Errorf("demo registration: %w", err)
			}
		}
		if d.days > 0 {
			continue
		}
		// Past events: a few cancellations, then the attendance.
		clock.at = start.Add(time.Hour)
		regs, err := events.Registrations(ctx, id, access.System)
		if err != nil {
			return err
		}
		for _, r := range regs {
			if r.Status == event.Confirmed && rng.IntN(10) < 8 {
				if err := events.CheckIn(ctx, r.ID, true, access.System); err != nil {
					return err
				}
			}
		}
	}
	clock.at = time.Time{}
	return fillTrainings(ctx, db, opts, ref, rng, w, members)
}

type demoTraining struct {
	in       training.TrainingInput
	sessions []int // days from today of each session's first day (two days each)
}

var demoTrainings = []demoTraining{
	{training.TrainingInput{Title: "Piloter un plan de relance territorial", Kind: training.Course, Hours: 14, PriceMember: 450, PriceOther: 900,
		Programme:     "**Jour 1** : diagnostic du tissu économique, indicateurs.\n\n**Jour 2** : construire et suivre le plan d’action avec les élus.",
		Objectives:    "Diagnostiquer le tissu économique d’un territoire\nConstruire un plan d’action partagé\nSuivre les indicateurs de la relance",
		Prerequisites: "Chargé de mission en agence ou en collectivité"}, []int{-90, -20, 40}},
	{training.TrainingInput{Title: "Accueillir une entreprise industrielle", Kind: training.Course, Hours: 14, PriceMember: 450, PriceOther: 900,
		Programme:  "Le parcours d’implantation, le foncier, les aides, l’accompagnement des recrutements.",
		Objectives: "Organiser le parcours d’accueil d’un projet industriel\nMobiliser le foncier et les aides"}, []int{-45}},
	{training.TrainingInput{Title: "Animer un réseau d’entreprises", Kind: training.Course, Hours: 7, PriceMember: 250, PriceOther: 500,
		Programme:  "Clubs, filières, clusters : faire vivre un réseau dans la durée.",
		Objectives: "Construire un programme d’animation\nMesurer l’engagement des entreprises"}, []int{25}},
	{training.TrainingInput{Title: "MOOC Attractivité territoriale", Kind: training.MOOC, Hours: 12, Partner: "l’agence nationale du commerce extérieur",
		Programme:  "Six semaines en ligne pour construire la stratégie d’attractivité de son territoire.",
		Objectives: "Comprendre les leviers de l’attractivité\nConstruire une marque territoriale"}, nil},
}

func fillTrainings(ctx context.Context, db *store.DB, opts Options, ref *geo.Reference, rng *rand.Rand, w world, members training.Members) error {
	clock := &demoClock{}
	svc := training.New(training.Options{DB: db, Geo: ref, BaseURL: opts.BaseURL, Now: clock.now, Members: members})
	today := date.Today()
	for _, d := range demoTrainings {
		clock.at = today.AddDays(-120).Time()
		id, err := svc.CreateTraining(ctx, d.in, access.System)
		if err != nil {
			return fmt.Errorf("demo training %q: %w", d.in.Title, err)
		}
		if d.in.Kind == training.MOOC {
			year := today.Year
			if err := svc.SetMoocCounts(ctx, id, []training.MoocCount{
				{Label: fmt.Sprintf("Session de printemps %d", year-1), StartsOn: date.MustParse(fmt.Sprintf("%d-03-02", year-1)), Enrolled: 2140, Completed: 612},
				{Label: fmt.Sprintf("Session d’automne %d", year-1), StartsOn: date.MustParse(fmt.Sprintf("%d-10-05", year-1)), Enrolled: 1785, Completed: 540},
				{Label: fmt.Sprintf("Session de printemps %d", year), StartsOn: date.MustParse(fmt.Sprintf("%d-03-01", year)), Enrolled: 2410, Completed: 731},
			}, access.System); err != nil {
				return err
			}
			continue
		}
		for n, offset := range d.sessions {
			first := today.AddDays(offset)
			days := []date.Date{first, first.AddDays(1)}
			if d.in.Hours <= 7 {
				days = days[:1]
			}
			commune := []string{"69123", "75056", "33063"}[n%3]
			sid, err := svc.AddSession(ctx, id, training.SessionInput{Commune: commune, Address: "Maison des entreprises", Trainer: []string{"Claire Martin", "Hervé Roussel", "Inès Lacroix"}[n%3],
				Capacity: 12, HalfDays: training.HalfDaysOf(days)}, access.System)
			if err != nil {
				return err
			}
			var tokens []string
			trainees := 9 + rng.IntN(5)
			for p := range trainees {
				// The demo member follows every session; the others are
				// staff of other members, a different group each session.
				who := w.staff[0]
				if p > 0 {
					who = w.staff[1+(p-1+trainees*(3*n+len(d.in.Title)))%(len(w.staff)-1)]
				}
				in := training.EnrolInput{Name: who.name, Email: who.email, OrganisationID: who.org}
				clock.at = today.AddDays(offset - 30).Time()
				en, err := svc.Enrol(ctx, sid, in, access.System)
				if err != nil {
					return fmt.Errorf("demo enrolment: %w", err)
				}
				if en.Status == training.Confirmed {
					tokens = append(tokens, en.Token)
				}
			}
			if offset > 0 {
				continue
			}
			sess, err := svc.Session(ctx, sid, access.System)
			if err != nil {
				return err
			}
			for _, h := range sess.HalfDays {
				for i, tok := range tokens {
					if rng.IntN(12) == 0 && i > 0 {
						continue // absent this half-day
					}
					clock.at = h.StartsAt.Add(time.Duration(2+rng.IntN(20)) * time.Minute)
					ip := fmt.Sprintf("192.0.2.%d", 10+i)
					if _, err := svc.SignByLink(ctx, tok, access.Visitor(ip)); err != nil {
						return fmt.Errorf("demo signature: %w", err)
					}
				}
				clock.at = h.StartsAt.Add(30 * time.Minute)
				if err := svc.Countersign(ctx, h.ID, sess.TrainerToken, access.Visitor("192.0.2.200")); err != nil {
					return err
				}
			}
			clock.at = sess.End().Add(10 * time.Minute)
			for i, tok := range tokens {
				if i > 0 && rng.IntN(4) == 0 {
					continue // no answer
				}
				mark := func() int { return 3 + rng.IntN(3) }
				if err := svc.AnswerSurvey(ctx, tok, training.Survey{Content: mark(), Trainer: mark(), Organisation: mark(), Usefulness: mark(),
					Comment: []string{"", "Très concret, merci.", "Un peu dense sur la deuxième journée.", "Les échanges entre agences sont précieux."}[rng.IntN(4)]},
					access.Visitor("192.0.2.50")); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
