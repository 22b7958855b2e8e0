package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/store"
)

// The network part of the demo: 120 members over real territories — an
// agency for each of a hundred départements (the demo member account's
// for the Ain), eight regional agencies and twelve large
// intercommunalities —, last year's and this year's memberships walked
// through the real services (import, renewal, reminders, payments,
// resignations, lapse) so that every status is there, six partners with
// their agreements and counterparts (some late), and needs submitted by
// agencies so that engagement has figures to compare.

// The size of the demo network.
const (
	DemoDepartementAgencies = 100
	DemoRegionalAgencies    = 8
	DemoEPCIMembers         = 12
	DemoNewcomers           = 10 // of the département agencies, joining this year
)

// demoSchedule is the fee schedule of the demo's years.
func demoSchedule(year int) network.Schedule {
	fixed := func(n int64) *int64 { return &n }
	return network.Schedule{Year: year, Bands: []network.Band{
		{Basis: network.Budget, From: 0, To: 500_000, Fixed: fixed(900)},
		{Basis: network.Budget, From: 500_000, To: 1_000_000, Fixed: fixed(1_800)},
		{Basis: network.Budget, From: 1_000_000, To: 3_000_000, Fixed: fixed(4_000)},
		{Basis: network.Budget, From: 3_000_000, Base: 2_000, RatePPM: 1_000, Floor: 5_000, Cap: 12_000},
		{Basis: network.Population, From: 0, To: 200_000, Base: 500, RatePPM: 20_000},
		{Basis: network.Population, From: 200_000, Base: 2_000, RatePPM: 10_000, Cap: 25_000},
	}}
}

// demoMember is one member of the demo and its story.
type demoMember struct {
	name, siren, kind, zone, email, referent string
	basis                                    int64
	joined                                   int
	listed                                   bool
	themes                                   []string
	id                                       int64
	newcomer                                 bool
	fate                                     string // last year, then this year: "pays", "late", "resigns", "lapses"
}

// FillNetwork adds the demo's network, after the demo accounts: the demo
// member account becomes the referent of its agency, the Ain's.
func FillNetwork(ctx context.Context, db *store.DB, opts Options) error {
	ref := geo.Default()
	member, err := account.ByEmail(ctx, db, demoMemberEmail)
	if err != nil {
		return fmt.Errorf("the demo member account: %w", err)
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x72657365))
	clock := &demoClock{}
	accounts := account.New(account.Options{DB: db, BaseURL: opts.BaseURL, Now: clock.now})
	svc := network.New(network.Options{DB: db, Geo: ref, Accounts: accounts, BaseURL: opts.BaseURL, Now: clock.now})
	today := date.Today()
	year := today.Year
	at := func(d date.Date, hour int) {
		if d.After(today) {
			d = today
		}
		clock.at = time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, date.Paris())
	}
	defer func() { clock.at = time.Time{} }()
	day := func(y int, m time.Month, d int) date.Date { return date.Date{Year: y, Month: m, Day: d} }

	at(day(year-1, time.January, 8), 9)
	for _, y := range []int{year - 1, year} {
		if err := svc.SaveSchedule(ctx, demoSchedule(y), access.System); err != nil {
			return fmt.Errorf("demo schedule %d: %w", y, err)
		}
	}
	members := drawMembers(ref, rng, year)

	// Last year: the Ain's agency joins by hand, the others arrive by the
	// import of a members file, then the campaign calls them all.
	ain, err := svc.Join(ctx, network.JoinInput{OrganisationID: member.OrganisationID, MemberInput: network.MemberInput{Address: "1 place de la Préfecture\n01000 Bourg-en-Bresse",
		Website: "https://ain.example.fr", Email: "contact@ain.example.fr", Phone: "04 74 00 00 00", Themes: []string{"attractivite", "entreprises"},
		Territory: []string{"dep:01"}, Basis: 1_250_000, Listed: true}}, access.System)
	if err != nil {
		return fmt.Errorf("demo member of the Ain: %w", err)
	}
	if err := svc.SetReferent(ctx, ain.ID, member.ID, true, access.System); err != nil {
		return err
	}
	if _, err := svc.ImportMembers(ctx, bytes.NewReader(membersFile(members, false)), access.System); err != nil {
		return fmt.Errorf("demo members: %w", err)
	}
	for i := range members {
		if err := db.QueryRowContext(ctx, `SELECT id FROM organisations WHERE siren = $1`, members[i].siren).Scan(&members[i].id); err != nil && !members[i].newcomer {
			return fmt.Errorf("demo member %s: %w", members[i].name, err)
		}
	}
	at(day(year-1, time.January, 12), 10)
	if _, err := svc.Renew(ctx, year-1, access.System); err != nil {
		return err
	}
	old := slices.DeleteFunc(slices.Clone(members), func(m demoMember) bool { return m.newcomer })
	old = append(old, demoMember{name: ain.Name, id: ain.ID, fate: "pays pays"})
	if err := demoYear(ctx, svc, rng, at, old, year-1, day(year-1, time.January, 12), day(year-1, time.December, 20), 0); err != nil {
		return err
	}

	// This year: last year's unpaid lapse, the renewal calls the paying
	// members, who pay or not; newcomers join through the year.
	campaign := day(year, time.January, 6)
	at(campaign, 8)
	if _, err := svc.LapseOverdue(ctx, access.System); err != nil {
		return err
	}
	if _, err := svc.Renew(ctx, year, access.System); err != nil {
		return err
	}
	if err := demoYear(ctx, svc, rng, at, old, year, campaign, today.AddDays(-45), 1); err != nil {
		return err
	}
	if err := demoNewcomers(ctx, svc, rng, at, members, year, today); err != nil {
		return err
	}
	at(today, 7)
	if _, err := svc.LapseOverdue(ctx, access.System); err != nil {
		return err
	}
	if err := demoAgencyNeeds(ctx, db, opts, clock, members, today); err != nil {
		return err
	}
	return fillPartners(ctx, svc, at, year)
}

// demoYear pays, resigns or leaves unpaid the memberships of year of
// members, by their fate (its word for the year, 0 last year, 1 this),
// on days from first to last; it runs the reminders once on the way.
func demoYear(ctx context.Context, svc *network.Service, rng *rand.Rand, at func(date.Date, int), members []demoMember, year int, first, last date.Date, which int) error {
	if last.Before(first) {
		last = first
	}
	type step struct {
		on date.Date
		m  demoMember
	}
	var steps []step
	span := first.DaysUntil(last)
	for _, m := range members {
		// Four members in five settle within the payment term; the others
		// late, after the reminder.
		on := first.AddDays(rng.IntN(min(span, 25) + 1))
		if rng.IntN(5) == 0 && span > 36 {
			on = first.AddDays(36 + rng.IntN(span-35))
		}
		steps = append(steps, step{on, m})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].on.Before(steps[j].on) })
	reminded := false
	reasons := []string{"Fusion avec l’agence régionale au 1er juillet.", "Budget de l’agence réduit par le conseil départemental.", "Dissolution de l’agence votée en conseil d’administration."}
	modes := []network.PaymentMode{network.Transfer, network.Transfer, network.Mandate, network.Mandate, network.Cheque}
	for _, s := range steps {
		fate := strings.Fields(s.m.fate)[which]
		list, err := svc.Memberships(ctx, network.MembershipFilter{Year: year, OrgID: s.m.id}, access.System)
		if err != nil || len(list) == 0 {
			continue // resigned or lapsed last year: no membership this year
		}
		ms := list[0]
		if !reminded && s.on.After(first.AddDays(35)) {
			at(first.AddDays(35), 7)
			if _, err := svc.Remind(ctx, access.System); err != nil {
				return err
			}
			reminded = true
		}
		at(s.on, 11)
		switch fate {
		case "pays":
			err = svc.Pay(ctx, ms.ID, network.Payment{PaidOn: s.on, Mode: modes[rng.IntN(len(modes))]}, access.System)
		case "resigns":
			err = svc.Resign(ctx, ms.ID, reasons[rng.IntN(len(reasons))], access.System)
		case "discount":
			err = svc.SetFee(ctx, ms.ID, ms.Fee*3/4, "Réduction votée par le bureau : agence en restructuration.", access.System)
			if err == nil {
				err = svc.Pay(ctx, ms.ID, network.Payment{PaidOn: s.on, Mode: network.Transfer}, access.System)
			}
		}
		if err != nil {
			return fmt.Errorf("demo membership %d of %s: %w", year, s.m.name, err)
		}
	}
	return nil
}

// demoNewcomers joins this year's newcomers through the year, the last
// ones recently; their calls go out with a campaign of the last days, and
// a few without a referent wait for one.
func demoNewcomers(ctx context.Context, svc *network.Service, rng *rand.Rand, at func(date.Date, int), members []demoMember, year int, today date.Date) error {
	start := date.Date{Year: year, Month: time.January, Day: 20}
	n := 0
	var paying []int64
	for _, m := range members {
		if !m.newcomer {
			continue
		}
		on := start.AddDays(n * max(start.DaysUntil(today)-10, 0) / DemoNewcomers)
		at(on, 10)
		in := network.JoinInput{Kind: organisation.Kind(m.kind), MemberInput: network.MemberInput{Name: m.name, SIREN: m.siren, Basis: m.basis,
			Territory: []string{m.zone}, Themes: m.themes, Listed: m.listed, Website: "https://" + network.Slug(m.name) + ".example.fr"}}
		if n%3 != 2 {
			in.Referent = network.Invitation{Name: m.referent, Email: m.email}
		}
		joined, err := svc.Join(ctx, in, access.System)
		if err != nil {
			return fmt.Errorf("demo newcomer %s: %w", m.name, err)
		}
		if n%3 == 0 {
			paying = append(paying, joined.ID)
		}
		n++
	}
	at(today.AddDays(-3), 9)
	if _, err := svc.Renew(ctx, year, access.System); err != nil {
		return err
	}
	at(today.AddDays(-1), 15)
	for _, id := range paying {
		list, err := svc.Memberships(ctx, network.MembershipFilter{Year: year, OrgID: id}, access.System)
		if err != nil || len(list) != 1 {
			return fmt.Errorf("demo newcomer %d: %v", id, err)
		}
		if err := svc.Pay(ctx, list[0].ID, network.Payment{PaidOn: today.AddDays(-1 - rng.IntN(2)), Mode: network.Mandate}, access.System); err != nil {
			return err
		}
	}
	return nil
}

// drawMembers draws the demo's members (the Ain's agency apart).
func drawMembers(ref *geo.Reference, rng *rand.Rand, year int) []demoMember {
	var out []demoMember
	patterns := []string{"Agence de développement économique — %s", "%s Attractivité", "Agence économique %s", "%s Développement", "Agence d’attractivité %s"}
	fates := []string{"pays pays", "pays pays", "pays pays", "pays pays", "pays pays", "pays pays", "pays late", "pays discount", "late -", "resigns -", "pays resigns", "pays pays"}
	seq := 0
	add := func(m demoMember) {
		seq++
		m.siren = demoSIREN(seq)
		m.email = "direction@" + network.Slug(m.name) + ".demo.vivier.fr"
		m.referent = firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
		m.joined = year - 1 - rng.IntN(18)
		m.listed = rng.IntN(100) < 80
		m.themes = []string{domains[rng.IntN(len(domains))]}
		if t := domains[rng.IntN(len(domains))]; t != m.themes[0] {
			m.themes = append(m.themes, t)
		}
		m.fate = fates[seq%len(fates)]
		out = append(out, m)
	}
	deps := ref.Departements()
	for i := 0; len(out) < DemoDepartementAgencies-1 && i < len(deps); i++ {
		d := deps[i]
		if d.Code == "01" {
			continue // the demo member account's agency
		}
		add(demoMember{name: fmt.Sprintf(patterns[i%len(patterns)], d.Name), kind: "agence", zone: "dep:" + d.Code,
			basis: int64(250_000 + 50_000*rng.IntN(150))})
	}
	for i, g := range ref.Regions() {
		if i == DemoRegionalAgencies {
			break
		}
		add(demoMember{name: "Agence régionale de développement — " + g.Name, kind: "agence", zone: "reg:" + g.Code, basis: int64(3_000_000 + 250_000*rng.IntN(40))})
	}
	for _, e := range largestEPCIs(ref, DemoEPCIMembers) {
		add(demoMember{name: e.Name, kind: "epci", zone: "epci:" + e.SIREN, basis: int64(e.population), siren: e.SIREN})
	}
	for i := range out {
		if out[i].kind == "epci" {
			out[i].siren = out[i].zone[len("epci:"):]
			out[i].email = "economie@" + network.Slug(out[i].name) + ".demo.vivier.fr"
		}
		// Newcomers: one agency in ten joins this year.
		out[i].newcomer = out[i].kind == "agence" && out[i].zone[:4] == "dep:" && i%10 == 9 && countNew(out[:i]) < DemoNewcomers
	}
	return out
}

func countNew(list []demoMember) int {
	n := 0
	for _, m := range list {
		if m.newcomer {
			n++
		}
	}
	return n
}

// epciSize is an EPCI with its population.
type epciSize struct {
	geo.EPCI
	population int
}

// largestEPCIs are the n most populated EPCI of the reference.
func largestEPCIs(ref *geo.Reference, n int) []epciSize {
	var list []epciSize
	for e := range ref.EPCIs() {
		p := 0
		for _, code := range e.Members {
			if c, ok := ref.Commune(code); ok {
				p += c.Population
			}
		}
		list = append(list, epciSize{e, p})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].population > list[j].population })
	return list[:min(n, len(list))]
}

// demoSIREN is the seq-th SIREN of the demo's agencies: 8xx… with its
// Luhn key, apart from the communes' and EPCI's (2xx…).
func demoSIREN(seq int) string {
	prefix := fmt.Sprintf("8%07d", 4_000_000+seq*37)
	for d := '0'; d <= '9'; d++ {
		if organisation.CheckSIREN(prefix+string(d)) == "" {
			return prefix + string(d)
		}
	}
	panic("demo: no Luhn key for " + prefix)
}

// membersFile writes the members file the demo imports: every member but
// the newcomers.
func membersFile(members []demoMember, newcomers bool) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.Write([]string{"organisation", "siren", "type", "budget", "population", "email_referent", "nom_referent", "site", "territoire", "themes", "annuaire_public", "annee_adhesion"})
	for _, m := range members {
		if m.newcomer != newcomers {
			continue
		}
		budget, population := fmt.Sprint(m.basis), ""
		if m.kind == "epci" {
			budget, population = "", fmt.Sprint(m.basis)
		}
		listed := "non"
		if m.listed {
			listed = "oui"
		}
		w.Write([]string{m.name, m.siren, m.kind, budget, population, m.email, m.referent, "https://" + network.Slug(m.name) + ".example.fr", m.zone,
			strings.Join(m.themes, "|"), listed, fmt.Sprint(m.joined)})
	}
	w.Flush()
	return buf.Bytes()
}
