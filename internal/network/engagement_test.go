package network_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/network"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// events is an engagement source as the events package will provide:
// events attended by organisation, in periods.
type events struct {
	attended map[int64][]date.Date
}

func (e events) Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	for org, days := range e.attended {
		for _, d := range days {
			if !d.Before(from) && !d.After(to) {
				if out[org] == nil {
					out[org] = map[string]int{}
				}
				out[org]["events_attended"]++
			}
		}
	}
	return out, nil
}

// TestEngagement counts what two agencies did in the pool and at events,
// scores it with the shown formula, and flags the one whose engagement
// fell by more than half before its renewal.
func TestEngagement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2026-03-01")
		f.setSchedules(2026, 2027)
		alpha := f.join("Agence Alpha", sirenFrom("61111111"), 2_000_000, "alpha@agence.test")
		bravo := f.join("Agence Bravo", sirenFrom("62222222"), 2_500_000, "bravo@agence.test")
		ev := events{attended: map[int64][]date.Date{
			// Bravo went to 6 events last year and 1 this year.
			bravo.ID: {date.MustParse("2025-03-01"), date.MustParse("2025-04-01"), date.MustParse("2025-05-01"), date.MustParse("2025-06-01"),
				date.MustParse("2025-09-01"), date.MustParse("2025-10-01"), date.MustParse("2026-05-01")},
			alpha.ID: {date.MustParse("2026-06-01")},
		}}
		svc := network.New(network.Options{DB: db, Geo: geo.Default(), Accounts: f.accounts, Now: f.clock.Now, Sources: []network.EngagementSource{ev}})

		// Alpha asks a need, served by an expert Bravo employs.
		ctx := f.ctx
		ref := geo.Default()
		pool := expert.New(expert.Options{DB: db, Geo: ref, Now: f.clock.Now})
		rate := 600
		e, err := pool.Create(ctx, expert.Profile{FirstName: "Lina", LastName: "Garnier", Email: "lina.garnier@bravo.test", Employment: expert.Independant,
			EmployerSIREN: bravo.SIREN, Commune: "69123", Zones: []string{"national"}, Skills: []expert.SkillLevel{{Code: "entreprises.foncier", Level: 4}},
			Availability: []expert.Period{{Start: date.MustParse("2026-01-01"), End: date.MustParse("2026-12-31"), DaysPerWeek: 5}}, DailyRate: &rate}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := pool.SetStatus(ctx, e.ID, expert.Qualified, "", access.System); err != nil {
			t.Fatal(err)
		}
		needs := need.New(need.Options{DB: db, Geo: ref, Now: f.clock.Now})
		n, err := needs.Create(ctx, need.Input{Title: "Relancer la zone d’activités", Description: "Requalifier la zone.", Commune: "69123", RequesterSIREN: alpha.SIREN,
			Kind: need.Mission, Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}}, Start: date.MustParse("2026-04-01"),
			End: date.MustParse("2026-06-30"), DaysPerWeek: 2, Format: need.Onsite}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := needs.Qualify(ctx, n.ID, "", access.System); err != nil {
			t.Fatal(err)
		}
		missions := mission.New(mission.Options{DB: db, Geo: ref, Now: f.clock.Now})
		if _, err := missions.Propose(ctx, n.ID, []int64{e.ID}, "", access.System); err != nil {
			t.Fatal(err)
		}
		ps, err := missions.NeedProposals(ctx, n.ID, access.System)
		if err != nil || len(ps) != 1 {
			t.Fatal(ps, err)
		}
		if err := missions.Answer(ctx, ps[0].ID, true, "", access.System); err != nil {
			t.Fatal(err)
		}
		missionID, err := missions.Choose(ctx, ps[0].ID, access.System)
		if err != nil {
			t.Fatal(err)
		}

		from, to := date.MustParse("2026-01-01"), date.MustParse("2026-12-31")
		if _, err := svc.EngagementTable(ctx, to, from, "score", f.coord); !hasField(err, "to") {
			t.Errorf("a period upside down: %v", err)
		}
		tab, err := svc.EngagementTable(ctx, from, to, "score", f.coord)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tab.Formula, "score = 3 × événements suivis + 3 × formations suivies + 5 × experts apportés au vivier") {
			t.Errorf("formula %q", tab.Formula)
		}
		if !tab.Tracked["events_attended"] || !tab.Tracked["needs_submitted"] || tab.Tracked["trainings_attended"] || tab.Tracked["newsletter_human_opens"] {
			t.Errorf("tracked activities: %v", tab.Tracked)
		}
		if tab.PrevFrom != date.MustParse("2025-01-01") || tab.PrevTo != date.MustParse("2025-12-31") {
			t.Errorf("previous period %s..%s", tab.PrevFrom, tab.PrevTo)
		}
		rows := map[string]network.EngagementRow{}
		for _, r := range tab.Rows {
			rows[r.Name] = r
		}
		a, b := rows["Agence Alpha"], rows["Agence Bravo"]
		if a.Counts["needs_submitted"] != 1 || a.Counts["missions_requested"] != 1 || a.Counts["events_attended"] != 1 || a.Score != 2+4+3 {
			t.Errorf("Alpha: %+v", a)
		}
		if b.Counts["experts_contributed"] != 1 || b.Counts["missions_hosted"] != 1 || b.Counts["events_attended"] != 1 || b.Score != 5+4+3 || b.Previous != 6*3 {
			t.Errorf("Bravo: %+v", b)
		}
		if tab.Rows[0].Name != "Agence Bravo" {
			t.Errorf("sorted by score: %s first", tab.Rows[0].Name)
		}
		// Bravo fell from 18 to 12: not more than half.
		if b.Churn || a.Churn {
			t.Errorf("churn flags over 2026: %v %v", a.Churn, b.Churn)
		}
		churn := func(from, to string) map[string]network.EngagementRow {
			t.Helper()
			q, err := svc.EngagementTable(ctx, date.MustParse(from), date.MustParse(to), "churn", f.coord)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]network.EngagementRow{}
			for _, r := range q.Rows {
				out[r.Name] = r
			}
			return out
		}
		// The last quarter against the third: Bravo's expert is still in
		// the pool, Alpha did nothing in either. No flag.
		for _, r := range churn("2026-10-01", "2026-12-31") {
			if r.Churn || r.RenewalYear != 2027 {
				t.Errorf("Q4 2026: %+v", r)
			}
		}
		// The second half against the first, just before the renewal of
		// 2027: both fell by more than half.
		h2 := churn("2026-07-01", "2026-12-31")
		if !h2["Agence Alpha"].Churn || !h2["Agence Bravo"].Churn || h2["Agence Alpha"].Previous != 9 || h2["Agence Bravo"].Score != 5 {
			t.Errorf("H2 2026: %+v", h2)
		}
		// Once Alpha has paid its renewal, it is no longer at risk.
		if err := svc.Pay(ctx, f.membership(alpha.ID, 2026).ID, network.Payment{PaidOn: date.MustParse("2026-03-01"), Mode: network.Transfer}, f.coord); err != nil {
			t.Fatal(err)
		}
		f.clock.set("2026-12-01")
		if _, err := svc.Renew(ctx, 2027, f.coord); err != nil {
			t.Fatal(err)
		}
		if err := svc.Pay(ctx, f.membership(alpha.ID, 2027).ID, network.Payment{PaidOn: date.MustParse("2026-12-01"), Mode: network.Transfer}, f.coord); err != nil {
			t.Fatal(err)
		}
		if h2 = churn("2026-07-01", "2026-12-31"); h2["Agence Alpha"].Churn || h2["Agence Alpha"].Renewal != network.Paid || !h2["Agence Bravo"].Churn {
			t.Errorf("H2 2026 once Alpha renewed: %+v", h2)
		}

		// One agency's page lists the records behind each figure.
		one, err := svc.MemberEngagement(ctx, bravo.ID, from, to, f.staffOf("bravo@agence.test"))
		if err != nil {
			t.Fatal(err)
		}
		if recs := one.Records["missions_hosted"]; len(recs) != 1 || recs[0].Label != "Relancer la zone d’activités" || recs[0].Path != "/missions/"+itoa(missionID) {
			t.Errorf("records of missions hosted: %+v", recs)
		}
		if recs := one.Records["experts_contributed"]; len(recs) != 1 || recs[0].Label != "Lina Garnier" || recs[0].Path != "/experts/"+itoa(e.ID) {
			t.Errorf("records of experts: %+v", recs)
		}
		if _, err := svc.MemberEngagement(ctx, alpha.ID, from, to, f.staffOf("bravo@agence.test")); access.CodeOf(err) != access.NotFound {
			t.Errorf("Bravo read Alpha's engagement: %v", err)
		}
		if _, err := svc.EngagementTable(ctx, from, to, "", f.staffOf("bravo@agence.test")); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member read the engagement table: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
