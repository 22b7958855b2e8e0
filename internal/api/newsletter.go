package api

import (
	"net/http"

	"vivier/internal/httpkit"
	"vivier/internal/newsletter"
)

// newsletterRoutes registers the API of lists, subscribers, campaigns and
// the relay's bounce reports.
func (a *API) newsletterRoutes(r *httpkit.Router) {
	r.HandleFunc("POST /api/v1/lists", httpkit.Staff, a.createList)
	r.Upload("POST /api/v1/lists/{id}/subscribers", httpkit.Staff, 32<<20, a.addSubscribers)
	r.HandleFunc("POST /api/v1/campaigns", httpkit.Staff, a.createCampaign)
	r.HandleFunc("POST /api/v1/campaigns/{id}/send", httpkit.Staff, a.sendCampaign)
	r.HandleFunc("GET /api/v1/campaigns/{id}/stats", httpkit.Staff, a.campaignStats)
	r.HandleFunc("POST /api/v1/newsletter/bounces", httpkit.TokenLink, a.bounces)
}

type listInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Public      bool   `json:"public"`
	DoubleOptIn bool   `json:"double_opt_in"`
}

func (a *API) createList(w http.ResponseWriter, r *http.Request) {
	var in listInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	l, err := a.deps.Newsletter.CreateList(r.Context(), newsletter.ListInput{Name: in.Name, Description: in.Description,
		Public: in.Public, DoubleOptIn: in.DoubleOptIn}, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]int64{"id": l.ID})
}

type subscriberInput struct {
	Email           string `json:"email"`
	Name            string `json:"name"`
	TrackingConsent bool   `json:"tracking_consent"`
}

// addSubscribers adds people who already consent (staff's import).
func (a *API) addSubscribers(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	var in []subscriberInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	people := make([]newsletter.NewSubscriber, len(in))
	for i, p := range in {
		people[i] = newsletter.NewSubscriber{Email: p.Email, Name: p.Name, Tracking: p.TrackingConsent}
	}
	added, err := a.deps.Newsletter.AddSubscribers(r.Context(), id, people, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]int{"added": added.Added, "skipped": added.Skipped})
}

type campaignInput struct {
	Subject      string  `json:"subject"`
	Preheader    string  `json:"preheader"`
	BodyMarkdown string  `json:"body_markdown"`
	ListIDs      []int64 `json:"list_ids"`
}

func (a *API) createCampaign(w http.ResponseWriter, r *http.Request) {
	var in campaignInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	c, err := a.deps.Newsletter.CreateCampaign(r.Context(), newsletter.CampaignInput{Subject: in.Subject, Preheader: in.Preheader,
		Body: in.BodyMarkdown, ListIDs: in.ListIDs}, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]int64{"id": c.ID})
}

// sendCampaign starts sending now; the pipeline works in the background.
func (a *API) sendCampaign(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	if err := a.deps.Newsletter.Send(r.Context(), id, nil, httpkit.ActorOf(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusAccepted, map[string]any{"id": id, "status": string(newsletter.Sending)})
}

// Pair is a figure counted for people and for machines apart.
type Pair struct {
	Human   int `json:"human"`
	Machine int `json:"machine"`
}

// CampaignStats is a campaign's figures as the API shows them.
type CampaignStats struct {
	Status        string  `json:"status"`
	Recipients    int     `json:"recipients"`
	Delivered     int     `json:"delivered"`
	Bounced       int     `json:"bounced"`
	Tracked       int     `json:"tracked"`
	UniqueOpens   Pair    `json:"unique_opens"`
	UniqueClicks  Pair    `json:"unique_clicks"`
	Unsubscribed  int     `json:"unsubscribed"`
	Complaints    int     `json:"complaints"`
	OpenRate      float64 `json:"open_rate"`
	ClickRate     float64 `json:"click_rate"`
	NaiveOpenRate float64 `json:"naive_open_rate"`
}

func (a *API) campaignStats(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	st, err := a.deps.Newsletter.Stats(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, CampaignStats{Status: string(st.Campaign.Status), Recipients: st.Recipients, Delivered: st.Delivered,
		Bounced: st.Bounced, Tracked: st.Tracked, UniqueOpens: Pair{Human: st.HumanOpeners, Machine: st.MachineOpeners},
		UniqueClicks: Pair{Human: st.HumanClickers, Machine: st.MachineClickers}, Unsubscribed: st.Unsubscribed, Complaints: st.Complaints,
		OpenRate: st.OpenRate(), ClickRate: st.ClickRate(), NaiveOpenRate: st.NaiveOpenRate()})
}

type bounceInput struct {
	Events []struct {
		Type      string `json:"type"`
		Email     string `json:"email"`
		MessageID string `json:"message_id"`
		Status    string `json:"status"`
		Detail    string `json:"detail"`
	} `json:"events"`
}

// bounces takes the relay's reports of bounces, complaints and
// unsubscriptions by mail, authenticated by the shared secret in the
// X-Vivier-Webhook-Secret header.
func (a *API) bounces(w http.ResponseWriter, r *http.Request) {
	var in bounceInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	events := make([]newsletter.Event, len(in.Events))
	for i, e := range in.Events {
		events[i] = newsletter.Event{Type: e.Type, Email: e.Email, MessageID: e.MessageID, Status: e.Status, Detail: e.Detail}
	}
	n, err := a.deps.Newsletter.Report(r.Context(), r.Header.Get("X-Vivier-Webhook-Secret"), events, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]int{"matched": n})
}
