package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/store"
)

// The demo's newsletters: three lists and 6,000 readers with the staff of
// the network's members, twelve
// campaigns of the past year sent through the real pipeline (without a
// relay, the messages are counted) and the hits their readers — and the
// machines — made, replayed at their time through the tracker: Apple's
// privacy proxy on arrival, security gateways clicking every link and the
// trap, Gmail's image proxy when people read, people clicking. The figures
// pages then show honest rates beside the naive ones.

// demoLists are the lists and how many people each has.
var demoLists = []struct {
	name, description string
	public, double    bool
	size              int
}{
	{"La lettre des agences", "Chaque mois, l’actualité du réseau : événements, formations, publications.", true, true, 4200},
	{"Veille territoriale et financements", "Appels à projets, fonds européens et aides publiques, tous les trimestres.", true, true, 1300},
	{"Réseau des directions d’agence", "Informations internes pour les directions des agences membres.", false, false, 500},
}

// demoCampaigns are the past year's campaigns: subject, list, months ago.
var demoCampaigns = []struct {
	subject string
	list    int
	months  int
}{
	{"Forum annuel : le programme est en ligne", 0, 12}, {"Les aides à l’immobilier d’entreprise en 2026", 1, 11},
	{"Webinaire : accueillir des talents dans les territoires", 0, 10}, {"Réindustrialisation : trois retours d’expérience", 0, 9},
	{"Fonds européens : les appels à projets de l’été", 1, 8}, {"Assemblée générale : ordre du jour et pouvoirs", 2, 7},
	{"Guide de la transmission d’entreprises", 0, 6}, {"Formation : animer un réseau d’entreprises", 0, 5},
	{"Foncier économique : la sobriété en pratique", 0, 4}, {"Veille : les contrats de relance et de transition", 1, 3},
	{"Retour sur le forum annuel", 0, 2}, {"Le vivier d’experts a un an", 0, 1},
}

// FillNewsletters adds the demo's newsletters through the real services.
func FillNewsletters(ctx context.Context, db *store.DB, baseURL string, seed int64) error {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x1e77e5))
	if !strings.HasPrefix(baseURL, "http://") && !strings.HasPrefix(baseURL, "https://") {
		baseURL = "http://127.0.0.1:8080" // the campaigns' links are absolute
	}
	clock := &demoClock{}
	s := newsletter.New(newsletter.Options{DB: db, BaseURL: baseURL, Now: clock.now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	var lists []int64
	n := 0
	for _, dl := range demoLists {
		l, err := s.CreateList(ctx, newsletter.ListInput{Name: dl.name, Description: dl.description, Public: dl.public, DoubleOptIn: dl.double}, access.System)
		if err != nil {
			return err
		}
		lists = append(lists, l.ID)
		people := make([]newsletter.NewSubscriber, dl.size)
		for i := range people {
			first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
			people[i] = newsletter.NewSubscriber{Email: fmt.Sprintf("%s.%s.%d@exemple-lecteur.fr", ascii(first), ascii(last), n),
				Name: first + " " + last, Tracking: rng.Float64() < 0.62}
			n++
		}
		if _, err := s.AddSubscribers(ctx, l.ID, people, access.System); err != nil {
			return err
		}
	}
	// The staff of the network's members read the agencies' letter and
	// the directors' list with the addresses of their accounts: their
	// opens count in their agencies' engagement.
	var staff []newsletter.NewSubscriber
	err := store.EachRow(ctx, db, `SELECT email, name FROM users WHERE role = 'member' AND organisation_id IS NOT NULL AND email <> $1 ORDER BY id`,
		func(scan func(...any) error) error {
			var p newsletter.NewSubscriber
			if err := scan(&p.Email, &p.Name); err != nil {
				return err
			}
			p.Tracking = len(staff)%3 != 2
			staff = append(staff, p)
			return nil
		}, demoMemberEmail)
	if err != nil {
		return err
	}
	if len(staff) > 0 {
		for _, l := range []int64{lists[0], lists[2]} {
			if _, err := s.AddSubscribers(ctx, l, staff, access.System); err != nil {
				return err
			}
		}
	}
	// The demo member receives the agencies' letter with the address of
	// her account, attributed to her agency.
	var member access.Actor
	if err := db.QueryRowContext(ctx, `SELECT id, organisation_id FROM users WHERE email = 'agence@demo.vivier.fr'`).
		Scan(&member.UserID, &member.OrganisationID); err == nil {
		member.Role, member.Via = access.Member, access.Session
		if err := s.SetMyLists(ctx, newsletter.Choice{ListIDs: []int64{lists[0]}, Tracking: true}, member); err != nil {
			return err
		}
	}
	sender, err := s.NewSender(newsletter.SenderOptions{BatchSize: 1000})
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for i, dc := range demoCampaigns {
		at := now.AddDate(0, -dc.months, 0).Add(time.Duration(rng.IntN(72)) * time.Hour)
		clock.at = at
		c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: dc.subject, Preheader: "La lettre de la fédération des agences de développement économique",
			Body: demoBody(dc.subject, baseURL), ListIDs: []int64{lists[dc.list]}}, access.System)
		if err != nil {
			return fmt.Errorf("demo campaign %d: %w", i, err)
		}
		if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
			return err
		}
		for range 1000 {
			if _, err := sender.Once(ctx); err != nil {
				return err
			}
			if got, err := s.Campaign(ctx, c.ID, access.System); err != nil {
				return err
			} else if got.Status == newsletter.Sent {
				break
			}
		}
		if err := demoHits(ctx, s, clock, c.ID, at, rng); err != nil {
			return err
		}
	}
	clock.at = time.Time{}
	_, err = s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Les rendez-vous de l’hiver", Preheader: "Brouillon à relire",
		Body: demoBody("Les rendez-vous de l’hiver", baseURL), ListIDs: []int64{lists[0]}}, access.System)
	if err != nil {
		return err
	}
	return s.FlushHits(ctx)
}

// demoBody is a campaign's text with its blocks.
func demoBody(subject, base string) string {
	return "# " + subject + "\n\nBonjour,\n\nVoici les nouvelles du réseau des agences de développement économique. " +
		"Retrouvez toutes nos lettres sur [le site de la fédération](" + base + "/lettres).\n\n" +
		"::: evenement Forum annuel des agences | 14 et 15 octobre, Lyon | " + base + "/lettres\n\n" +
		"::: publication Guide de l’accueil d’entreprises | Vingt fiches pratiques pour les équipes des agences. | " + base + "/lettres\n\n" +
		"::: bouton Proposer un sujet | " + base + "/lettres\n\nÀ bientôt,\n\nL’équipe de la fédération"
}

const (
	demoBrowser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
	demoOutlook = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Microsoft Outlook 16.0.17928; ms-office; MSOffice 16)"
	demoGmail   = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
	demoIPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
)

// demoHits replays what the readers of campaign id, sent at sent, and the
// machines did with their messages.
func demoHits(ctx context.Context, s *newsletter.Service, clock *demoClock, id int64, sent time.Time, rng *rand.Rand) error {
	tokens, err := s.Tokens(ctx, id, access.System)
	if err != nil {
		return err
	}
	links, err := s.Links(ctx, id, access.System)
	if err != nil {
		return err
	}
	visible, trap := len(links)-1, len(links)-1
	ip := func(prefix string) string { return fmt.Sprintf("%s.%d.%d", prefix, rng.IntN(250)+1, rng.IntN(250)+1) }
	at := func(min, spread time.Duration) { clock.at = sent.Add(min + time.Duration(rng.Int64N(int64(spread)))) }
	for _, tok := range tokens {
		who := access.Visitor("")
		switch r := rng.Float64(); {
		case r < 0.36: // Apple Mail: the privacy proxy fetches on arrival
			at(3*time.Second, 5*time.Minute)
			who.IP = ip("17.58")
			s.Open(ctx, tok, "Mozilla/5.0", who)
			if rng.Float64() < 0.06 {
				at(2*time.Hour, 72*time.Hour)
				s.Click(ctx, tok, rng.IntN(visible), demoIPhone, access.Visitor(ip("90.12")))
			}
		case r < 0.62: // Gmail: its proxy fetches when the reader opens
			if rng.Float64() < 0.3 {
				at(time.Hour, 96*time.Hour)
				s.Open(ctx, tok, demoGmail, access.Visitor(ip("66.102")))
				if rng.Float64() < 0.25 {
					clock.at = clock.at.Add(time.Duration(30+rng.IntN(300)) * time.Second)
					s.Click(ctx, tok, rng.IntN(visible), demoBrowser, access.Visitor(ip("86.247")))
				}
			}
		default: // an office's mail: some behind a security gateway
			if rng.Float64() < 0.22 {
				at(5*time.Second, 20*time.Second)
				scanner := access.Visitor(ip("203.0"))
				s.Open(ctx, tok, demoBrowser, scanner)
				for l := 0; l <= trap; l++ {
					clock.at = clock.at.Add(200 * time.Millisecond)
					s.Click(ctx, tok, l, demoBrowser, scanner)
				}
			}
			if rng.Float64() < 0.24 {
				at(30*time.Minute, 120*time.Hour)
				reader := access.Visitor(ip("81.56"))
				s.Open(ctx, tok, demoOutlook, reader)
				if rng.Float64() < 0.3 {
					clock.at = clock.at.Add(time.Duration(20+rng.IntN(200)) * time.Second)
					s.Click(ctx, tok, rng.IntN(visible), demoBrowser, reader)
				}
			}
		}
	}
	return s.FlushHits(ctx)
}
