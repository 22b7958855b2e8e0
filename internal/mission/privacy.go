package mission

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"vivier/internal/date"
	"vivier/internal/store"
)

// Privacy is the missions' part of a person's data (account.PersonalData):
// the proposals an expert received and their missions with the days they
// logged, and the reviews a requester wrote.
//
// Erasure keeps every figure (days, amounts, ratings): missions and reviews
// name people by id only, and the account and the expert profile lose their
// identity where they are stored. What a person wrote in free text about
// themselves goes: the expert's notes on logged days and reasons for
// declining, the requester's review comments.
type Privacy struct{}

// PersonMissions is what ExportPerson returns.
type PersonMissions struct {
	Proposals []ExportedProposal `json:"proposals,omitempty"`
	Missions  []ExportedMission  `json:"missions,omitempty"`
	Reviews   []ExportedReview   `json:"reviews_written,omitempty"`
}

// ExportedProposal is a proposal an expert received.
type ExportedProposal struct {
	Need      string    `json:"need"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportedMission is a mission of the expert, with the days they logged.
type ExportedMission struct {
	ID          int64         `json:"id"`
	Need        string        `json:"need"`
	Status      string        `json:"status"`
	Start       date.Date     `json:"start"`
	End         date.Date     `json:"end"`
	PlannedDays int           `json:"planned_days"`
	DailyRate   int           `json:"daily_rate"`
	Days        []ExportedDay `json:"days_logged"`
}

// ExportedDay is a day logged on a mission.
type ExportedDay struct {
	Day      date.Date `json:"day"`
	HalfDays int       `json:"half_days"`
	Note     string    `json:"note,omitempty"`
}

// ExportedReview is a review the person wrote.
type ExportedReview struct {
	MissionID int64     `json:"mission_id"`
	Rating    int       `json:"rating"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportPerson returns, under "missions", what missions hold about the
// account userID; nil when nothing.
func (Privacy) ExportPerson(ctx context.Context, q store.Querier, userID int64) (string, any, error) {
	var d PersonMissions
	err := collect(ctx, q, `SELECT n.title, p.status, p.reason, p.created_at FROM proposals p
		JOIN needs n ON n.id = p.need_id JOIN experts e ON e.id = p.expert_id
		WHERE e.user_id = $1 ORDER BY p.id`, userID, func(rows *sql.Rows) error {
		var p ExportedProposal
		err := rows.Scan(&p.Need, &p.Status, &p.Reason, &p.CreatedAt)
		d.Proposals = append(d.Proposals, p)
		return err
	})
	if err == nil {
		err = collect(ctx, q, `SELECT m.id, n.title, m.status, m.start_date, m.end_date, m.planned_days, m.daily_rate FROM missions m
			JOIN needs n ON n.id = m.need_id JOIN experts e ON e.id = m.expert_id
			WHERE e.user_id = $1 ORDER BY m.id`, userID, func(rows *sql.Rows) error {
			var m ExportedMission
			err := rows.Scan(&m.ID, &m.Need, &m.Status, &m.Start, &m.End, &m.PlannedDays, &m.DailyRate)
			d.Missions = append(d.Missions, m)
			return err
		})
	}
	for i := range d.Missions {
		if err != nil {
			break
		}
		err = collect(ctx, q, `SELECT day, half_days, note FROM mission_days WHERE mission_id = $1 ORDER BY day`, d.Missions[i].ID,
			func(rows *sql.Rows) error {
				var x ExportedDay
				err := rows.Scan(&x.Day, &x.HalfDays, &x.Note)
				d.Missions[i].Days = append(d.Missions[i].Days, x)
				return err
			})
	}
	if err == nil {
		err = collect(ctx, q, `SELECT mission_id, rating, comment, created_at FROM mission_reviews WHERE user_id = $1 ORDER BY created_at`,
			userID, func(rows *sql.Rows) error {
				var r ExportedReview
				err := rows.Scan(&r.MissionID, &r.Rating, &r.Comment, &r.CreatedAt)
				d.Reviews = append(d.Reviews, r)
				return err
			})
	}
	if err != nil {
		return "missions", nil, fmt.Errorf("export missions: %w", err)
	}
	if len(d.Proposals)+len(d.Missions)+len(d.Reviews) == 0 {
		return "missions", nil, nil
	}
	return "missions", d, nil
}

// ErasePerson clears what the person wrote in free text; figures stay.
func (Privacy) ErasePerson(ctx context.Context, tx *sql.Tx, userID int64) error {
	for _, stmt := range []string{
		`UPDATE mission_days SET note = '' WHERE mission_id IN (SELECT m.id FROM missions m JOIN experts e ON e.id = m.expert_id WHERE e.user_id = $1)`,
		`UPDATE proposals SET reason = '' WHERE expert_id IN (SELECT id FROM experts WHERE user_id = $1)`,
		`UPDATE mission_reviews SET comment = '' WHERE user_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, stmt, userID); err != nil {
			return fmt.Errorf("erase missions: %w", err)
		}
	}
	return nil
}

// collect runs a query with one argument and hands each row to scan.
func collect(ctx context.Context, q store.Querier, query string, arg any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
