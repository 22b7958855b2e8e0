package network

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"vivier/internal/date"
	"vivier/internal/store"
)

// poolSource counts what each organisation did in the expertise pool,
// from the records of the pool's packages (it reads their tables, never
// writes them):
//   - experts_contributed: experts whose employer is the organisation (by
//     SIREN), in the pool during the period — created before its end, not
//     archived before its start;
//   - needs_submitted: needs the organisation submitted during the period;
//   - missions_requested: missions serving the organisation that ran
//     during the period (start and end around it);
//   - missions_hosted: missions of experts the organisation employs that
//     ran during the period.
type poolSource struct{ db *store.DB }

var poolActivities = []string{"experts_contributed", "needs_submitted", "missions_requested", "missions_hosted"}

// Tracks says the pool's activities are always counted.
func (poolSource) Tracks() []string { return poolActivities }

// instants are the bounds of a period of Paris days as UTC instants:
// [from 00:00, the day after to 00:00).
func instants(from, to date.Date) (time.Time, time.Time) {
	start := time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, date.Paris())
	end := time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, date.Paris()).AddDate(0, 0, 1)
	return start.UTC(), end.UTC()
}

// poolQueries are the count and the records of each activity: $1 and $2
// the period's bounds (instants for creations, days for missions), $3
// the organisation for the records.
var poolQueries = map[string]struct{ count, records string }{
	"experts_contributed": {
		count: `SELECT o.id, count(*) FROM experts e JOIN organisations o ON o.siren = e.employer_siren
			WHERE e.employer_siren <> '' AND e.created_at < $2 AND (e.status <> 'archived' OR e.archived_at IS NULL OR e.archived_at >= $1)
			GROUP BY o.id`,
		records: `SELECT e.id, e.first_name || ' ' || e.last_name, e.created_at FROM experts e JOIN organisations o ON o.siren = e.employer_siren
			WHERE e.employer_siren <> '' AND e.created_at < $2 AND (e.status <> 'archived' OR e.archived_at IS NULL OR e.archived_at >= $1)
			AND o.id = $3 ORDER BY e.last_name, e.first_name, e.id`,
	},
	"needs_submitted": {
		count: `SELECT requester_id, count(*) FROM needs WHERE created_at >= $1 AND created_at < $2 GROUP BY requester_id`,
		records: `SELECT id, title, created_at FROM needs WHERE created_at >= $1 AND created_at < $2 AND requester_id = $3
			ORDER BY created_at, id`,
	},
	"missions_requested": {
		count: `SELECT mn.organisation_id, count(DISTINCT m.id) FROM mission_needs mn JOIN missions m ON m.id = mn.mission_id
			WHERE m.start_date <= $2 AND m.end_date >= $1 GROUP BY mn.organisation_id`,
		records: `SELECT DISTINCT m.id, n.title, m.start_date FROM mission_needs mn JOIN missions m ON m.id = mn.mission_id JOIN needs n ON n.id = m.need_id
			WHERE m.start_date <= $2 AND m.end_date >= $1 AND mn.organisation_id = $3 ORDER BY m.start_date, m.id`,
	},
	"missions_hosted": {
		count: `SELECT o.id, count(*) FROM missions m JOIN experts e ON e.id = m.expert_id JOIN organisations o ON o.siren = e.employer_siren
			WHERE e.employer_siren <> '' AND m.start_date <= $2 AND m.end_date >= $1 GROUP BY o.id`,
		records: `SELECT m.id, n.title, m.start_date FROM missions m JOIN experts e ON e.id = m.expert_id JOIN organisations o ON o.siren = e.employer_siren
			JOIN needs n ON n.id = m.need_id WHERE e.employer_siren <> '' AND m.start_date <= $2 AND m.end_date >= $1 AND o.id = $3
			ORDER BY m.start_date, m.id`,
	},
}

// bounds are a query's period arguments: instants for the activities
// dated by a creation, days for missions.
func bounds(activity string, from, to date.Date) (any, any) {
	if activity == "missions_requested" || activity == "missions_hosted" {
		return from, to
	}
	return instants(from, to)
}

// Engagement counts the pool's activities of every organisation.
func (p poolSource) Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	for _, key := range poolActivities {
		a, b := bounds(key, from, to)
		rows, err := p.db.QueryContext(ctx, poolQueries[key].count, a, b)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", key, err)
		}
		for rows.Next() {
			var org int64
			var n int
			if err := rows.Scan(&org, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if out[org] == nil {
				out[org] = map[string]int{}
			}
			out[org][key] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordPaths are the pages of each activity's records.
var recordPaths = map[string]string{"experts_contributed": "/experts/", "needs_submitted": "/besoins/",
	"missions_requested": "/missions/", "missions_hosted": "/missions/"}

// EngagementRecords lists the records behind one of the pool's counts.
func (p poolSource) EngagementRecords(ctx context.Context, orgID int64, activity string, from, to date.Date) ([]Record, error) {
	q, ok := poolQueries[activity]
	if !ok {
		return nil, nil
	}
	a, b := bounds(activity, from, to)
	rows, err := p.db.QueryContext(ctx, q.records, a, b, orgID)
	if err != nil {
		return nil, fmt.Errorf("records of %s: %w", activity, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var id int64
		var r Record
		var at any
		if err := rows.Scan(&id, &r.Label, &at); err != nil {
			return nil, err
		}
		switch v := at.(type) {
		case time.Time:
			r.Day = date.Of(v.In(date.Paris()))
		default:
			var d date.Date
			if err := d.Scan(v); err == nil {
				r.Day = d
			}
		}
		r.Path = recordPaths[activity] + strconv.FormatInt(id, 10)
		out = append(out, r)
	}
	return out, rows.Err()
}
