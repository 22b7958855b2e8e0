package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/network"
	"vivier/internal/store"
)

// An event's partners are associated members who co-organise it; doing so
// delivers the counterparts their agreements promise (« un webinaire
// co-organisé »). The event's staff page lists each partner's counterparts
// still planned and marks one delivered by the event in one click: the
// counterpart then links to the event (kind event, its id and label), as
// the partner's page shows it.

// partnerChoice is a partner as the event form offers it.
type partnerChoice struct {
	ID      int64
	Name    string
	Checked bool
}

// partnerChoices lists the partners for the event form, those of chosen
// ticked.
func (s *Server) partnerChoices(ctx context.Context, chosen string, actor access.Actor) ([]partnerChoice, error) {
	list, err := s.deps.Network.Partners(ctx, actor)
	if err != nil {
		return nil, err
	}
	ticked := strings.Fields(chosen)
	out := make([]partnerChoice, len(list))
	for i, p := range list {
		out[i] = partnerChoice{ID: p.ID, Name: p.Name, Checked: slices.Contains(ticked, strconv.FormatInt(p.ID, 10))}
	}
	return out, nil
}

// partnersOfForm reads the ticked partners of the event form; the form
// keeps them as ids separated by spaces.
func partnersOfForm(r *http.Request, f *Form) []int64 {
	var ids []int64
	var kept []string
	for _, v := range r.PostForm["partners"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
			kept = append(kept, v)
		} else {
			f.Add("partners", "choisissez les partenaires dans la liste")
		}
	}
	f.Values["partners"] = strings.Join(kept, " ")
	return ids
}

// idsText writes ids as the event form keeps them.
func idsText(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, " ")
}

// eventPartner is a partner of an event with its counterparts.
type eventPartner struct {
	ID           int64
	Name         string
	Counterparts []eventCounterpart
}

// eventCounterpart is a counterpart as the event's page shows it: planned
// (it may be delivered by this event) or delivered by this event.
type eventCounterpart struct {
	ID          int64
	Title, Kind string
	Due         string
	Late        bool
	ByThisEvent bool   // delivered by this event
	Delivered   string // the day it was delivered, for those
}

// eventPartners lists the partners of e with their counterparts still
// planned and those this event delivered.
func (s *Server) eventPartners(ctx context.Context, e event.Event, actor access.Actor) ([]eventPartner, error) {
	var out []eventPartner
	for _, id := range e.Partners {
		p, err := s.deps.Network.Partner(ctx, id, actor)
		if isNotFoundErr(err) {
			continue // an associated member with no partner record yet
		}
		if err != nil {
			return nil, err
		}
		v := eventPartner{ID: p.ID, Name: p.Name}
		for _, a := range p.Agreements {
			for _, c := range a.Counterparts {
				by := c.Status == network.Delivered && c.Link.Kind == network.KindEvent && c.Link.ID == e.ID
				if c.Status != network.Planned && !by {
					continue
				}
				v.Counterparts = append(v.Counterparts, eventCounterpart{ID: c.ID, Title: c.Title, Kind: c.Kind.Label(), Due: fr.Date(c.DueOn),
					Late: c.Late, ByThisEvent: by, Delivered: fr.Date(c.DeliveredOn)})
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// deliverCounterpart marks a counterpart of one of the event's partners
// delivered by the event, on the event's day (today for an event still to
// come), and goes back to the event's page.
func (s *Server) deliverCounterpart(w http.ResponseWriter, r *http.Request) {
	e, ok := recordOf(s, w, r, s.deps.Events.Get)
	if !ok {
		return
	}
	cid, ok := httpkit.PathID(r, "cid")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx, actor := r.Context(), httpkit.ActorOf(r)
	partners, err := s.eventPartners(ctx, e, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	found := false
	for _, p := range partners {
		for _, c := range p.Counterparts {
			found = found || c.ID == cid
		}
	}
	if !found {
		// Not a counterpart of this event's partners, or no longer planned.
		s.fail(w, r, store.NotFound("counterpart %d of event %d", cid, e.ID))
		return
	}
	label, err := s.deps.Events.Label(ctx, e.ID, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	on := date.Of(e.StartsAt.In(date.Paris()))
	if e.StartsAt.After(time.Now()) {
		on = date.Today()
	}
	err = s.deps.Network.UpdateCounterpart(ctx, cid, network.CounterpartUpdate{Status: network.Delivered, DeliveredOn: on,
		Link: network.Link{Kind: network.KindEvent, ID: e.ID, Label: label}}, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/evenements/%d?ok=counterpart-delivered#partenaires", e.ID))
}
