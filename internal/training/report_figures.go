package training

import (
	"context"

	"vivier/internal/access"
)

// YearLine is one training's quality figures of a year, as the yearly
// activity report adds them up.
type YearLine struct {
	Training Training
	Indicators
}

// YearFigures returns the quality figures of every training that has
// sessions (or MOOC counts) starting in year, by title, with their sum:
// the same numbers as each training's indicators (Indicators), added up.
// Staff only.
func (s *Service) YearFigures(ctx context.Context, year int, actor access.Actor) ([]YearLine, Indicators, error) {
	total := Indicators{Year: year}
	if err := staffOnly(actor); err != nil {
		return nil, total, err
	}
	list, err := s.List(ctx, actor)
	if err != nil {
		return nil, total, err
	}
	var out []YearLine
	for _, t := range list {
		_, years, err := s.Indicators(ctx, t.ID, actor)
		if err != nil {
			return nil, total, err
		}
		for _, ind := range years {
			if ind.Year != year {
				continue
			}
			out = append(out, YearLine{Training: t, Indicators: ind})
			total.Sessions += ind.Sessions
			total.Trainees += ind.Trainees
			total.HoursTrainee += ind.HoursTrainee
			total.Completed += ind.Completed
			total.Responses += ind.Responses
			total.Satisfied += ind.Satisfied
		}
	}
	return out, total, nil
}
