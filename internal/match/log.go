package match

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"vivier/internal/store"
)

// LogEntry is one ranking shown or exported, for the match_log table.
type LogEntry struct {
	ActorID int64  // the user who saw it; 0 for none (a script)
	Actor   string // their name as shown
	Purpose string // "shown", "exported", "explained"…
	NeedID  int64  // 0 when the request did not come from a stored need
	Request Request
	Result  Result
}

// loggedMatch is a match as the log keeps it.
type loggedMatch struct {
	ExpertID   int64      `json:"expert_id"`
	Reference  string     `json:"reference"`
	Rank       int        `json:"rank"`
	Score      float64    `json:"score"`
	Components Components `json:"components"`
}

// LogRanking records a ranking in match_log through q (pass the
// transaction of the page or export that shows it). Ranking people for work
// is a high-risk use under the EU AI Act: a human decides, and every ranking
// shown or exported leaves this record of who saw what, with which weights.
func LogRanking(ctx context.Context, q store.Querier, l LogEntry) error {
	if l.Actor == "" || l.Purpose == "" {
		return fmt.Errorf("match: log entry without actor or purpose")
	}
	ms := make([]loggedMatch, len(l.Result.Matches))
	for i, m := range l.Result.Matches {
		ms[i] = loggedMatch{m.ExpertID, m.Reference, m.Rank, m.Score, m.Components}
	}
	var js [4][]byte
	for i, v := range []any{l.Request, l.Result.Weights, l.Result.Excluded, ms} {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("match: log: %w", err)
		}
		js[i] = b
	}
	var actor, need any
	if l.ActorID != 0 {
		actor = l.ActorID
	}
	if l.NeedID != 0 {
		need = l.NeedID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO match_log (actor_id, actor, purpose, need_id, request, weights, excluded, results, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		actor, l.Actor, l.Purpose, need, string(js[0]), string(js[1]), string(js[2]), string(js[3]), time.Now().UTC())
	if err != nil {
		return fmt.Errorf("match: log ranking: %w", err)
	}
	return nil
}
