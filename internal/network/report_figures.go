package network

import (
	"context"
	"fmt"

	"vivier/internal/date"
)

// MemberAgencies returns the ids of the member agencies on day: those
// whose membership of day's year is paid or awaiting payment, and, while
// the year's renewal is under way (this year's membership invited), those
// whose last year's membership was paid. The delegation helper of the
// hearings proposes only them; it decides who reads its proposals, so this
// takes no actor.
func (s *Service) MemberAgencies(ctx context.Context, day date.Date) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT ms.organisation_id FROM memberships ms JOIN organisations o ON o.id = ms.organisation_id
		WHERE o.kind = 'agence' AND (
			(ms.year = $1 AND ms.status IN ('paid', 'pending_payment'))
			OR (ms.year = $2 AND ms.status = 'paid' AND EXISTS (SELECT 1 FROM memberships n
				WHERE n.organisation_id = ms.organisation_id AND n.year = $1 AND n.status = 'invited')))`, day.Year, day.Year-1)
	if err != nil {
		return nil, fmt.Errorf("member agencies: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
