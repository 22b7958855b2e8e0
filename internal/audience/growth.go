package audience

import (
	"context"

	"vivier/internal/access"
	"vivier/internal/date"
)

// Growth is how an account's audience changed over a period, computed from
// the counts nearest to the period's first and last days.
type Growth struct {
	Account  Account
	From, To date.Date // the period asked
	// Start and End are the counts used: the one nearest to From (on a
	// tie, the earlier) and the one nearest to To (on a tie, the later).
	// nil when the account has no count.
	Start, End *Count
	// Known says the growth could be computed: two different counts, the
	// first one above zero. Why says otherwise why not, in French.
	Known bool
	Why   string
	// Rate is (End − Start) ÷ Start: 0.75 for « +75 % ».
	Rate float64
}

// Formula is how Growth computes, in French, for the pages and the report.
const Formula = "(relevé le plus proche de la fin de la période − relevé le plus proche de son début) ÷ relevé le plus proche du début ; les dates des relevés utilisés sont indiquées"

// Growth computes the growth of every account between from and to (both
// days included), by account name; staff only.
func (s *Service) Growth(ctx context.Context, from, to date.Date, actor access.Actor) ([]Growth, error) {
	accounts, err := s.Accounts(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := make([]Growth, 0, len(accounts))
	for _, a := range accounts {
		list, err := counts(ctx, s.db, a.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, GrowthOf(a, list, from, to))
	}
	return out, nil
}

// GrowthOf computes the growth of account a over from..to from its counts
// (oldest first).
func GrowthOf(a Account, counts []Count, from, to date.Date) Growth {
	g := Growth{Account: a, From: from, To: to}
	if len(counts) == 0 {
		g.Why = "aucun relevé"
		return g
	}
	g.Start, g.End = nearest(counts, from, false), nearest(counts, to, true)
	switch {
	case !g.Start.Day.Before(g.End.Day):
		g.Why = "un seul relevé proche de la période : il en faut un près de son début et un près de sa fin"
	case g.Start.Value == 0:
		g.Why = "le premier relevé vaut zéro : pas de taux d’évolution"
	default:
		g.Known = true
		g.Rate = float64(g.End.Value-g.Start.Value) / float64(g.Start.Value)
	}
	return g
}

// nearest returns the count nearest to day; on a tie, the later one when
// later is set, else the earlier.
func nearest(counts []Count, day date.Date, later bool) *Count {
	best := -1
	bestGap := 0
	for i, c := range counts {
		gap := c.Day.DaysUntil(day)
		if gap < 0 {
			gap = -gap
		}
		if best < 0 || gap < bestGap || gap == bestGap && later {
			best, bestGap = i, gap
		}
	}
	c := counts[best]
	return &c
}
