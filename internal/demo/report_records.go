package demo

import (
	"context"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/pdf"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/representation"
)

// demoPublications are the demo's publications: year (relative to this
// one), month, title, kind, themes, audience, co-authors (indexes of the
// agencies, then -1 and -2 for the partners), link.
var demoPublications = []struct {
	year      int
	month     time.Month
	title     string
	kind      publication.Kind
	themes    []string
	members   bool
	authors   []int
	link      string
	downloads int
}{
	{-2, 3, "Guide de l’accueil des entreprises industrielles", publication.Guide, []string{"entreprises", "filieres"}, false, []int{1, 3}, "", 14},
	{-2, 6, "Étude : l’ingénierie territoriale des petites communes", publication.Study, []string{"strategie"}, false, []int{5, -2}, "", 9},
	{-2, 9, "Note aux adhérents : la réforme des fonds européens", publication.Note, []string{"strategie"}, true, nil, "", 4},
	{-2, 11, "Replay : attirer les talents dans les villes moyennes", publication.Replay, []string{"attractivite"}, false, []int{0}, "https://video.exemple.fr/replay-talents", 0},
	{-1, 2, "Guide des zones d’activités sobres en foncier", publication.Guide, []string{"entreprises"}, false, []int{2, -1}, "", 22},
	{-1, 3, "Étude : les filières de l’hydrogène dans les territoires", publication.Study, []string{"filieres"}, false, []int{4, -1}, "", 17},
	{-1, 5, "Entretien : diriger une agence par intérim", publication.Interview, []string{"management"}, false, nil, "", 6},
	{-1, 6, "Note de position : l’ingénierie pour les communes rurales", publication.Note, []string{"strategie", "entreprises"}, false, []int{5}, "", 11},
	{-1, 9, "Note aux adhérents : le contrat de plan État-région", publication.Note, []string{"strategie"}, true, nil, "", 5},
	{-1, 10, "Replay : la transition énergétique des zones d’activités", publication.Replay, []string{"filieres"}, false, []int{4, -1}, "https://video.exemple.fr/replay-energie", 0},
	{0, 2, "Guide de la revitalisation des centres-bourgs", publication.Guide, []string{"entreprises"}, false, []int{0, 2}, "", 7},
	{0, 4, "Étude : l’agroalimentaire, filière des territoires ruraux", publication.Study, []string{"filieres"}, false, []int{5}, "", 3},
}

// demoPDF is a one-page PDF of a publication.
func demoPDF(title string) ([]byte, error) {
	doc := pdf.New(pdf.Options{Title: title, Header: "Fédération des agences de développement économique", Author: "Vivier (démo)"})
	doc.Paragraph("Publication de démonstration : son texte complet figurerait ici.")
	return doc.Bytes()
}

func (d *reportDemo) fillPublications(ctx context.Context) error {
	// Members read the publications for members: the demo member does.
	member, err := account.ByEmail(ctx, d.db, "agence@demo.vivier.fr")
	if err != nil {
		return err
	}
	browsers := []string{"Mozilla/5.0 (Windows NT 10.0) Firefox/128.0", "Mozilla/5.0 (Macintosh) Safari/605.1", "Mozilla/5.0 (X11; Linux) Chrome/131.0"}
	for k, p := range demoPublications {
		day := d.day(p.year, p.month, 10+k)
		d.at(day, 9)
		in := publication.Input{Title: p.title, Kind: p.kind, PublishedOn: day, Themes: p.themes, Link: p.link,
			Summary: "Publication de démonstration de la fédération : **" + p.title + "**, avec ses membres."}
		if p.members {
			in.Audience = publication.Members
		}
		for _, a := range p.authors {
			if a >= 0 {
				in.CoAuthors = append(in.CoAuthors, d.agencies[a].ID)
			} else {
				in.CoAuthors = append(in.CoAuthors, d.partners[-a-1].ID)
			}
		}
		var file *publication.Upload
		if p.link == "" {
			content, err := demoPDF(p.title)
			if err != nil {
				return err
			}
			file = &publication.Upload{Name: fmt.Sprintf("publication-%d.pdf", k+1), Content: content}
		}
		pub, err := d.pubs.Create(ctx, in, file, access.System)
		if err != nil {
			return fmt.Errorf("%s: %w", p.title, err)
		}
		// Downloads over the weeks after publication, and a robot that is
		// never counted.
		for n := 0; n < p.downloads; n++ {
			d.at(day.AddDays(1+n*3), 11)
			reader := access.Visitor(fmt.Sprintf("198.51.100.%d", n%200))
			if p.members {
				reader = member.Actor(reader.IP, access.Session)
			}
			if _, err := d.pubs.Download(ctx, pub.ID, browsers[n%len(browsers)], reader); err != nil {
				return err
			}
			if p.members {
				continue
			}
			if _, err := d.pubs.Download(ctx, pub.ID, "Mozilla/5.0 (compatible; Googlebot/2.1)", access.Visitor("66.249.66.1")); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoOutlets are the outlets of each scope.
var demoOutlets = map[press.Scope][]string{
	press.National: {"Les Échos", "Le Monde", "Le Figaro", "La Tribune", "Libération"},
	press.Regional: {"Ouest-France", "La Dépêche du Midi", "Sud Ouest", "La Voix du Nord", "Dernières Nouvelles d’Alsace"},
	press.Trade:    {"La Gazette des communes", "Acteurs publics", "Maire info"},
}

// fillPress records the mentions: Y−2 8 national, 5 regional, 3 trade;
// Y−1 15 national, 6 regional, 4 trade; this year a few.
func (d *reportDemo) fillPress(ctx context.Context) error {
	topics := []string{"l’ingénierie des petites communes", "la réindustrialisation", "les zones d’activités", "le vivier d’experts", "l’intérim de direction"}
	for _, y := range []struct {
		back                      int
		national, regional, trade int
	}{{-2, 8, 5, 3}, {-1, 15, 6, 4}, {0, 3, 2, 1}} {
		n := 0
		for _, sc := range []struct {
			scope press.Scope
			count int
		}{{press.National, y.national}, {press.Regional, y.regional}, {press.Trade, y.trade}} {
			for k := 0; k < sc.count; k++ {
				day := d.day(y.back, time.Month(1+(n*11)%12), 2+(n*7)%26)
				d.at(day, 18)
				outlets := demoOutlets[sc.scope]
				topic := topics[n%len(topics)]
				in := press.Input{Outlet: outlets[k%len(outlets)], Scope: sc.scope, PublishedOn: day, Topic: topic,
					Title: fmt.Sprintf("Les agences de développement et %s (%d)", topic, n+1), URL: fmt.Sprintf("https://presse.exemple.fr/%d/%d", day.Year, n+1)}
				if sc.scope == press.Regional {
					in.Agencies = []int64{d.agencies[k%len(d.agencies)].ID}
				}
				if _, err := d.press.Create(ctx, in, access.System); err != nil {
					return err
				}
				n++
			}
		}
	}
	return nil
}

// demoHearings are the hearings: year, month, body, kind of body, topic,
// themes, size of the delegation.
var demoHearings = []struct {
	year    int
	month   time.Month
	body    string
	kind    representation.BodyKind
	topic   string
	domains []string
	size    int
}{
	{-2, 3, "Commission des affaires économiques du Sénat", representation.Parliament, "L’ingénierie au service des petites communes", []string{"strategie"}, 3},
	{-2, 6, "Ministère chargé de l’Industrie", representation.Government, "Territoires d’industrie", []string{"filieres", "entreprises"}, 3},
	{-2, 10, "France Stratégie", representation.ThinkTank, "Les filières locales de l’énergie", []string{"filieres"}, 2},
	{-1, 2, "Commission des affaires économiques de l’Assemblée nationale", representation.Parliament, "Le foncier économique et la sobriété", []string{"entreprises"}, 3},
	{-1, 4, "Ministère chargé des Collectivités territoriales", representation.Government, "L’ingénierie territoriale après la réforme", []string{"strategie", "management"}, 4},
	{-1, 6, "Délégation aux collectivités territoriales du Sénat", representation.Parliament, "L’attractivité des villes moyennes", []string{"attractivite"}, 3},
	{-1, 9, "Conseil économique, social et environnemental", representation.ThinkTank, "La transition énergétique des entreprises", []string{"filieres"}, 3},
	{-1, 11, "Ministère chargé de l’Agriculture", representation.Government, "Les filières agroalimentaires territoriales", []string{"filieres"}, 2},
	{0, 2, "Commission des finances du Sénat", representation.Parliament, "Le financement des agences de développement", []string{"strategie"}, 3},
}

func (d *reportDemo) fillRepresentation(ctx context.Context) error {
	for k, h := range demoHearings {
		day := d.day(h.year, h.month, 8+k)
		d.at(day.AddDays(-14), 10)
		act, err := d.rep.Create(ctx, representation.Input{Kind: representation.Hearing, Body: h.body, BodyKind: h.kind, HeldOn: day, Topic: h.topic,
			Domains: h.domains, Summary: "Audition de la fédération et d’une délégation d’agences membres."}, access.System)
		if err != nil {
			return err
		}
		// The delegation chosen through the helper, each pick explained.
		p, err := d.rep.ProposeFor(ctx, act.ID, h.size, access.System)
		if err != nil {
			return err
		}
		var chosen []representation.Delegate
		for _, pk := range p.Picks {
			chosen = append(chosen, representation.Delegate{ID: pk.ID, Reason: pk.Reason})
		}
		if err := d.rep.AddAgencies(ctx, act.ID, chosen, access.System); err != nil {
			return err
		}
		if err := d.rep.AddPerson(ctx, act.ID, representation.Person{Name: "Hélène Garnier", Role: "présidente de la fédération"}, access.System); err != nil {
			return err
		}
	}
	others := []struct {
		year  int
		month time.Month
		kind  representation.Kind
		body  string
		bk    representation.BodyKind
		topic string
	}{
		{-2, 5, representation.Note, "Ministère de l’Économie", representation.Government, "Note sur le financement de l’ingénierie locale"},
		{-2, 11, representation.Note, "Agence nationale de la cohésion des territoires", representation.NationalBody, "Contribution au programme d’ingénierie"},
		{-2, 4, representation.Meeting, "Agence nationale de la cohésion des territoires", representation.NationalBody, "Programme d’appui aux petites villes"},
		{-2, 9, representation.Meeting, "Banque des territoires", representation.NationalBody, "Cofinancement des missions d’expertise"},
		{-1, 3, representation.Note, "Ministère chargé des Collectivités territoriales", representation.Government, "Note sur l’ingénierie après la réforme"},
		{-1, 7, representation.Note, "Commission des affaires économiques du Sénat", representation.Parliament, "Position sur le foncier économique"},
		{-1, 10, representation.Note, "Ministère chargé de l’Industrie", representation.Government, "Propositions pour les territoires d’industrie"},
		{-1, 1, representation.Meeting, "Agence nationale de la cohésion des territoires", representation.NationalBody, "Bilan des missions mutualisées"},
		{-1, 5, representation.Meeting, "Business France", representation.NationalBody, "Prospection d’investisseurs étrangers"},
		{-1, 12, representation.Meeting, "Banque des territoires", representation.NationalBody, "Convention de partenariat"},
	}
	for k, o := range others {
		day := d.day(o.year, o.month, 12+k)
		d.at(day, 10)
		if _, err := d.rep.Create(ctx, representation.Input{Kind: o.kind, Body: o.body, BodyKind: o.bk, HeldOn: day, Topic: o.topic}, access.System); err != nil {
			return err
		}
	}
	return nil
}

// fillAudiences records monthly counts of four accounts over the three
// years: the professional network page grows by 75 % in Y−1, the forum's
// page by 150 %.
func (d *reportDemo) fillAudiences(ctx context.Context) error {
	accounts := []struct {
		in     audience.AccountInput
		values [4]int // on 1 January of Y−2, Y−1 and this year, and today
	}{
		{audience.AccountInput{Slug: "linkedin", Name: "Page LinkedIn de la fédération", Kind: audience.ProfessionalNetwork, Metric: audience.Followers,
			URL: "https://www.linkedin.com/company/federation-demo"}, [4]int{1600, 2400, 4200, 5100}},
		{audience.AccountInput{Slug: "forum", Name: "Page du forum annuel", Kind: audience.Forum, Metric: audience.Followers}, [4]int{400, 600, 1500, 1750}},
		{audience.AccountInput{Slug: "youtube", Name: "Chaîne vidéo", Kind: audience.Video, Metric: audience.Followers}, [4]int{250, 310, 480, 520}},
		{audience.AccountInput{Slug: "site", Name: "Site web", Kind: audience.Website, Metric: audience.Visitors}, [4]int{2800, 3300, 4100, 4300}},
	}
	today := date.Today()
	for _, a := range accounts {
		d.at(date.Date{Year: d.year - 2, Month: 1, Day: 1}, 8)
		acc, err := d.aud.CreateAccount(ctx, a.in, access.System)
		if err != nil {
			return err
		}
		for y := 0; y < 3; y++ {
			for m := 1; m <= 12; m++ {
				day := date.Date{Year: d.year - 2 + y, Month: time.Month(m), Day: 1}
				if day.After(today) {
					break
				}
				// Linear within the year, from one 1 January to the next.
				v := a.values[y] + (a.values[y+1]-a.values[y])*(m-1)/12
				d.at(day, 9)
				if err := d.aud.SetCount(ctx, acc.ID, audience.Count{Day: day, Value: v}, access.System); err != nil {
					return err
				}
			}
			end := date.Date{Year: d.year - 2 + y, Month: 12, Day: 31}
			if !end.After(today) {
				d.at(end, 9)
				if err := d.aud.SetCount(ctx, acc.ID, audience.Count{Day: end, Value: a.values[y+1]}, access.System); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// publish publishes the reports of Y−2 and Y−1 in January of the year
// after; an article of Y−1 recorded late shows the drift.
func (d *reportDemo) publish(ctx context.Context) error {
	for _, back := range []int{2, 1} {
		d.at(date.Date{Year: d.year - back + 1, Month: 1, Day: 20}, 10)
		if _, err := d.reports.Publish(ctx, d.year-back, access.System); err != nil {
			return err
		}
	}
	d.at(date.Today(), 8)
	_, err := d.press.Create(ctx, press.Input{Outlet: "Le Parisien", Scope: press.National, PublishedOn: date.Date{Year: d.year - 1, Month: 12, Day: 18},
		Title: "Les agences de développement, relais discrets des territoires", URL: "https://presse.exemple.fr/tardif"}, access.System)
	return err
}
