package event

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/tabular"
)

// Figures are the counts of one event, or of every event of a period.
type Figures struct {
	Registered int // confirmed and waitlisted (not cancelled)
	Confirmed  int
	Waitlisted int
	Cancelled  int
	Present    int
	// Attended counts the confirmed registrations of events that ended,
	// which the no-show rate is taken over.
	Attended int
}

// NoShowRate is the share of confirmed participants of past events who did
// not come: (confirmed − present) ÷ confirmed.
func (f Figures) NoShowRate() float64 {
	if f.Attended == 0 {
		return 0
	}
	return float64(f.Attended-f.Present) / float64(f.Attended)
}

// EventFigures is one event's line of the figures.
type EventFigures struct {
	Event Event
	Figures
}

// Count is a number of participants for a name.
type Count struct {
	ID    int64 // the organisation, or 0
	Name  string
	Count int
}

// Report is the figures of the events starting in a period.
type Report struct {
	From, To  date.Date
	Events    []EventFigures
	Total     Figures
	ByAgency  []Count // present participants per member agency (through their account or sign-in)
	ByRegion  []Count // present participants per region of the event's place ("En ligne" for online events)
	Generated time.Time
}

// Stats returns the figures of the events that start in [from, to] (Paris
// days), for staff.
func (s *Service) Stats(ctx context.Context, from, to date.Date, actor access.Actor) (Report, error) {
	if err := staffOnly(actor); err != nil {
		return Report{}, err
	}
	start, end := parisStart(from), parisStart(to.AddDays(1))
	events, err := s.List(ctx, Filter{From: start, To: end}, actor)
	if err != nil {
		return Report{}, err
	}
	rep := Report{From: from, To: to, Generated: s.now()}
	now := s.now()
	ids := map[int64]bool{}
	for _, e := range events {
		ids[e.ID] = true
		var cancelled int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM event_registrations WHERE event_id = $1 AND status = 'cancelled'`, e.ID).Scan(&cancelled); err != nil {
			return Report{}, err
		}
		f := Figures{Registered: e.Confirmed + e.Waitlisted, Confirmed: e.Confirmed, Waitlisted: e.Waitlisted, Cancelled: cancelled, Present: e.Present}
		if e.EndsAt.Before(now) {
			f.Attended = e.Confirmed
		}
		rep.Events = append(rep.Events, EventFigures{Event: e, Figures: f})
		rep.Total.Registered += f.Registered
		rep.Total.Confirmed += f.Confirmed
		rep.Total.Waitlisted += f.Waitlisted
		rep.Total.Cancelled += f.Cancelled
		rep.Total.Present += f.Present
		rep.Total.Attended += f.Attended
		region := "En ligne"
		if r, ok := s.geo.Region(e.Region); ok {
			region = r.Name
		}
		rep.ByRegion = addCount(rep.ByRegion, 0, region, e.Present)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.name, count(*) FROM event_registrations r
		JOIN events e ON e.id = r.event_id
		LEFT JOIN users u ON u.email = r.email
		JOIN organisations o ON o.id = coalesce(r.organisation_id, u.organisation_id)
		WHERE r.status = 'confirmed' AND r.present AND e.starts_at >= $1 AND e.starts_at < $2 AND o.kind = 'agence'
		GROUP BY o.id, o.name`, start, end)
	if err != nil {
		return Report{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.ID, &c.Name, &c.Count); err != nil {
			return Report{}, err
		}
		rep.ByAgency = append(rep.ByAgency, c)
	}
	byCount := func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name)) }
	slices.SortFunc(rep.ByAgency, byCount)
	slices.SortFunc(rep.ByRegion, byCount)
	return rep, rows.Err()
}

func addCount(list []Count, id int64, name string, n int) []Count {
	for i := range list {
		if list[i].Name == name {
			list[i].Count += n
			return list
		}
	}
	return append(list, Count{ID: id, Name: name, Count: n})
}

func parisStart(d date.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, date.Paris()).UTC()
}

// WriteCSV writes the report's events, one line each, with formula cells
// neutralised.
func (rep Report) WriteCSV(w io.Writer) error {
	header := []string{"id", "titre", "type", "debut", "lieu", "capacite", "inscrits", "confirmes", "liste_attente", "annules", "presents", "taux_absence"}
	var rows [][]string
	for _, f := range rep.Events {
		e := f.Event
		place := "en ligne"
		if !e.Online() {
			place = e.Commune
		}
		noShow := ""
		if f.Attended > 0 {
			noShow = strconv.FormatFloat(f.NoShowRate()*100, 'f', 1, 64)
		}
		rows = append(rows, []string{strconv.FormatInt(e.ID, 10), e.Title, string(e.Kind), e.StartsAt.In(date.Paris()).Format("2006-01-02 15:04"),
			place, strconv.Itoa(e.Capacity), strconv.Itoa(f.Registered), strconv.Itoa(f.Confirmed), strconv.Itoa(f.Waitlisted),
			strconv.Itoa(f.Cancelled), strconv.Itoa(f.Present), noShow})
	}
	return tabular.WriteCSV(w, header, rows)
}

// Engagement counts, per organisation, the participants present at the
// events that started in [from, to] (Paris days): {"events_attended": n}.
// A participant counts for the organisation recorded at their registration
// (signed in), or else for the organisation of the account with their
// email. The network's engagement view reads it.
func (s *Service) Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(r.organisation_id, u.organisation_id), count(*) FROM event_registrations r
		JOIN events e ON e.id = r.event_id
		LEFT JOIN users u ON u.email = r.email
		WHERE r.status = 'confirmed' AND r.present AND e.starts_at >= $1 AND e.starts_at < $2
		AND coalesce(r.organisation_id, u.organisation_id) IS NOT NULL
		GROUP BY coalesce(r.organisation_id, u.organisation_id)`, parisStart(from), parisStart(to.AddDays(1)))
	if err != nil {
		return nil, fmt.Errorf("events engagement: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var org int64
		var n int
		if err := rows.Scan(&org, &n); err != nil {
			return nil, err
		}
		out[org] = map[string]int{"events_attended": n}
	}
	return out, rows.Err()
}

// Retention is how long the registrants' names and addresses are kept
// after an event: the registration form promises a year.
const Retention = 365 * 24 * time.Hour

// Anonymise removes the names, addresses and organisations of the
// registrations of events that ended more than Retention ago, keeping the
// counts (and the organisation recorded at registration, which is no
// personal data). It returns how many it anonymised. A periodic job.
func (s *Service) Anonymise(ctx context.Context, actor access.Actor) (int, error) {
	if !actor.IsSystem() {
		return 0, access.Deny("c’est une tâche périodique de Vivier")
	}
	// The address becomes unique per registration, so that the index of
	// one live registration per email and event still holds.
	res, err := s.db.ExecContext(ctx, `UPDATE event_registrations SET email = 'anonyme-' || id || '@invalid', name = 'Participant anonymisé',
		organisation = '', consent = '', user_id = NULL
		WHERE email NOT LIKE 'anonyme-%' AND event_id IN (SELECT id FROM events WHERE ends_at < $1)`, s.now().Add(-Retention))
	if err != nil {
		return 0, fmt.Errorf("anonymise registrations: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
