package expert

import (
	"slices"

	"vivier/internal/date"
)

// span is a continuous run of days an expert is available at DaysPerWeek
// days a week or more: a row of expert_spans, which makes "available
// during [a, b] at >= n" one index range per level (a span of level n or
// above starting on or before a and ending on or after b).
type span struct {
	DaysPerWeek int
	Start, End  date.Date
}

// spans merges periods into the spans of every level from 1 to 5: at level
// n, the periods at n days a week or more, those that follow each other
// without a day between joined. Periods never overlap (see checkPeriods).
//
// A span equal to one of the next level is left out: "available at >= n"
// then looks for a span at level n or above (see Service.availability).
// Most experts give the same days a week all year, so that their spans are
// the same at every level up to it; storing each once divides the rows of
// expert_spans by two and a half, and their writing time with them.
func spans(periods []Period) []span {
	sorted := slices.Clone(periods)
	slices.SortFunc(sorted, func(a, b Period) int { return a.Start.Compare(b.Start) })
	var levels [6][]span
	for n := 1; n <= 5; n++ {
		for _, p := range sorted {
			if p.DaysPerWeek < n {
				continue
			}
			if last := len(levels[n]) - 1; last >= 0 && levels[n][last].End.AddDays(1) == p.Start {
				levels[n][last].End = p.End
				continue
			}
			levels[n] = append(levels[n], span{n, p.Start, p.End})
		}
	}
	var out []span
	for n := 1; n <= 5; n++ {
		for _, sp := range levels[n] {
			if n < 5 && slices.ContainsFunc(levels[n+1], func(up span) bool { return up.Start == sp.Start && up.End == sp.End }) {
				continue
			}
			out = append(out, sp)
		}
	}
	return out
}
