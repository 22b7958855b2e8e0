package web

import (
	"context"

	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/store"
)

// MatchRequest returns the request matching ranks experts for need n: the
// need itself, or the merged request of its group when it is pooled.
// The API and the need page share it so that both rank the same way.
func MatchRequest(ctx context.Context, db *store.DB, needs *need.Service, n need.Need) (match.Request, error) {
	return match.FromNeed(n), nil
}

// ExplainedResult is what match_log keeps of an explanation: the weights
// and, for an eligible expert, their place and components.
func ExplainedResult(ex match.Explanation, e *match.Engine) match.Result {
	res := match.Result{Weights: e.Weights()}
	if ex.Eligible && ex.Components != nil {
		res.Matches = []match.Match{{ExpertID: ex.ExpertID, Reference: ex.Reference, Rank: ex.Rank,
			Score: ex.Score, Components: *ex.Components}}
	}
	return res
}
