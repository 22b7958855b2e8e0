package expert

import (
	"context"
	"fmt"
	"strings"

	"vivier/internal/store"
)

// Names returns "Prénom Nom" for each of the experts with the given ids
// (a ranking shows names next to references). Unknown ids are absent.
func Names(ctx context.Context, q store.Querier, ids []int64) (map[int64]string, error) {
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
