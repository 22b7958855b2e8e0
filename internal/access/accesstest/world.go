package accesstest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/organisation"
	"vivier/internal/store"
)

// Commune is the commune of each record's organisation: requester A
// belongs to the commune of 01001, requester B to Lyon's.
var Commune = map[string]string{"A": "01001", "B": "69123"}

// Neighbour is, for each record, a commune near its own (same
// département), whose needs may be mutualised with the record's.
var Neighbour = map[string]string{"A": "01004", "B": "69264"}

// World is one user of each kind, their organisations and the experts A
// and B, on one database, with the services that make the records.
type World struct {
	DB       *store.DB
	Geo      *geo.Reference
	Experts  *expert.Service
	Needs    *need.Service
	Missions *mission.Service
	// Users are the accounts of the actors (none for the anonymous
	// visitor and the system).
	Users map[string]int64
	// Orgs are the organisations of requester A and B ("A", "B") and of
	// the member ("agence").
	Orgs map[string]int64
	// Expert are the profiles of expert A and expert B ("A", "B"), linked
	// to their accounts; zero until Pool.
	Expert map[string]int64
	// Today is the first day of every need.
	Today date.Date
	seq   int
}

// NewWorld makes the organisations and the accounts of every actor on db.
func NewWorld(t testing.TB, db *store.DB) *World {
	t.Helper()
	ctx := context.Background()
	g := geo.Default()
	w := &World{DB: db, Geo: g, Users: map[string]int64{}, Orgs: map[string]int64{}, Expert: map[string]int64{},
		Today:    date.Today(),
		Experts:  expert.New(expert.Options{DB: db, Geo: g}),
		Needs:    need.New(need.Options{DB: db, Geo: g, BaseURL: "https://vivier.test"}),
		Missions: mission.New(mission.Options{DB: db, Geo: g, BaseURL: "https://vivier.test"}),
	}
	for _, r := range Records {
		o, err := organisation.EnsureCommune(ctx, db, g, Commune[r])
		if err != nil {
			t.Fatal(err)
		}
		w.Orgs[r] = o.ID
	}
	agence, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence de développement du Rhône"})
	if err != nil {
		t.Fatal(err)
	}
	w.Orgs["agence"] = agence.ID
	w.NewUsers(t)
	return w
}

// NewUsers gives every actor a fresh account (after a test that changed
// theirs); the expert profiles stay linked to the former ones.
func (w *World) NewUsers(t testing.TB) {
	t.Helper()
	for name, u := range map[string]struct {
		role access.Role
		org  string
	}{
		Admin: {access.Admin, ""}, Coordinator: {access.Coordinator, ""},
		ExpertA: {access.Expert, ""}, ExpertB: {access.Expert, ""},
		RequesterA: {access.Requester, "A"}, RequesterB: {access.Requester, "B"},
		Member: {access.Member, "agence"},
	} {
		w.Users[name] = w.User(t, u.role, w.Orgs[u.org])
	}
}

// User adds an active account of role in the organisation orgID (0 for
// none) and returns its id.
func (w *World) User(t testing.TB, role access.Role, orgID int64) int64 {
	t.Helper()
	w.seq++
	var org any
	if orgID != 0 {
		org = orgID
	}
	now := time.Now().UTC()
	var id int64
	err := w.DB.QueryRowContext(context.Background(), `INSERT INTO users (email, name, role, organisation_id, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'active', $5, $5) RETURNING id`,
		fmt.Sprintf("%s-%d@vivier.test", role, w.seq), fmt.Sprintf("%s n°%d", role.Label(), w.seq), string(role), org, now).Scan(&id)
	if err != nil {
		t.Fatalf("user %s: %v", role, err)
	}
	return id
}

// Actor is the actor named, as the services receive them.
func (w *World) Actor(name string) access.Actor {
	switch name {
	case Anonymous:
		return access.Visitor("192.0.2.1")
	case System:
		return access.System
	}
	role := map[string]access.Role{Admin: access.Admin, Coordinator: access.Coordinator, ExpertA: access.Expert, ExpertB: access.Expert,
		RequesterA: access.Requester, RequesterB: access.Requester, Member: access.Member}[name]
	org := map[string]string{RequesterA: "A", RequesterB: "B", Member: "agence"}[name]
	return access.Actor{UserID: w.Users[name], Role: role, OrganisationID: w.Orgs[org], Via: access.Session, IP: "192.0.2.2"}
}

// ExpertOf is the name of the expert of record.
func ExpertOf(record string) string { return "expert " + record }

// Profile is a qualified-looking profile for record: en poste (so that a
// mission needs the employer's agreement), national, available, skilled in
// what every need of the world asks.
func (w *World) Profile(record string) expert.Profile {
	w.seq++
	rate, years := 600, 12
	return expert.Profile{FirstName: "Expert", LastName: fmt.Sprintf("Record%s", record), Email: fmt.Sprintf("expert-%s-%d@exemple.fr", record, w.seq),
		Employment: expert.EnPoste, Commune: "69123", Zones: []string{"national"},
		Skills:       []expert.SkillLevel{{Code: "entreprises.foncier", Level: 4}, {Code: "management.direction_interim", Level: 4}},
		Availability: []expert.Period{{Start: w.Today.AddDays(-30), End: w.Today.AddDays(365), DaysPerWeek: 5}},
		DailyRate:    &rate, ExperienceYears: &years, Bio: "Vingt ans de développement économique."}
}

// NewExpert makes a qualified expert profile for record and, when link is
// set, makes it the profile of the account of expert record (the previous
// one loses the link); it returns its id.
func (w *World) NewExpert(t testing.TB, record string, link bool) int64 {
	t.Helper()
	ctx := context.Background()
	e, err := w.Experts.Create(ctx, w.Profile(record), access.System)
	if err != nil {
		t.Fatalf("expert %s: %v", record, err)
	}
	if err := w.Experts.SetStatus(ctx, e.ID, expert.Qualified, "", access.System); err != nil {
		t.Fatal(err)
	}
	if !link {
		return e.ID
	}
	user := w.Users[ExpertOf(record)]
	if _, err := w.DB.ExecContext(ctx, `UPDATE experts SET user_id = NULL WHERE user_id = $1`, user); err != nil {
		t.Fatal(err)
	}
	if err := w.Experts.LinkUser(ctx, e.ID, user, access.System); err != nil {
		t.Fatalf("link expert %s: %v", record, err)
	}
	w.Expert[record] = e.ID
	return e.ID
}

// Pool makes the profiles of expert A and expert B.
func (w *World) Pool(t testing.TB) {
	t.Helper()
	for _, r := range Records {
		w.NewExpert(t, r, true)
	}
}

// NeedInput is a need of record's organisation, in commune (its own when
// ""), of kind, from today for four weeks.
func (w *World) NeedInput(record, commune string, kind need.Kind) need.Input {
	if commune == "" {
		commune = Commune[record]
	}
	days := 2
	if kind == need.Interim {
		days = 5
	}
	return need.Input{Title: "Relancer la zone d’activités " + record, Description: "Requalifier la zone et accueillir des entreprises.",
		Commune: commune, Kind: kind, Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}},
		Start: w.Today, End: w.Today.AddDays(27), DaysPerWeek: days, Format: need.Onsite}
}

// Need makes a need of record's organisation (in commune, its own when
// ""), submitted or qualified, and returns its id.
func (w *World) Need(t testing.TB, record, commune string, kind need.Kind, status need.Status) int64 {
	t.Helper()
	ctx := context.Background()
	n, err := w.Needs.Create(ctx, w.NeedInput(record, commune, kind), access.System)
	if err != nil {
		t.Fatalf("need %s: %v", record, err)
	}
	if n.RequesterID != w.Orgs[record] && commune == "" {
		t.Fatalf("need %s asked by organisation %d, want %d", record, n.RequesterID, w.Orgs[record])
	}
	switch status {
	case need.Submitted:
	case need.Qualified:
		if err := w.Needs.Qualify(ctx, n.ID, "", access.System); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("accesstest: a need is made submitted or qualified, not %s", status)
	}
	return n.ID
}

// Proposal makes a need of record's organisation of kind and proposes
// expert record for it, then answers as status says (pending, accepted or
// declined); it returns the need's and the proposal's ids.
func (w *World) Proposal(t testing.TB, record string, kind need.Kind, status mission.ProposalStatus) (needID, proposalID int64) {
	t.Helper()
	ctx := context.Background()
	needID = w.Need(t, record, "", kind, need.Qualified)
	if n, err := w.Missions.Propose(ctx, needID, []int64{w.Expert[record]}, "Votre expérience du foncier", access.System); err != nil || n != 1 {
		t.Fatalf("propose expert %s: %d %v", record, n, err)
	}
	ps, err := w.Missions.NeedProposals(ctx, needID, access.System)
	if err != nil || len(ps) != 1 {
		t.Fatalf("proposals of need %d: %v %v", needID, ps, err)
	}
	proposalID = ps[0].ID
	switch status {
	case mission.Pending:
	case mission.Accepted, mission.Declined:
		if err := w.Missions.Answer(ctx, proposalID, status == mission.Accepted, "Pas disponible", access.System); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("accesstest: a proposal is made pending, accepted or declined, not %s", status)
	}
	return needID, proposalID
}

// Mission makes a mission of expert record for a need of record's
// organisation, of kind, and takes it to status; agreed says whether the
// employer agreed (a mission past planned always has). It returns its id.
func (w *World) Mission(t testing.TB, record string, kind need.Kind, status mission.Status, agreed bool) int64 {
	t.Helper()
	ctx := context.Background()
	s := w.Missions
	_, proposalID := w.Proposal(t, record, kind, mission.Accepted)
	id, err := s.Choose(ctx, proposalID, access.System)
	if err != nil {
		t.Fatalf("choose expert %s: %v", record, err)
	}
	if status == mission.Planned && !agreed {
		return id
	}
	token, err := s.RequestEmployer(ctx, id, "drh@employeur.fr", access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EmployerAnswer(ctx, token, true, ""); err != nil {
		t.Fatal(err)
	}
	steps := map[mission.Status][]mission.Status{mission.Planned: nil, mission.InProgress: {mission.InProgress},
		mission.Delivered: {mission.InProgress, mission.Delivered}, mission.Closed: {mission.InProgress, mission.Delivered, mission.Closed}}[status]
	for _, to := range steps {
		if to == mission.Delivered && kind == need.Interim {
			if err := s.SetHandover(ctx, id, "Dossiers en cours et contacts de l’agence.", access.System); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Move(ctx, id, to, access.System); err != nil {
			t.Fatalf("mission %d to %s: %v", id, to, err)
		}
	}
	return id
}
