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
	// Note is what the person stated: why they propose an expert the
	// ranking excludes.
	Note string
}

// loggedMatch is a match as the log keeps it.
type loggedMatch struct {
	ExpertID   int64      `json:"expert_id"`
	Reference  string     `json:"reference"`
	Rank       int        `json:"rank"`
	Score      float64    `json:"score"`
	Components Components `json:"components"`
}

// logRanking records a ranking in match_log through q (pass the
// transaction of the page or export that shows it). Ranking people for work
// is a high-risk use under the EU AI Act: a human decides, and every ranking
// shown or exported leaves this record of who saw what, with which weights.
func logRanking(ctx context.Context, q store.Querier, l LogEntry) error {
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
	_, err := q.ExecContext(ctx, `INSERT INTO match_log (actor_id, actor, purpose, need_id, request, weights, excluded, results, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		actor, l.Actor, l.Purpose, need, string(js[0]), string(js[1]), string(js[2]), string(js[3]), l.Note, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("match: log ranking: %w", err)
	}
	return nil
}

// LogPage is a page of the ranking log.
type LogPage struct {
	Rows  []LoggedRanking
	Total int
}

// LoggedRanking is one ranking of the log as the oversight page shows it.
type LoggedRanking struct {
	At        time.Time
	Actor     string
	Purpose   string
	NeedID    int64
	NeedTitle string
	Weights   Weights
	Top       []LoggedMatch // the first five
	Excluded  int
	Note      string // why an excluded expert was proposed
}

// LoggedMatch is one ranked expert of a logged ranking.
type LoggedMatch struct {
	Reference string  `json:"reference"`
	Rank      int     `json:"rank"`
	Score     float64 `json:"score"`
}

// maxLogPage bounds the page asked for, so that its offset stays a sane
// number whatever the query string says.
const maxLogPage = 100000

// readLog reads page (from 1) of the ranking log, newest first, of need
// needID when it is not 0.
func readLog(ctx context.Context, q store.Querier, needID int64, page, pageSize int) (LogPage, error) {
	var p LogPage
	where, args := "", []any{}
	if needID != 0 {
		where, args = " WHERE l.need_id = $1", []any{needID}
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM match_log l`+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("match: count the ranking log: %w", err)
	}
	page = min(max(page, 1), maxLogPage)
	rows, err := q.QueryContext(ctx, `SELECT l.created_at, l.actor, l.purpose, coalesce(l.need_id, 0), coalesce(n.title, ''),
		l.weights, l.excluded, l.results, l.note
		FROM match_log l LEFT JOIN needs n ON n.id = l.need_id`+where+` ORDER BY l.id DESC`+
		fmt.Sprintf(" LIMIT %d OFFSET %d", pageSize, (page-1)*pageSize), args...)
	if err != nil {
		return p, fmt.Errorf("match: read the ranking log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var lr LoggedRanking
		var weights, excluded, results string
		if err := rows.Scan(&lr.At, &lr.Actor, &lr.Purpose, &lr.NeedID, &lr.NeedTitle, &weights, &excluded, &results, &lr.Note); err != nil {
			return p, err
		}
		var ex Excluded
		if err := json.Unmarshal([]byte(weights), &lr.Weights); err != nil {
			return p, fmt.Errorf("match: logged weights: %w", err)
		}
		if err := json.Unmarshal([]byte(excluded), &ex); err != nil {
			return p, fmt.Errorf("match: logged exclusions: %w", err)
		}
		if err := json.Unmarshal([]byte(results), &lr.Top); err != nil {
			return p, fmt.Errorf("match: logged results: %w", err)
		}
		lr.Excluded = ex.Total()
		lr.Top = lr.Top[:min(len(lr.Top), 5)]
		lr.At = lr.At.UTC()
		p.Rows = append(p.Rows, lr)
	}
	return p, rows.Err()
}
