package web

import (
	"net/http"

	"vivier/internal/event"
	"vivier/internal/httpkit"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/publication"
	"vivier/internal/training"
)

// memberHome is what a member of an agency finds on their dashboard: their
// agency and its membership, and what the network offers them now — the
// next events and trainings, the latest publications, the newsletters
// they receive. Every part is read from its own service, as the member.
type memberHome struct {
	Standing     network.Standing
	Events       []event.Event
	Trainings    []training.Training
	Publications []publication.Publication
	Lists        []newsletter.ListChoice
}

// homeItems is how many items of each kind the member's home shows.
const homeItems = 3

func (s *Server) memberWaiting(r *http.Request, d *dashboardPage) error {
	ctx, actor := r.Context(), httpkit.ActorOf(r)
	h := &memberHome{}
	var err error
	if h.Standing, err = s.deps.Network.Standing(ctx, actor); err != nil {
		return err
	}
	if h.Events, err = s.deps.Events.List(ctx, event.Filter{}, actor); err != nil {
		return err
	}
	if h.Trainings, err = s.deps.Trainings.List(ctx, actor); err != nil {
		return err
	}
	pubs, err := s.deps.Publications.List(ctx, publication.Filter{Page: 1, PageSize: homeItems}, actor)
	if err != nil {
		return err
	}
	h.Publications = pubs.Publications
	prefs, err := s.deps.Newsletter.MyLists(ctx, actor)
	if err != nil {
		return err
	}
	for _, l := range prefs.Lists {
		if l.Subscribed {
			h.Lists = append(h.Lists, l)
		}
	}
	h.Events, h.Trainings = h.Events[:min(len(h.Events), homeItems)], h.Trainings[:min(len(h.Trainings), homeItems)]
	d.Member = h
	return nil
}
