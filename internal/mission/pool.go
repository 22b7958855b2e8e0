package mission

import (
	"context"
	"database/sql"
	"errors"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/need"
)

// Pool adds another open need to a mission, which then serves several
// requesters (a mutualised mission): the need becomes assigned (through
// proposed, so its history skips no step) and its requester follows and
// reviews the mission. Adding a need already served does nothing.
func (s *Service) Pool(ctx context.Context, missionID, needID int64, actor access.Actor) error {
	if _, err := staffMission(ctx, s.db, missionID, actor); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, missionID)
		if err != nil {
			return err
		}
		var served int64
		err = tx.QueryRowContext(ctx, `SELECT mission_id FROM mission_needs WHERE need_id = $1`, needID).Scan(&served)
		switch {
		case err == nil && served == missionID:
			return nil
		case err == nil:
			return fieldErr("need", "le besoin n° %d est déjà servi par une autre mission", needID)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if m.Status == Closed || m.Status == Delivered {
			return fieldErr("need", "la mission est « %s » : on n’y ajoute plus de besoin", m.Status.Label())
		}
		var status need.Status
		var org int64
		if err := tx.QueryRowContext(ctx, `SELECT status, requester_id FROM needs WHERE id = $1`, needID).Scan(&status, &org); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fieldErr("need", "aucun besoin n° %d", needID)
			}
			return err
		}
		now := s.now()
		switch status {
		case need.Qualified:
			if err := need.MoveInTx(ctx, tx, needID, need.Qualified, need.Proposed, actor, now); err != nil {
				return err
			}
			fallthrough
		case need.Proposed:
			if err := need.MoveInTx(ctx, tx, needID, need.Proposed, need.Assigned, actor, now); err != nil {
				return err
			}
		default:
			return fieldErr("need", "le besoin n° %d est « %s » : seul un besoin qualifié ou en proposition peut rejoindre une mission", needID, status.Label())
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mission_needs (mission_id, need_id, organisation_id) VALUES ($1, $2, $3)`, missionID, needID, org); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'passed', updated_at = $1 WHERE need_id = $2 AND status IN ('pending', 'accepted')`, now, needID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.pooled", Subject: subject("mission", missionID),
			Details: map[string]any{"need": needID}}); err != nil {
			return err
		}
		req, err := requesterOf(ctx, tx, needID)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, req.Email, req.Name, subject("mission-pooled", missionID)+":"+itoa(int(needID)),
			notice{Subject: "Votre besoin rejoint une mission mutualisée : « " + m.NeedTitle + " »",
				Lines:  []string{m.ExpertName + " intervient pour plusieurs collectivités voisines, " + window(m.Start, m.End) + ". Vous suivrez la mission et l’évaluerez."},
				Action: "Voir la mission"}, idPath("/missions", missionID))
	})
}

// Requesters lists the organisations a mission serves (id → name).
func (s *Service) Requesters(ctx context.Context, missionID int64, actor access.Actor) ([]Review, error) {
	if _, err := visibleMission(ctx, s.db, missionID, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT mn.organisation_id, o.name FROM mission_needs mn JOIN organisations o ON o.id = mn.organisation_id
		WHERE mn.mission_id = $1 ORDER BY o.name`, missionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		if err := rows.Scan(&r.OrgID, &r.OrgName); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
