package app

import (
	"context"

	"vivier/internal/date"
	"vivier/internal/network"
)

// engagementSource is one package's count of what the staff of each agency
// did, as the network's engagement reads it. The network is built before
// the services it counts (events and trainings ask it who is a member), so
// count reaches them when the engagement is computed, not when it is wired.
// Tracks names the activity the source counts, so that an agency that did
// none shows 0 rather than « non suivi pour l’instant ».
type engagementSource struct {
	key   string
	count func(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error)
}

// Engagement implements network.EngagementSource.
func (e engagementSource) Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
	return e.count(ctx, from, to)
}

// Tracks implements network.Tracker.
func (e engagementSource) Tracks() []string { return []string{e.key} }

// engagementSources are the network's sources outside the pool: events
// attended, trainings attended, newsletters opened by a person, hearings
// joined. Their keys are those of network.Activities.
func (a *App) engagementSources() []network.EngagementSource {
	return []network.EngagementSource{
		engagementSource{"events_attended", func(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
			return a.Events.Engagement(ctx, from, to)
		}},
		engagementSource{"trainings_attended", func(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
			return a.Trainings.Engagement(ctx, from, to)
		}},
		engagementSource{"newsletter_human_opens", func(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
			return a.Newsletter.Engagement(ctx, from, to)
		}},
		engagementSource{"hearings_joined", func(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
			return a.Representation.Engagement(ctx, from, to)
		}},
	}
}
