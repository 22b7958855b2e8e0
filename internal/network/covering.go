package network

import (
	"context"

	"vivier/internal/date"
)

// MemberAgencies returns the ids of the organisations whose membership
// covers day: the membership of day's year is paid, or the one of the year
// before is and day falls within that year's grace period — the rule of
// IsCurrentMember, on any day. Like IsCurrentMember it takes no actor: it
// says who belongs to the network, for the helpers of other packages (the
// delegation helper of representation), and reveals nothing else.
func (s *Service) MemberAgencies(ctx context.Context, day date.Date) (map[int64]bool, error) {
	st, err := loadSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT organisation_id, year FROM memberships WHERE status = $1 AND year IN ($2, $3)`,
		string(Paid), day.Year, day.Year-1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	inGrace := !day.After(st.GraceEnd(day.Year))
	out := map[int64]bool{}
	for rows.Next() {
		var org int64
		var year int
		if err := rows.Scan(&org, &year); err != nil {
			return nil, err
		}
		if year == day.Year || inGrace {
			out[org] = true
		}
	}
	return out, rows.Err()
}
