package web

import (
	"vivier/internal/fr"
	"vivier/internal/mission"
)

// headline is one headline figure: the first thing a dashboard shows,
// before any chart or table.
type headline struct {
	ID, Value, Label, Note string
}

// dashHeadlines are the coordinators' four questions, answered first: how
// many needs wait, how fast they get a proposal, how many missions run,
// and what the network saved over the period.
func dashHeadlines(st mission.Stats) []headline {
	open := 0
	for _, c := range st.OpenNeeds {
		open += c.Value
	}
	running := 0
	for _, c := range st.MissionsByStatus {
		if c.Key == string(mission.InProgress) {
			running = c.Value
		}
	}
	median, note := "—", "aucun besoin déposé sur la période n’a reçu de proposition"
	if st.MedianDaysToProposal >= 0 {
		median, note = fr.Plural(st.MedianDaysToProposal, "jour", "jours"), "médiane, du dépôt à la première proposition"
	}
	period := "du " + fr.Date(st.From) + " au " + fr.Date(st.To)
	return []headline{
		{ID: "open-needs", Value: fr.Int(int64(open)), Label: "besoins ouverts", Note: "aujourd’hui, de déposé à accepté"},
		{ID: "time-to-proposal", Value: median, Label: "pour une proposition", Note: note},
		{ID: "missions-running", Value: fr.Int(int64(running)), Label: "missions en cours", Note: "créées sur la période"},
		{ID: "savings", Value: fr.Euros(int64(st.Saving)), Label: "économisés", Note: "face à un cabinet privé, " + period},
	}
}
