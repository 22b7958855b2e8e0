package expert

import (
	"slices"

	"vivier/internal/date"
)

// span is a continuous run of days an expert is available at DaysPerWeek
// days a week or more: a row of expert_spans, which makes "available
// during [a, b] at >= n" one index range (a span of level n starting on or
// before a and ending on or after b).
type span struct {
	DaysPerWeek int
	Start, End  date.Date
}

// spans merges periods into the spans of every level from 1 to 5: at level
// n, the periods at n days a week or more, those that follow each other
// without a day between joined. Periods never overlap (see checkPeriods).
func spans(periods []Period) []span {
	sorted := slices.Clone(periods)
	slices.SortFunc(sorted, func(a, b Period) int { return a.Start.Compare(b.Start) })
	var out []span
	for n := 1; n <= 5; n++ {
		first := len(out)
		for _, p := range sorted {
			if p.DaysPerWeek < n {
				continue
			}
			if last := len(out) - 1; last >= first && out[last].End.AddDays(1) == p.Start {
				out[last].End = p.End
				continue
			}
			out = append(out, span{n, p.Start, p.End})
		}
	}
	return out
}
