package web

import (
	"context"
	"errors"

	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// MatchRequest returns the request matching ranks experts for need n: the
// need itself, or, when it is mutualised, the merged request of its group
// (union of the skills, intersection of the windows). The API and the need
// page share it so that both rank the same way. A group whose windows no
// longer share a day is a valid.Errors on the field "group".
func MatchRequest(ctx context.Context, db *store.DB, needs *need.Service, n need.Need) (match.Request, error) {
	members, err := groupNeeds(ctx, db, needs, n)
	if err != nil || len(members) < 2 {
		return match.FromNeed(n), err
	}
	return mergeNeeds(members)
}

// groupNeeds returns the needs of n's group in order, n included, or nil
// when n is alone.
func groupNeeds(ctx context.Context, db *store.DB, needs *need.Service, n need.Need) ([]need.Need, error) {
	_, ids, err := match.GroupOf(ctx, db, n.ID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	out := make([]need.Need, 0, len(ids))
	for _, id := range ids {
		m := n
		if id != n.ID {
			if m, err = needs.Get(ctx, id); err != nil {
				return nil, err
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// mergeNeeds merges the requests of ns, in order.
func mergeNeeds(ns []need.Need) (match.Request, error) {
	reqs := make([]match.Request, len(ns))
	for i, m := range ns {
		reqs[i] = match.FromNeed(m)
	}
	req, err := match.Merge(reqs...)
	if errors.Is(err, match.ErrNoCommonWindow) {
		var errs valid.Errors
		errs.Add("group", "les besoins mutualisés n’ont plus aucun jour en commun : dissociez-en un")
		return req, errs
	}
	return req, err
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
