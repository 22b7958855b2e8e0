package api

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"vivier/internal/event"
	"vivier/internal/httpkit"
)

// eventRoutes registers the API routes of events and registrations.
func (a *API) eventRoutes(r *httpkit.Router) {
	r.HandleFunc("GET /api/v1/events", httpkit.Public, a.listEvents)
	r.HandleFunc("POST /api/v1/events", httpkit.Staff, a.createEvent)
	r.HandleFunc("POST /api/v1/events/{id}/registrations", httpkit.Public, a.register)
	r.HandleFunc("GET /api/v1/events/{id}/registrations", httpkit.Staff, a.listRegistrations)
	// The registrant's link token in the body lets them cancel without an
	// account; staff send none. The service decides.
	r.HandleFunc("POST /api/v1/registrations/{id}/cancel", httpkit.Public, a.cancelRegistration)
}

// EventJSON is an event as the API shows it (never its online link).
type EventJSON struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Commune    string    `json:"commune,omitempty"`
	Capacity   int       `json:"capacity"`
	Seats      int       `json:"seats"`
	Audience   string    `json:"audience"`
	Deadline   time.Time `json:"registration_deadline"`
	Waitlisted int       `json:"waitlisted"`
}

func (a *API) listEvents(w http.ResponseWriter, r *http.Request) {
	list, err := a.deps.Events.List(r.Context(), event.Filter{Past: r.URL.Query().Get("past") == "true"}, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]EventJSON, 0, len(list))
	for _, e := range list {
		out = append(out, EventJSON{ID: e.ID, Title: e.Title, Kind: string(e.Kind), StartsAt: e.StartsAt, EndsAt: e.EndsAt, Commune: e.Commune,
			Capacity: e.Capacity, Seats: e.Seats(), Audience: string(e.Audience), Deadline: e.Deadline, Waitlisted: e.Waitlisted})
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"events": out})
}

// eventInput is the body of POST /events.
type eventInput struct {
	Title           string     `json:"title"`
	Kind            string     `json:"kind"`
	Description     string     `json:"description"`
	StartsAt        time.Time  `json:"starts_at"`
	EndsAt          time.Time  `json:"ends_at"`
	Commune         string     `json:"commune"`
	Address         string     `json:"address"`
	OnlineURL       string     `json:"online_url"`
	Capacity        int        `json:"capacity"`
	Deadline        *time.Time `json:"registration_deadline"`
	Audience        string     `json:"audience"`
	Followup        string     `json:"followup"`
	AttendanceShare int        `json:"attendance_share"`
	Partners        []int64    `json:"partners"`
}

func (a *API) createEvent(w http.ResponseWriter, r *http.Request) {
	var in eventInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	ev := event.Input{Title: in.Title, Kind: event.Kind(in.Kind), Description: in.Description, StartsAt: in.StartsAt, EndsAt: in.EndsAt,
		Commune: in.Commune, Address: in.Address, OnlineURL: in.OnlineURL, Capacity: in.Capacity, Audience: event.Audience(in.Audience),
		Followup: in.Followup, AttendanceShare: in.AttendanceShare, Partners: in.Partners}
	if in.Deadline != nil {
		ev.Deadline = *in.Deadline
	}
	id, err := a.deps.Events.Create(r.Context(), ev, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]int64{"id": id})
}

// registrationInput is the body of POST /events/{id}/registrations.
type registrationInput struct {
	Email        string `json:"email"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// RegistrationJSON is a registration as the API shows it.
type RegistrationJSON struct {
	ID           int64  `json:"id"`
	Status       string `json:"status"`
	Position     *int   `json:"position"`
	Email        string `json:"email,omitempty"`
	Name         string `json:"name,omitempty"`
	Organisation string `json:"organisation,omitempty"`
	Present      *bool  `json:"present,omitempty"`
}

// position is a registration's waiting-list position while it waits.
func position(r event.Registration) *int {
	if r.Status != event.Waitlisted {
		return nil
	}
	p := r.Position
	return &p
}

func (a *API) register(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	var in registrationInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	reg, err := a.deps.Events.Register(r.Context(), id, event.RegistrationInput{Email: in.Email, Name: in.Name, Organisation: in.Organisation},
		httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, RegistrationJSON{ID: reg.ID, Status: string(reg.Status), Position: position(reg)})
}

func (a *API) listRegistrations(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	list, err := a.deps.Events.Registrations(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]RegistrationJSON, 0, len(list))
	for _, reg := range list {
		present := reg.Present
		out = append(out, RegistrationJSON{ID: reg.ID, Status: string(reg.Status), Position: position(reg), Email: reg.Email, Name: reg.Name,
			Organisation: reg.Organisation, Present: &present})
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"registrations": out})
}

// cancelInput is the optional body of POST /registrations/{id}/cancel.
type cancelInput struct {
	Token string `json:"token"`
}

func (a *API) cancelRegistration(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	// The body is optional: staff send none.
	var in cancelInput
	data, err := io.ReadAll(r.Body)
	if err != nil {
		httpkit.WriteAPIError(w, http.StatusRequestEntityTooLarge, "too_large", "le corps de la requête dépasse la taille permise", "")
		return
	}
	if len(bytes.TrimSpace(data)) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(data))
		if !httpkit.Decode(w, r, &in) {
			return
		}
	}
	if err := a.deps.Events.Cancel(r.Context(), id, in.Token, httpkit.ActorOf(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]string{"status": string(event.Cancelled)})
}
