package mission

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/mail"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var system = access.System

func ptr(n int) *int { return &n }

// fixture is a qualified need of commune 01001 and two qualified experts,
// the first en_poste.
type fixture struct {
	s       *Service
	clock   *time.Time // the service's now when set, else the real time
	needID  int64
	experts []int64
	needs   *need.Service
	today   date.Date
	orgID   int64
}

func newFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	return newFixtureOf(t, db, need.Mission, date.Today())
}

func newFixtureOf(t *testing.T, db *store.DB, kind need.Kind, start date.Date) fixture {
	t.Helper()
	return newFixtureIn(t, db, kind, start, "01001")
}

// newFixtureIn is newFixtureOf for a need of the commune with INSEE code
// commune.
func newFixtureIn(t *testing.T, db *store.DB, kind need.Kind, start date.Date, commune string) fixture {
	t.Helper()
	ctx := context.Background()
	today := date.Today()
	needs := need.New(need.Options{DB: db, Geo: geo.Default()})
	n, err := submitConfirmed(t, ctx, db, needs, need.Input{Title: "Relancer la zone d’activités", Description: "Requalifier la zone.", Commune: commune,
		Kind: kind, Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}},
		Start: start, End: start.AddDays(27), DaysPerWeek: daysPerWeek(kind), Format: need.Onsite,
		Contact: &need.Contact{Name: "Jeanne Rivière", Email: "mairie@exemple.fr", Role: "maire"}}, system)
	if err != nil {
		t.Fatal(err)
	}
	if err := needs.Qualify(ctx, n.ID, "", system); err != nil {
		t.Fatal(err)
	}
	ex := expert.New(expert.Options{DB: db, Geo: geo.Default()})
	var ids []int64
	for i, emp := range []expert.Employment{expert.EnPoste, expert.Independant} {
		e, err := ex.Create(ctx, expert.Profile{FirstName: "Expert", LastName: []string{"Alpha", "Bravo"}[i], Email: []string{"a@x.fr", "b@x.fr"}[i],
			Employment: emp, Commune: "69123", Zones: []string{"national"}, Skills: []expert.SkillLevel{{Code: "entreprises.foncier", Level: 3}},
			DailyRate: ptr(600)}, system)
		if err != nil {
			t.Fatal(err)
		}
		if err := ex.SetStatus(ctx, e.ID, expert.Qualified, "", system); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	clock := new(time.Time)
	s := New(Options{DB: db, Geo: geo.Default(), BaseURL: "https://vivier.example", Now: func() time.Time {
		if clock.IsZero() {
			return time.Now()
		}
		return *clock
	}})
	return fixture{s: s, clock: clock, needID: n.ID, experts: ids, needs: needs, today: today, orgID: n.RequesterID}
}

func fieldOf(err error) string {
	if list, ok := valid.As(err); ok && len(list) > 0 {
		return list[0].Field + ": " + list[0].Message
	}
	return ""
}

func TestProposalsToClosedMissionWithReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		s := f.s
		n, err := s.Propose(ctx, f.needID, f.experts, "Votre expérience du foncier", system)
		if err != nil || n != 2 {
			t.Fatalf("propose: %d %v", n, err)
		}
		if n, err := s.Propose(ctx, f.needID, f.experts, "encore", system); err != nil || n != 0 {
			t.Fatalf("a second submit created %d proposals (%v)", n, err)
		}
		if nd, _ := f.needs.Get(ctx, f.needID, access.System); nd.Status != need.Proposed {
			t.Errorf("need status %s after proposing", nd.Status)
		}
		ps, err := s.NeedProposals(ctx, f.needID, access.System)
		if err != nil || len(ps) != 2 {
			t.Fatal(ps, err)
		}
		if err := s.Answer(ctx, ps[1].ID, false, "", system); fieldOf(err) == "" {
			t.Errorf("declining without a reason: %v", err)
		}
		if err := s.Answer(ctx, ps[1].ID, false, "Pas disponible en décembre", system); err != nil {
			t.Fatal(err)
		}
		if err := s.Answer(ctx, ps[1].ID, true, "", system); !strings.Contains(fieldOf(err), "déclinée") {
			t.Errorf("changing a given answer: %v", err)
		}
		for range 2 {
			if err := s.Answer(ctx, ps[0].ID, true, "", system); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Choose(ctx, ps[1].ID, system); fieldOf(err) == "" {
			t.Errorf("choosing a declined proposal: %v", err)
		}
		id, err := s.Choose(ctx, ps[0].ID, system)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := s.Choose(ctx, ps[0].ID, system); err != nil || again != id {
			t.Errorf("choosing twice: %d %v, want %d", again, err, id)
		}
		if nd, _ := f.needs.Get(ctx, f.needID, access.System); nd.Status != need.Assigned {
			t.Errorf("need status %s after choosing", nd.Status)
		}
		h, err := HistoryOf(ctx, db, geo.Default(), f.experts[:1], f.today)
		if err != nil {
			t.Fatal(err)
		}
		if got := h[f.experts[0]]; got.ActiveMissions != 1 || len(got.Commitments) != 1 ||
			got.Commitments[0] != (Commitment{Start: f.today, End: f.today.AddDays(27), DaysPerWeek: 2}) {
			t.Errorf("history of a planned mission %+v", got)
		}
		m, err := s.Get(ctx, id, access.System)
		if err != nil || m.Employer != Awaited || m.DailyRate != 600 || m.PlannedDays != 8 || m.Domain != "entreprises" {
			t.Fatalf("mission %+v %v", m, err)
		}
		// Skipping a step, and starting without the employer's agreement.
		if err := s.Move(ctx, id, Delivered, system); !strings.Contains(fieldOf(err), "passe d’abord à « en cours »") {
			t.Errorf("skipping a step: %v", err)
		}
		if err := s.Move(ctx, id, InProgress, system); !strings.Contains(fieldOf(err), "accord de l’employeur") {
			t.Errorf("starting without agreement: %v", err)
		}
		token, err := s.RequestEmployer(ctx, id, "drh@agence.fr", system)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EmployerAnswer(ctx, token, true, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.EmployerAnswer(ctx, token, false, "non"); !errors.Is(err, ErrAnswered) {
			t.Errorf("a replayed employer link: %v", err)
		}
		if err := s.LogDay(ctx, id, f.today, 2, "", system); fieldOf(err) == "" {
			t.Error("days logged on a planned mission")
		}
		if err := s.Move(ctx, id, InProgress, system); err != nil {
			t.Fatal(err)
		}
		if err := s.LogDay(ctx, id, f.today.AddDays(-1), 2, "avant", system); !strings.Contains(fieldOf(err), "commence le") {
			t.Errorf("a day before the start: %v", err)
		}
		if err := s.LogDay(ctx, id, f.today, 2, "Visite de la zone", system); err != nil {
			t.Fatal(err)
		}
		if err := s.LogDay(ctx, id, f.today, 1, "", system); !strings.Contains(fieldOf(err), "déjà saisis") {
			t.Errorf("the same day twice: %v", err)
		}
		pdf := []byte("%PDF-1.4\n% livrable\n")
		if err := s.AddFile(ctx, id, "diagnostic.pdf", []byte("PK\x03\x04 pas un pdf"), system); fieldOf(err) == "" {
			t.Error("a ZIP named .pdf was stored")
		}
		if err := s.AddFile(ctx, id, "notes.exe", pdf, system); !strings.Contains(fieldOf(err), "refusé") {
			t.Errorf("an .exe: %v", err)
		}
		for range 2 {
			if err := s.AddFile(ctx, id, "diagnostic.pdf", pdf, system); err != nil {
				t.Fatal(err)
			}
		}
		if files, _ := s.Files(ctx, id, access.System); len(files) != 1 {
			t.Errorf("%d files after a double upload", len(files))
		}
		if err := s.AddReview(ctx, id, 5, "", system); fieldOf(err) == "" {
			t.Error("a mission in progress was reviewed")
		}
		for _, to := range []Status{Delivered, Closed} {
			if err := s.Move(ctx, id, to, system); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddReview(ctx, id, 4, "Très utile", system); err != nil {
			t.Fatal(err)
		}
		if err := s.AddReview(ctx, id, 1, "", system); !errors.Is(err, ErrAnswered) {
			t.Errorf("a second review: %v", err)
		}
		h, err = HistoryOf(ctx, db, geo.Default(), f.experts, f.today)
		if err != nil {
			t.Fatal(err)
		}
		// 01001 (L'Abergement-Clémenciat) has fewer than 3,500 inhabitants.
		c, _ := geo.Default().Commune("01001")
		want := History{ReviewCount: 1, ReviewSum: 4, ProposalsLast90Days: 1}
		want.PastMissionsBySizeClass[c.SizeClass()-1] = 1
		if got := h[f.experts[0]]; got.ReviewCount != 1 || got.ReviewSum != 4 || got.PastMissionsBySizeClass != want.PastMissionsBySizeClass ||
			got.ActiveMissions != 0 || got.ProposalsLast90Days != 1 || len(got.Commitments) != 0 {
			t.Errorf("history of the chosen expert %+v", got)
		}
		if got := h[f.experts[1]]; got.ProposalsLast90Days != 1 || got.ReviewCount != 0 {
			t.Errorf("history of the expert who declined %+v", got)
		}
		// Cost: 1 day logged × 600 € against 1 000 € for "entreprises".
		m, _ = s.Get(ctx, id, access.System)
		if m.Cost() != 600 || Saving(m, DefaultRates) != 400 {
			t.Errorf("cost %d saving %d", m.Cost(), Saving(m, DefaultRates))
		}
		st, err := computeStats(ctx, db, geo.Default(), f.today.AddDays(-1), f.today)
		if err != nil {
			t.Fatal(err)
		}
		if st.DaysDelivered != 1 || st.ReviewCount != 1 || st.MeanReview != 4 || st.Saving != 400 || st.Cost != 600 ||
			st.MissionsByStatus[3].Value != 1 || st.Proposals[2].Value != 1 || st.Proposals[4].Value != 1 || st.MedianDaysToProposal != 0 {
			t.Errorf("stats %+v", st)
		}
		// A period before the journey counts none of it.
		before, err := computeStats(ctx, db, geo.Default(), f.today.AddDays(-60), f.today.AddDays(-30))
		if err != nil {
			t.Fatal(err)
		}
		if before.DaysDelivered != 0 || before.ReviewCount != 0 || before.Cost != 0 || before.Proposals[4].Value != 0 || before.MedianDaysToProposal != -1 {
			t.Errorf("stats of an earlier period %+v", before)
		}
		msgs, err := mail.List(ctx, db, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var to []string
		for _, m := range msgs {
			to = append(to, m.Message.To)
		}
		if j := strings.Join(to, " "); !strings.Contains(j, "drh@agence.fr") || !strings.Contains(j, "b@x.fr") || !strings.Contains(j, "mairie@exemple.fr") {
			t.Errorf("emails went to %s", j)
		}
	})
}

func TestProposalsExpireAfterFiveWorkingDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		*f.clock = monday
		if _, err := f.s.Propose(ctx, f.needID, f.experts[:1], "", system); err != nil {
			t.Fatal(err)
		}
		ps, _ := f.s.NeedProposals(ctx, f.needID, access.System)
		if ps[0].DueDate != date.MustParse("2026-11-30") {
			t.Errorf("due %s, want the next Monday", ps[0].DueDate)
		}
		*f.clock = monday.AddDate(0, 0, 7)
		if n, err := f.s.ExpireDue(ctx, system); err != nil || n != 0 {
			t.Fatalf("expired on the due day: %d %v", n, err)
		}
		*f.clock = monday.AddDate(0, 0, 8)
		if n, err := f.s.ExpireDue(ctx, system); err != nil || n != 1 {
			t.Fatalf("expired %d %v", n, err)
		}
		if err := f.s.Answer(ctx, ps[0].ID, true, "", system); fieldOf(err) == "" {
			t.Error("an expired proposal was accepted")
		}
	})
}

func TestDigestAndOneReminderAfterTheGracePeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		// Expert Alpha has an account that chose the daily digest.
		var uid int64
		if err := db.QueryRowContext(ctx, `INSERT INTO users (email, name, role, status, created_at, updated_at)
			VALUES ('a@x.fr', 'Expert Alpha', 'expert', 'active', $1, $1) RETURNING id`, time.Now().UTC()).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `UPDATE users SET mail_digest = TRUE WHERE id = $1`, uid); err != nil {
			t.Fatal(err)
		}
		start := time.Now().UTC()
		*f.clock = start
		if _, err := f.s.Propose(ctx, f.needID, f.experts, "", system); err != nil {
			t.Fatal(err)
		}
		sentTo := func() map[string]int {
			msgs, err := mail.List(ctx, db, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, m := range msgs {
				out[m.Message.To]++
			}
			return out
		}
		if got := sentTo(); got["a@x.fr"] != 0 || got["b@x.fr"] != 1 {
			t.Fatalf("immediate emails %v: the digest reader got one, or the other none", got)
		}
		if n, err := f.s.Remind(ctx, system); err != nil || n != 0 {
			t.Fatalf("reminders within the grace period: %d %v", n, err)
		}
		*f.clock = start.Add(GracePeriod + time.Hour)
		for i, want := range []int{2, 0} {
			if n, err := f.s.Remind(ctx, system); err != nil || n != want {
				t.Fatalf("reminder round %d: %d %v, want %d", i, n, err, want)
			}
		}
		if n, err := f.s.SendDigests(ctx, system); err != nil || n != 1 {
			t.Fatalf("digests %d %v", n, err)
		}
		if n, err := f.s.SendDigests(ctx, system); err != nil || n != 0 {
			t.Fatalf("digests sent twice: %d %v", n, err)
		}
		msgs, _ := mail.List(ctx, db, "", 100)
		for _, m := range msgs {
			if m.Message.To == "a@x.fr" && (!strings.Contains(m.Message.Text, "Une mission vous est proposée") || !strings.Contains(m.Message.Text, "Rappel")) {
				t.Errorf("the digest misses a line: %s", m.Message.Text)
			}
		}
		if got := sentTo(); got["a@x.fr"] != 1 || got["b@x.fr"] != 2 {
			t.Errorf("emails %v, want one digest for a and a proposal and one reminder for b", got)
		}
	})
}

// daysPerWeek is what a need of kind asks: an interim direction is at
// least 4 days a week.
func daysPerWeek(kind need.Kind) int {
	if kind == need.Interim {
		return 4
	}
	return 2
}

func TestInterimStartsWithinDaysWithWeeklyCheckInsAndHandover(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixtureOf(t, db, need.Interim, date.Today().AddDays(30))
		s := f.s
		if _, err := s.Propose(ctx, f.needID, f.experts[1:], "", system); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.NeedProposals(ctx, f.needID, access.System)
		if err := s.Answer(ctx, ps[0].ID, true, "", system); err != nil {
			t.Fatal(err)
		}
		id, err := s.Choose(ctx, ps[0].ID, system)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := s.Get(ctx, id, access.System)
		if m.Start != f.today.AddDays(InterimStartDays) {
			t.Errorf("an interim asked in 30 days starts %s, want within %d days", m.Start, InterimStartDays)
		}
		if err := s.AddCheckIn(ctx, id, f.today, "Semaine 1", system); fieldOf(err) == "" {
			t.Error("a check-in before the start")
		}
		if err := s.Move(ctx, id, InProgress, system); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCheckIn(ctx, id, f.today, "Budget revu avec le président.", system); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCheckIn(ctx, id, f.today, "encore", system); !strings.Contains(fieldOf(err), "déjà enregistré") {
			t.Errorf("two check-ins in a week: %v", err)
		}
		if err := s.Move(ctx, id, Delivered, system); !strings.Contains(fieldOf(err), "note de passation") {
			t.Errorf("delivered without a handover: %v", err)
		}
		if err := s.SetHandover(ctx, id, "Dossiers en cours, contacts, échéances.", system); err != nil {
			t.Fatal(err)
		}
		if err := s.Move(ctx, id, Delivered, system); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.CheckIns(ctx, id, access.System); len(c) != 1 || c[0].Week.Weekday() != time.Monday {
			t.Errorf("check-ins %+v", c)
		}
	})
}

func TestMutualisedMissionIsReviewedByEachRequester(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		s := f.s
		// A second need, of the neighbouring commune 01002.
		n2, err := submitConfirmed(t, ctx, db, f.needs, need.Input{Title: "Zone d’activités voisine", Commune: "01002", Kind: need.Mission,
			Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}}, Start: f.today, End: f.today.AddDays(27),
			DaysPerWeek: 1, Format: need.Onsite, Contact: &need.Contact{Name: "Paul Martin", Email: "mairie2@exemple.fr"}}, system)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Propose(ctx, f.needID, f.experts[1:], "", system); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.NeedProposals(ctx, f.needID, access.System)
		_ = s.Answer(ctx, ps[0].ID, true, "", system)
		id, err := s.Choose(ctx, ps[0].ID, system)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Pool(ctx, id, n2.ID, system); !strings.Contains(fieldOf(err), "seul un besoin qualifié") {
			t.Errorf("pooling a need only submitted: %v", err)
		}
		if err := f.needs.Qualify(ctx, n2.ID, "", system); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := s.Pool(ctx, id, n2.ID, system); err != nil {
				t.Fatal(err)
			}
		}
		if nd, _ := f.needs.Get(ctx, n2.ID, access.System); nd.Status != need.Assigned {
			t.Errorf("pooled need %s", nd.Status)
		}
		if h, _ := f.needs.History(ctx, n2.ID, access.System); len(h) != 4 {
			t.Errorf("history of the pooled need has %d lines, want submitted, qualified, proposed, assigned", len(h))
		}
		for _, to := range []Status{InProgress, Delivered} {
			if err := s.Move(ctx, id, to, system); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddReview(ctx, id, 5, "", system); err != nil {
			t.Fatal(err)
		}
		second := requesterActor(t, db, n2.RequesterID)
		if err := s.AddReview(ctx, id, 3, "", second); err != nil {
			t.Fatal(err)
		}
		if rv, _ := s.Reviews(ctx, id, access.System); len(rv) != 2 {
			t.Errorf("%d reviews of a mission serving two requesters", len(rv))
		}
		if _, err := s.Get(ctx, id, second); err != nil {
			t.Errorf("the second requester is not served: %v", err)
		}
	})
}

// requesterActor returns a signed-in requester of organisation orgID (a new
// account of that organisation).
func requesterActor(t *testing.T, db *store.DB, orgID int64) access.Actor {
	t.Helper()
	var uid int64
	err := db.QueryRowContext(context.Background(), `INSERT INTO users (email, name, role, organisation_id, status, created_at, updated_at)
		VALUES ($1, 'Demandeur', 'requester', $2, 'active', $3, $3) RETURNING id`,
		"demandeur"+strconv.FormatInt(orgID, 10)+"@exemple.fr", orgID, time.Now().UTC()).Scan(&uid)
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{UserID: uid, Role: access.Requester, OrganisationID: orgID, Via: access.Session}
}
