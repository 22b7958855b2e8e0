package mission

import (
	"context"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
)

// Period is what the activity report reads of the expertise over a period
// (a year): the dashboard's figures of the same period, and the records
// behind each figure, so that every figure of the report links to them.
type Period struct {
	// Stats are the dashboard's figures of the period (Stats): days
	// logged, reviews, cost and saving of the missions created, missions
	// by status and by domain. The report shows these very numbers.
	Stats Stats
	// Needs are the needs received (submitted) in the period, oldest
	// first.
	Needs []NeedReceived
	// Created are the missions created in the period; Closed, those
	// closed in it; Worked, those with days logged in it; Reviewed, those
	// reviewed in it.
	Created, Closed, Worked, Reviewed []Mission
	// Experts are the experts who logged days in the period: mobilised.
	Experts []ExpertWorked
}

// NeedReceived is a need as the report counts it.
type NeedReceived struct {
	ID        int64
	Title     string
	Commune   string // INSEE code of the place
	CreatedAt time.Time
}

// ExpertWorked is an expert who logged days in a period.
type ExpertWorked struct {
	ID     int64
	Name   string
	Halves int // half days logged in the period
}

// PeriodFigures reads the expertise of the period from..to (both days
// included); staff only.
func (s *Service) PeriodFigures(ctx context.Context, from, to date.Date, actor access.Actor) (Period, error) {
	if err := staffOnly(actor); err != nil {
		return Period{}, err
	}
	st, err := computeStats(ctx, s.db, s.geo, from, to)
	if err != nil {
		return Period{}, err
	}
	p := Period{Stats: st}
	start, end := from.Time(), to.AddDays(1).Time()
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, commune, created_at FROM needs WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id`, start, end)
	if err != nil {
		return p, err
	}
	for rows.Next() {
		var n NeedReceived
		if err := rows.Scan(&n.ID, &n.Title, &n.Commune, &n.CreatedAt); err != nil {
			rows.Close()
			return p, err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		p.Needs = append(p.Needs, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, err
	}
	for _, q := range []struct {
		where string
		args  []any
		to    *[]Mission
	}{
		{"m.created_at >= $1 AND m.created_at < $2", []any{start, end}, &p.Created},
		{"m.closed_at >= $1 AND m.closed_at < $2", []any{start, end}, &p.Closed},
		{"m.id IN (SELECT mission_id FROM mission_days WHERE day >= $1 AND day <= $2)", []any{from, to}, &p.Worked},
		{"m.id IN (SELECT mission_id FROM mission_reviews WHERE created_at >= $1 AND created_at < $2)", []any{start, end}, &p.Reviewed},
	} {
		if *q.to, err = queryMissions(ctx, s.db, q.where, q.args...); err != nil {
			return p, err
		}
	}
	rows, err = s.db.QueryContext(ctx, `SELECT e.id, e.first_name, e.last_name, sum(d.half_days) FROM mission_days d
		JOIN missions m ON m.id = d.mission_id JOIN experts e ON e.id = m.expert_id
		WHERE d.day >= $1 AND d.day <= $2 GROUP BY e.id, e.first_name, e.last_name ORDER BY e.last_name, e.first_name, e.id`, from, to)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var e ExpertWorked
		var first, last string
		if err := rows.Scan(&e.ID, &first, &last, &e.Halves); err != nil {
			return p, err
		}
		e.Name = strings.TrimSpace(first + " " + last)
		p.Experts = append(p.Experts, e)
	}
	return p, rows.Err()
}
