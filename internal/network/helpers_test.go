package network_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/mail"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is a test's clock, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// set moves the clock to noon, Paris time, of day.
func (c *clock) set(day string) {
	d := date.MustParse(day)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, date.Paris()).UTC()
}

// fixture is the network service on a database, with its clock, an
// administrator and a coordinator.
type fixture struct {
	t        *testing.T
	ctx      context.Context
	db       *store.DB
	clock    *clock
	accounts *account.Service
	svc      *network.Service
	admin    access.Actor
	coord    access.Actor
	seq      int
}

func newFixture(t *testing.T, db *store.DB, today string) *fixture {
	t.Helper()
	c := &clock{}
	c.set(today)
	accounts := account.New(account.Options{DB: db, BaseURL: "https://vivier.test", Now: c.Now})
	f := &fixture{t: t, ctx: context.Background(), db: db, clock: c, accounts: accounts,
		svc: network.New(network.Options{DB: db, Geo: geo.Default(), Accounts: accounts, BaseURL: "https://vivier.test", Now: c.Now})}
	f.admin = f.staffActor(access.Admin)
	f.coord = f.staffActor(access.Coordinator)
	return f
}

// staffActor makes an account of role and returns it as an actor.
func (f *fixture) staffActor(role access.Role) access.Actor {
	f.t.Helper()
	f.seq++
	u, err := f.accounts.CreateWithPassword(f.ctx, account.NewUser{Email: fmt.Sprintf("%s-%d@federation.test", role, f.seq), Name: "Personne " + strconv.Itoa(f.seq), Role: role},
		"une phrase de passe assez longue", true)
	if err != nil {
		f.t.Fatal(err)
	}
	return u.Actor("192.0.2.9", access.Session)
}

// sirenFrom completes 8 digits into a SIREN whose Luhn key holds.
func sirenFrom(prefix string) string {
	for d := '0'; d <= '9'; d++ {
		s := prefix + string(d)
		if organisation.CheckSIREN(s) == "" {
			return s
		}
	}
	panic("no Luhn digit for " + prefix)
}

// fee is a fixed amount for a band.
func fee(n int64) *int64 { return &n }

// schedule is the schedule the tests use for year: 1 500 € under 1 M€,
// 4 000 € to 3 M€, then 2 000 € + 0,1 % capped at 10 000 €; collectivités
// 0,05 € per inhabitant.
func schedule(year int) network.Schedule {
	return network.Schedule{Year: year, Bands: []network.Band{
		{Basis: network.Budget, From: 0, To: 1_000_000, Fixed: fee(1_500)},
		{Basis: network.Budget, From: 1_000_000, To: 3_000_000, Fixed: fee(4_000)},
		{Basis: network.Budget, From: 3_000_000, Base: 2_000, RatePPM: 1_000, Cap: 10_000},
		{Basis: network.Population, From: 0, RatePPM: 50_000, Floor: 300},
	}}
}

// setSchedules sets the schedule of each year as the administrator.
func (f *fixture) setSchedules(years ...int) {
	f.t.Helper()
	for _, y := range years {
		if err := f.svc.SaveSchedule(f.ctx, schedule(y), f.admin); err != nil {
			f.t.Fatal(err)
		}
	}
}

// join makes an agency member with a budget and, when email is set, a
// referent; it returns the member.
func (f *fixture) join(name, siren string, budget int64, email string) network.Member {
	f.t.Helper()
	in := network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: name, SIREN: siren, Basis: budget,
		Email: "contact@" + siren + ".test", Phone: "04 72 00 00 00", Address: "1 place de la République\n69001 Lyon",
		Territory: []string{"dep:69"}, Themes: []string{"attractivite"}, Listed: true}}
	if email != "" {
		in.Referent = network.Invitation{Name: "Référent " + name, Email: email}
	}
	m, err := f.svc.Join(f.ctx, in, f.coord)
	if err != nil {
		f.t.Fatalf("join %s: %v", name, err)
	}
	return m
}

// staffOf returns the actor of the account with email (a member's staff).
func (f *fixture) staffOf(email string) access.Actor {
	f.t.Helper()
	u, err := account.ByEmail(f.ctx, f.db, email)
	if err != nil {
		f.t.Fatal(err)
	}
	return u.Actor("192.0.2.10", access.Session)
}

// membership returns the membership of org for year, as staff see it.
func (f *fixture) membership(org int64, year int) network.Membership {
	f.t.Helper()
	list, err := f.svc.Memberships(f.ctx, network.MembershipFilter{Year: year, OrgID: org}, f.coord)
	if err != nil || len(list) != 1 {
		f.t.Fatalf("membership %d of %d: %v %v", year, org, list, err)
	}
	return list[0]
}

// emails returns the outbox messages whose subject contains fragment.
func (f *fixture) emails(fragment string) []mail.Entry {
	f.t.Helper()
	list, err := mail.List(f.ctx, f.db, "", 0)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []mail.Entry
	for _, e := range list {
		if fragment == "" || strings.Contains(e.Message.Subject, fragment) {
			out = append(out, e)
		}
	}
	return out
}

// auditCount counts the audit entries of action.
func (f *fixture) auditCount(action string) int {
	f.t.Helper()
	var n int
	if err := f.db.QueryRowContext(f.ctx, `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}
