package audit

import (
	"context"
	"fmt"
	"time"

	"vivier/internal/store"
)

// StatusChange is one line of a record's status history (experts, needs):
// who moved it from one status to another, when and why. S is the
// record's status type.
type StatusChange[S ~string] struct {
	From    S         `json:"from"` // "" for the creation
	To      S         `json:"to"`
	Comment string    `json:"comment"`
	ActorID int64     `json:"actor_id,omitempty"`
	Actor   string    `json:"actor"` // name as shown (ActorName), kept if the user is erased
	At      time.Time `json:"at"`
}

// StatusHistory reads, oldest first, the status history of the record id
// from table, whose column key holds the record's id (for example
// expert_status_history and expert_id).
func StatusHistory[S ~string](ctx context.Context, q store.Querier, table, key string, id int64) ([]StatusChange[S], error) {
	rows, err := q.QueryContext(ctx, `SELECT from_status, to_status, comment, coalesce(actor_id, 0), actor, created_at
		FROM `+table+` WHERE `+key+` = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	out := []StatusChange[S]{}
	for rows.Next() {
		var c StatusChange[S]
		if err := rows.Scan(&c.From, &c.To, &c.Comment, &c.ActorID, &c.Actor, &c.At); err != nil {
			return nil, err
		}
		c.At = c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
