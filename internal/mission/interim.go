package mission

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/store"
)

// InterimStartDays bounds how soon an interim direction starts: an agency
// without a director cannot wait, so the mission starts at the latest this
// many days after the requester's choice (and never before it).
const InterimStartDays = 10

// interimStart is the start of an interim mission chosen today for a need
// that asked to start at asked.
func interimStart(asked, today date.Date) date.Date {
	if asked.Before(today) {
		return today
	}
	if latest := today.AddDays(InterimStartDays); asked.After(latest) {
		return latest
	}
	return asked
}

// CheckIn is one week's note of an interim direction.
type CheckIn struct {
	Week      date.Date // Monday
	Note      string
	CreatedAt time.Time
}

// monday is the Monday of d's week.
func monday(d date.Date) date.Date {
	off := (int(d.Weekday()) + 6) % 7
	return d.AddDays(-off)
}

// CheckIns lists an interim mission's weekly notes, latest first.
func (s *Service) CheckIns(ctx context.Context, id int64, actor access.Actor) ([]CheckIn, error) {
	if _, err := visibleMission(ctx, s.db, id, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT week, note, created_at FROM mission_checkins WHERE mission_id = $1 ORDER BY week DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CheckIn
	for rows.Next() {
		var c CheckIn
		if err := rows.Scan(&c.Week, &c.Note, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddCheckIn records the weekly check-in of an interim mission in progress
// for the week of day (one per week: the second is refused).
func (s *Service) AddCheckIn(ctx context.Context, id int64, day date.Date, note string, actor access.Actor) error {
	if _, err := expertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 4000 {
		return fieldErr("checkin", "résumez la semaine : décisions, points d’attention (4 000 caractères au plus)")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.NeedKind != "interim" {
			return fieldErr("checkin", "le point hebdomadaire concerne les directions par intérim")
		}
		if m.Status != InProgress {
			return fieldErr("checkin", "la mission est « %s » : le point hebdomadaire se tient pendant la mission", m.Status.Label())
		}
		week := monday(day)
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO mission_checkins (mission_id, week, note, created_at) VALUES ($1, $2, $3, $4)`, id, week, note, now); err != nil {
			if store.IsUniqueViolation(err) {
				return fieldErr("checkin", "le point de la semaine du %s est déjà enregistré", fr.Date(week))
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.checkin", Subject: subject("mission", id)})
	})
}

// SetHandover saves the handover note of an interim mission, written
// before delivery (an interim mission is not delivered without it).
func (s *Service) SetHandover(ctx context.Context, id int64, note string, actor access.Actor) error {
	if _, err := expertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 20000 {
		return fieldErr("handover", "rédigez la note de passation pour la future direction (20 000 caractères au plus)")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.NeedKind != "interim" || m.Status != InProgress {
			return fieldErr("handover", "la note de passation se rédige pendant une direction par intérim en cours")
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE missions SET handover_note = $1, updated_at = $2 WHERE id = $3`, note, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.handover", Subject: subject("mission", id)})
	})
}
