package mission

import (
	"context"
	"strings"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/store"
)

// Commitment is days already planned on a mission, which the matching
// engine takes off the expert's availability.
type Commitment = match.Commitment

// History is what matching needs to know of an expert's missions: closed
// missions by commune size class, reviews, active missions, recent
// proposals and commitments. It is the matching engine's own type.
type History = match.History

// HistoryOf computes, for each of expertIDs, the figures matching reads. An
// expert without missions or proposals has a zero History in the map. ref
// gives the communes' size classes.
func HistoryOf(ctx context.Context, q store.Querier, ref *geo.Reference, expertIDs []int64, today date.Date) (map[int64]History, error) {
	out := make(map[int64]History, len(expertIDs))
	for _, id := range expertIDs {
		out[id] = History{}
	}
	// Batches keep the IN lists under both engines' limits on parameters
	// (SQLite 32,766, PostgreSQL 65,535) when matching asks for the pool.
	for start := 0; start < len(expertIDs); start += historyBatch {
		batch := expertIDs[start:min(start+historyBatch, len(expertIDs))]
		if err := historyBatchOf(ctx, q, ref, batch, today, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// historyBatch is how many experts one round of queries reads.
const historyBatch = 1000

func historyBatchOf(ctx context.Context, q store.Querier, ref *geo.Reference, expertIDs []int64, today date.Date, out map[int64]History) error {
	in, args := inList(expertIDs, 1)
	rows, err := q.QueryContext(ctx, `SELECT expert_id, status, commune, start_date, end_date, days_per_week FROM missions WHERE expert_id IN (`+in+`)`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var st Status
		var c Commitment
		var commune string
		if err := rows.Scan(&id, &st, &commune, &c.Start, &c.End, &c.DaysPerWeek); err != nil {
			rows.Close()
			return err
		}
		h := out[id]
		switch st {
		case Closed:
			// An arrondissement counts as its commune, as the engine counts
			// the place of a new need: a mission in Lyon 1er is experience
			// of a city of Lyon's size.
			if cm, ok := ref.Commune(commune); ok {
				if parent, ok := ref.Commune(cm.Parent); ok && cm.Parent != "" {
					cm = parent
				}
				h.PastMissionsBySizeClass[cm.SizeClass()-1]++
			}
		case Planned, InProgress:
			h.ActiveMissions++
			if !c.End.Before(today) {
				h.Commitments = append(h.Commitments, c)
			}
		}
		out[id] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT m.expert_id, count(*), sum(r.rating) FROM mission_reviews r JOIN missions m ON m.id = r.mission_id
		WHERE m.expert_id IN (`+in+`) GROUP BY m.expert_id`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var n, sum int
		if err := rows.Scan(&id, &n, &sum); err != nil {
			rows.Close()
			return err
		}
		h := out[id]
		h.ReviewCount, h.ReviewSum = n, sum
		out[id] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	since := today.AddDays(-90).Time()
	rows, err = q.QueryContext(ctx, `SELECT expert_id, count(*) FROM proposals WHERE expert_id IN (`+in+`) AND created_at >= $`+itoa(len(args)+1)+` GROUP BY expert_id`,
		append(args, since)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		h := out[id]
		h.ProposalsLast90Days = n
		out[id] = h
	}
	return rows.Err()
}

// inList returns "$first, $first+1, …" and the values, for an IN clause.
func inList(ids []int64, first int) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = "$" + itoa(first+i)
		args[i] = id
	}
	return strings.Join(ph, ", "), args
}

// MatchHistory gives the matching engine the figures of experts' missions
// (match.HistorySource), as of the day it is asked.
type MatchHistory struct{ Geo *geo.Reference }

// History returns the figures of the experts with the given ids.
func (h MatchHistory) History(ctx context.Context, q store.Querier, expertIDs []int64) (map[int64]match.History, error) {
	return HistoryOf(ctx, q, h.Geo, expertIDs, date.Today())
}
