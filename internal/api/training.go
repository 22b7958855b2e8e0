package api

import (
	"net/http"

	"vivier/internal/httpkit"
)

// trainingRoutes registers the API routes of trainings.
func (a *API) trainingRoutes(r *httpkit.Router) {
	r.HandleFunc("GET /api/v1/trainings", httpkit.Public, a.listTrainings)
	r.HandleFunc("GET /api/v1/trainings/{id}/indicators", httpkit.Staff, a.trainingIndicators)
}

// TrainingJSON is a training of the catalogue.
type TrainingJSON struct {
	ID          int64   `json:"id"`
	Title       string  `json:"title"`
	Kind        string  `json:"kind"`
	Hours       float64 `json:"hours"`
	PriceMember int     `json:"price_member"`
	PriceOther  int     `json:"price_other"`
}

func (a *API) listTrainings(w http.ResponseWriter, r *http.Request) {
	list, err := a.deps.Trainings.List(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]TrainingJSON, 0, len(list))
	for _, t := range list {
		out = append(out, TrainingJSON{ID: t.ID, Title: t.Title, Kind: string(t.Kind), Hours: t.Hours, PriceMember: t.PriceMember, PriceOther: t.PriceOther})
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"trainings": out})
}

// IndicatorsJSON is the quality figures of a training over one year.
type IndicatorsJSON struct {
	Year             int     `json:"year"`
	Sessions         int     `json:"sessions"`
	Trainees         int     `json:"trainees"`
	HoursTrainee     float64 `json:"hours_trainee"`
	CompletionRate   float64 `json:"completion_rate"`
	SatisfactionRate float64 `json:"satisfaction_rate"`
	ResponseRate     float64 `json:"response_rate"`
}

func (a *API) trainingIndicators(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	t, list, err := a.deps.Trainings.Indicators(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	years := make([]IndicatorsJSON, 0, len(list))
	for _, i := range list {
		years = append(years, IndicatorsJSON{Year: i.Year, Sessions: i.Sessions, Trainees: i.Trainees, HoursTrainee: i.HoursTrainee,
			CompletionRate: i.CompletionRate(), SatisfactionRate: i.SatisfactionRate(), ResponseRate: i.ResponseRate()})
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"training_id": t.ID, "title": t.Title, "years": years})
}
