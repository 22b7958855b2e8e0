package match

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// CheckProposal is called before experts are proposed for need n by
// reference, outside the ranked shortlist. An expert the ranking excludes
// may be proposed — the coordinator decides, not the engine — but only
// with a stated reason: without one, it answers valid.Errors on the field
// "reason" naming each excluded expert and why; with one, it writes the
// reason to the ranking log (purpose "override"), with the excluded
// experts and the weights, so that the decision can be reviewed.
func (s *Service) CheckProposal(ctx context.Context, n need.Need, references []string, reason string, actor access.Actor) error {
	if err := s.staffOnNeed(ctx, n.ID, actor); err != nil {
		return err
	}
	req, err := s.requestFor(ctx, n, actor)
	if err != nil {
		return err
	}
	var excluded []string
	var matches []Match
	for _, ref := range references {
		ex, err := s.engine.Explain(ctx, req, ref)
		if errors.Is(err, store.ErrNotFound) {
			continue // not in the engine: the proposal refuses it by itself
		}
		if err != nil {
			return err
		}
		if !ex.Eligible && ex.Failure != nil {
			excluded = append(excluded, fmt.Sprintf("%s (%s)", ex.Reference, ex.Failure.Reason.Label()))
			matches = append(matches, Match{ExpertID: ex.ExpertID, Reference: ex.Reference})
		}
	}
	if len(excluded) == 0 {
		return nil
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		var errs valid.Errors
		errs.Add("reason", "le classement exclut %s : dites pourquoi vous le proposez quand même", strings.Join(excluded, ", "))
		return errs
	}
	if n := len([]rune(reason)); n > 1000 {
		return valid.Errors{{Field: "reason", Message: fmt.Sprintf("1 000 caractères au plus (ici %s)", fr.Int(int64(n)))}}
	}
	name, err := audit.ActorName(ctx, s.db, actor, "vivier match (ligne de commande)")
	if err != nil {
		return err
	}
	return logRanking(ctx, s.db, LogEntry{ActorID: actor.UserID, Actor: name, Purpose: "override", NeedID: n.ID, Request: req,
		Result: Result{Weights: s.engine.Weights(), Matches: matches}, Note: reason})
}
