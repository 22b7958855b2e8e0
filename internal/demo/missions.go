package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/pdf"
	"vivier/internal/store"
)

// demoMission is one need of the missions' demo and how far it goes.
type demoMission struct {
	title, skill string
	kind         need.Kind
	stage        string // "closed", "in_progress", "planned", "to_choose"
	rating       int    // 0: not reviewed yet
	demoOrg      bool   // the demo requester's commune asks it
	demoExpert   bool   // the demo expert is proposed (and chosen)
}

var demoMissions = []demoMission{
	{"Diagnostic du foncier économique", "entreprises.foncier", need.Mission, "closed", 5, false, false},
	{"Stratégie d’attractivité du territoire", "attractivite.strategie", need.Mission, "closed", 4, false, false},
	{"Structurer la filière bois locale", "filieres.diagnostic", need.Mission, "closed", 5, false, false},
	{"Dossier de fonds européens pour la zone artisanale", "strategie.fonds_europeens", need.Mission, "closed", 0, true, false},
	{"Direction par intérim de l’agence", "management.direction_interim", need.Interim, "in_progress", 0, false, false},
	{"Revitalisation du centre-bourg", "entreprises.commerce", need.Mission, "in_progress", 0, false, true},
	{"Plan de reprise des commerces", "entreprises.transmission", need.Mission, "planned", 0, false, false},
	{"Accueil d’une entreprise industrielle", "entreprises.accueil", need.Mission, "to_choose", 0, true, true},
}

var demoReviews = map[int]string{
	5: "Un diagnostic clair, partagé avec les élus ; nous avons lancé le plan d’action.",
	4: "Travail sérieux et disponible ; quelques délais sur le rendu final.",
}

// FillMissions adds the demo's proposals and missions through the real
// services, backdating the clock so that closed missions lie in the past
// and the dashboards have figures: closed missions with reviews (one left
// for the demo requester to review), missions in progress with days logged
// (one of the demo expert's), one planned, and accepted proposals for the
// demo requester to choose among (one of them pending for the demo expert).
func FillMissions(ctx context.Context, db *store.DB, pool Pool) error {
	ref := geo.Default()
	// One clock for both services, moved back in time as the story goes.
	clock := &demoClock{}
	needs := need.New(need.Options{DB: db, Geo: ref, Now: clock.now})
	svc := mission.New(mission.Options{DB: db, Geo: ref, Now: clock.now})
	today := date.Today()
	demoCommune, err := communeOf(ctx, db, pool.RequesterOrgID)
	if err != nil {
		return err
	}
	communes, err := demoCommunes(ctx, db, len(demoMissions))
	if err != nil {
		return err
	}
	for i, d := range demoMissions {
		place := communes[i%len(communes)]
		if d.demoOrg {
			place = demoCommune
		}
		start := today.AddDays(-150 + 15*i)
		switch d.stage {
		case "in_progress":
			start = today.AddDays(-21)
		case "planned", "to_choose":
			start = today.AddDays(20)
		}
		if err := fillOne(ctx, db, needs, svc, clock, d, place, start, pool, i); err != nil {
			return fmt.Errorf("demo mission %q: %w", d.title, err)
		}
	}
	return nil
}

// demoClock is the time the demo's services see: set back to the moment of
// each step of a mission's story, the present when unset.
type demoClock struct{ at time.Time }

func (c *demoClock) now() time.Time {
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}

func fillOne(ctx context.Context, db *store.DB, needs *need.Service, svc *mission.Service, clock *demoClock, d demoMission, place string, start date.Date, pool Pool, i int) error {
	// Each step at its hour of its day, never after now: a mission
	// starting in three weeks was chosen this morning at the latest.
	at := func(d date.Date, hour int) {
		clock.at = d.Time().Add(time.Duration(hour) * time.Hour)
		if now := time.Now().Add(-time.Minute); clock.at.After(now) {
			clock.at = now
		}
	}
	defer func() { clock.at = time.Time{} }()
	days := 2
	if d.kind == need.Interim {
		days = 4
	}
	c, _ := geo.Default().Commune(place)
	// Submitted a month before the start, so that the dashboards' delays
	// are plausible.
	at(start.AddDays(-30), 9)
	n, err := needs.Create(ctx, need.Input{Title: d.title + " — " + c.Name, Description: "Besoin de démonstration : " + d.title + ".",
		Commune: place, Kind: d.kind, Skills: []need.WantedSkill{{Code: d.skill, MinLevel: 2, Required: true}},
		Start: start, End: start.AddDays(55), DaysPerWeek: days, Format: need.Hybrid, Languages: []string{"fr"}}, access.System)
	if err != nil {
		return err
	}
	if err := needs.Qualify(ctx, n.ID, "besoin précisé avec la commune", access.System); err != nil {
		return err
	}
	experts, err := qualifiedWith(ctx, db, d.skill, i)
	if err != nil {
		return err
	}
	if d.demoExpert && pool.ExpertID != 0 {
		experts[0] = pool.ExpertID
	}
	at(start.AddDays(-25), 10)
	if _, err := svc.Propose(ctx, n.ID, experts, "Votre profil correspond bien à ce besoin.", access.System); err != nil {
		return err
	}
	ps, err := svc.NeedProposals(ctx, n.ID, access.System)
	if err != nil {
		return err
	}
	at(start.AddDays(-23), 15)
	if err := svc.Answer(ctx, ps[len(ps)-1].ID, false, "Indisponible sur la période.", access.System); err != nil {
		return err
	}
	if d.stage == "to_choose" {
		if len(ps) > 2 {
			return svc.Answer(ctx, ps[1].ID, true, "", access.System) // the demo expert's stays pending
		}
		return nil
	}
	if err := svc.Answer(ctx, ps[0].ID, true, "", access.System); err != nil {
		return err
	}
	at(start.AddDays(-20), 11)
	id, err := svc.Choose(ctx, ps[0].ID, access.System)
	if err != nil || d.stage == "planned" {
		return err
	}
	return runMission(ctx, db, svc, id, d, at)
}

// runMission starts the mission (with the employer's agreement when
// needed), logs days, and for closed ones delivers, closes and reviews.
func runMission(ctx context.Context, db *store.DB, svc *mission.Service, id int64, d demoMission, at func(date.Date, int)) error {
	m, err := svc.Get(ctx, id, access.System)
	if err != nil {
		return err
	}
	if m.Employer == mission.Awaited {
		token, err := svc.RequestEmployer(ctx, id, "rh@employeur.exemple.fr", access.System)
		if err != nil {
			return err
		}
		if err := svc.EmployerAnswer(ctx, token, true, ""); err != nil {
			return err
		}
	}
	at(m.Start, 9)
	if err := svc.Move(ctx, id, mission.InProgress, access.System); err != nil {
		return err
	}
	last := m.End
	if d.stage == "in_progress" {
		last = date.Today()
	}
	for day := m.Start; !day.After(last); day = day.AddDays(7) {
		at(day, 18)
		if err := svc.LogDay(ctx, id, day, 2, "Entretiens et ateliers avec les élus.", access.System); err != nil {
			return err
		}
		if d.kind == need.Interim {
			if err := svc.AddCheckIn(ctx, id, day, "Point avec le président : budget, équipe, dossiers en cours.", access.System); err != nil {
				return err
			}
		}
	}
	if d.stage != "closed" {
		return nil
	}
	if err := svc.SetReport(ctx, id, "Mission menée à son terme : diagnostic partagé, plan d’action remis aux élus.", access.System); err != nil {
		return err
	}
	if err := addDeliverable(ctx, svc, id); err != nil {
		return err
	}
	at(m.End, 17)
	if err := svc.Move(ctx, id, mission.Delivered, access.System); err != nil {
		return err
	}
	at(m.End.AddDays(3), 10)
	if err := svc.Move(ctx, id, mission.Closed, access.System); err != nil {
		return err
	}
	if d.rating == 0 {
		return nil
	}
	at(m.End.AddDays(5), 14)
	return svc.AddReview(ctx, id, d.rating, demoReviews[d.rating], access.System)
}

// qualifiedWith returns three qualified experts with the skill at level 2
// or more, a different trio for each i.
func qualifiedWith(ctx context.Context, db *store.DB, code string, i int) ([]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT e.id FROM experts e JOIN expert_skills s ON s.expert_id = e.id
		WHERE e.status = 'qualified' AND s.skill_code = $1 AND s.level >= 2 ORDER BY e.id LIMIT 3 OFFSET $2`, code, 3*i)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) < 3 {
		return nil, fmt.Errorf("fewer than 3 qualified experts with %s", code)
	}
	return ids, nil
}

func communeOf(ctx context.Context, db *store.DB, orgID int64) (string, error) {
	var code sql.NullString
	err := db.QueryRowContext(ctx, `SELECT insee_code FROM organisations WHERE id = $1`, orgID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) || !code.Valid {
		return "01001", nil
	}
	return code.String, err
}

// demoCommunes returns the communes of the first demo needs, to place the
// missions where the demo has needs.
func demoCommunes(ctx context.Context, db *store.DB, n int) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT commune FROM needs GROUP BY commune ORDER BY min(id) LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		out = []string{"01001"}
	}
	return out, rows.Err()
}

// addDeliverable attaches the mission's final report as a PDF deliverable,
// so that the demo has a download to open.
func addDeliverable(ctx context.Context, svc *mission.Service, id int64) error {
	doc := pdf.New(pdf.Options{Title: "Rapport de mission", Author: "Vivier (démo)"})
	doc.Title("Rapport de mission")
	doc.Paragraph("Mission menée à son terme : diagnostic partagé, plan d’action remis aux élus.")
	content, err := doc.Bytes()
	if err != nil {
		return err
	}
	return svc.AddFile(ctx, id, "rapport-de-mission.pdf", content, access.System)
}
