package expert

import (
	"context"
	"fmt"
	"strings"
	"vivier/internal/access"
)

// Names returns "Prénom Nom" for each of the experts with the given ids
// (a ranking shows names next to references). Unknown ids are absent.
func (s *Service) Names(ctx context.Context, ids []int64, actor access.Actor) (map[int64]string, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	q := s.db
	names := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return names, nil
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i] = id
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, first_name, last_name FROM experts WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("expert names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var first, last string
		if err := rows.Scan(&id, &first, &last); err != nil {
			return nil, err
		}
		names[id] = strings.TrimSpace(first + " " + last)
	}
	return names, rows.Err()
}

// Brief names one expert: what a search by name shows.
type Brief struct {
	ID        int64
	Reference string
	Name      string
}

// Find returns the experts whose reference is q, or else whose name
// ("Prénom Nom", "Nom Prénom" or the last name alone) is q, ignoring case;
// an exact reference wins over namesakes. At most 10; staff only.
func (s *Service) Find(ctx context.Context, q string, actor access.Actor) ([]Brief, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, reference, first_name, last_name FROM experts
		WHERE reference = $1 OR lower(first_name || ' ' || last_name) = lower($1)
		   OR lower(last_name || ' ' || first_name) = lower($1) OR lower(last_name) = lower($1)
		ORDER BY (reference = $1) DESC, last_name, first_name, id LIMIT 10`, q)
	if err != nil {
		return nil, fmt.Errorf("find experts: %w", err)
	}
	defer rows.Close()
	var out []Brief
	for rows.Next() {
		var b Brief
		var first, last string
		if err := rows.Scan(&b.ID, &b.Reference, &first, &last); err != nil {
			return nil, err
		}
		b.Name = strings.TrimSpace(first + " " + last)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) > 1 && out[0].Reference == q {
		out = out[:1]
	}
	return out, nil
}
