package event

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/mail"
	"vivier/internal/markdown"
)

// notice is the data of the event_notice email template.
type notice struct {
	Name, Subject, Action, URL string
	Lines                      []string
}

func fmtTime(t time.Time) string { return fr.DateTime(t) }

// link is the registrant's own page: status, online link, cancellation.
func (s *Service) link(r Registration) string { return s.baseURL + "/inscriptions/" + r.Token }

// place says where e happens, for emails; the online link only to those
// who may have it.
func (s *Service) place(e Event, confirmed bool) string {
	if e.Online() {
		if confirmed && e.OnlineURL != "" {
			return "En ligne : " + e.OnlineURL
		}
		return "En ligne (le lien est donné aux participants confirmés)"
	}
	where := e.Address
	if c, ok := s.geo.Commune(e.Commune); ok {
		where = strings.TrimPrefix(strings.TrimSpace(where+", "+c.Name), ", ")
	}
	if confirmed && e.OnlineURL != "" {
		where += " — ou en ligne : " + e.OnlineURL
	}
	return where
}

// send enqueues one message to a registrant in tx.
func (s *Service) send(ctx context.Context, tx *sql.Tx, r Registration, key string, n notice, files ...mail.Attachment) error {
	n.Name = r.Name
	if n.URL == "" {
		n.URL, n.Action = s.link(r), "Voir mon inscription"
	}
	m, err := mail.Compose(r.Email, key, "event_notice", n)
	if err != nil {
		return err
	}
	m.Attachments = files
	return mail.Enqueue(ctx, tx, m)
}

// tellConfirmed sends the confirmation (kind "confirm") or the promotion
// from the waiting list ("promote"), with the .ics invitation.
func (s *Service) tellConfirmed(ctx context.Context, tx *sql.Tx, e Event, r Registration, kind string) error {
	ics, err := s.Invitation(e, r)
	if err != nil {
		return err
	}
	n := notice{Subject: "Inscription confirmée : " + e.Title}
	if kind == "promote" {
		n.Subject = "Une place s’est libérée : vous participez à « " + e.Title + " »"
		n.Lines = append(n.Lines, "Une place s’est libérée : votre inscription, qui était en liste d’attente, est confirmée.")
	}
	n.Lines = append(n.Lines, "Quand : "+fmtTime(e.StartsAt)+" (heure de Paris).", "Où : "+s.place(e, true)+".",
		"L’invitation jointe (invitation.ics) l’ajoute à votre agenda.",
		"Si vous ne pouvez plus venir, annulez depuis le lien ci-dessous : votre place ira à la personne suivante de la liste d’attente.")
	return s.send(ctx, tx, r, fmt.Sprintf("event-%s:%d", kind, r.ID), n,
		mail.Attachment{Name: "invitation.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: ics})
}

func (s *Service) tellWaitlisted(ctx context.Context, tx *sql.Tx, e Event, r Registration) error {
	return s.send(ctx, tx, r, fmt.Sprintf("event-waitlist:%d", r.ID), notice{
		Subject: "Liste d’attente : " + e.Title,
		Lines: []string{"L’événement est complet : vous êtes en liste d’attente, en position " + fr.Int(int64(r.Position)) + ".",
			"Dès qu’une place se libère avant la clôture des inscriptions (" + fmtTime(e.Deadline) + "), elle est attribuée dans l’ordre de la liste et vous êtes prévenu par courriel."},
	})
}

func (s *Service) tellCancelled(ctx context.Context, tx *sql.Tx, e Event, r Registration) error {
	return s.send(ctx, tx, r, fmt.Sprintf("event-cancel:%d", r.ID), notice{
		Subject: "Inscription annulée : " + e.Title,
		Lines:   []string{"Votre inscription à « " + e.Title + " » du " + fmtTime(e.StartsAt) + " est annulée. Merci de nous avoir prévenus."},
		URL:     s.baseURL + fmt.Sprintf("/evenements/%d", e.ID), Action: "Voir l’événement",
	})
}

// Invitation is the .ics file of e for registrant r: the place, and the
// online link when r is confirmed.
func (s *Service) Invitation(e Event, r Registration) ([]byte, error) {
	desc, err := markdown.Text(e.Description)
	if err != nil {
		return nil, err
	}
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, fmt.Sprintf("event-%d@vivier", e.ID))
	ev.Props.SetDateTime(ical.PropDateTimeStamp, s.now())
	ev.Props.SetDateTime(ical.PropDateTimeStart, e.StartsAt.UTC())
	ev.Props.SetDateTime(ical.PropDateTimeEnd, e.EndsAt.UTC())
	ev.Props.SetText(ical.PropSummary, e.Title)
	ev.Props.SetText(ical.PropLocation, s.place(e, r.Status == Confirmed))
	ev.Props.SetText(ical.PropDescription, strings.TrimSpace(desc+"\n\nVotre inscription : "+s.link(r)))
	if e.OnlineURL != "" && r.Status == Confirmed {
		ev.Props.SetText(ical.PropURL, e.OnlineURL)
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Vivier//Evenements//FR")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	cal.Children = append(cal.Children, ev.Component)
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return nil, fmt.Errorf("invitation of event %d: %w", e.ID, err)
	}
	return buf.Bytes(), nil
}

// SendReminders enqueues, for every confirmed registration, the reminder 7
// days before the event, the one 1 day before, and the thanks after it with
// the replay or documents; each goes once (its outbox key), and only to
// those registered before its moment. It returns how many it enqueued. A
// periodic job, run by the system.
func (s *Service) SendReminders(ctx context.Context, actor access.Actor) (int, error) {
	if !actor.IsSystem() {
		return 0, access.Deny("c’est une tâche périodique de Vivier")
	}
	now := s.now()
	type due struct {
		reg   Registration
		event int64
		kind  string
	}
	var list []due
	for _, w := range []struct {
		kind   string
		before time.Duration // the reminder's moment before the start
	}{{"remind7", 7 * 24 * time.Hour}, {"remind1", 24 * time.Hour}} {
		regs, err := queryRegistrations(ctx, s.db, `status = 'confirmed' AND created_at < $1 AND event_id IN
			(SELECT id FROM events WHERE starts_at > $2 AND starts_at <= $3)`, now.Add(-time.Minute), now, now.Add(w.before))
		if err != nil {
			return 0, err
		}
		for _, r := range regs {
			list = append(list, due{r, r.EventID, w.kind})
		}
	}
	// The thanks, in the week after the end (an old event is not thanked
	// when the job first runs).
	regs, err := queryRegistrations(ctx, s.db, `status = 'confirmed' AND event_id IN
		(SELECT id FROM events WHERE ends_at <= $1 AND ends_at > $2)`, now, now.Add(-7*24*time.Hour))
	if err != nil {
		return 0, err
	}
	for _, r := range regs {
		list = append(list, due{r, r.EventID, "thanks"})
	}
	count := 0
	events := map[int64]Event{}
	for _, d := range list {
		e, ok := events[d.event]
		if !ok {
			if e, err = getEvent(ctx, s.db, d.event); err != nil {
				return count, err
			}
			events[d.event] = e
		}
		// The 7-day reminder is for those registered before the last week.
		if d.kind == "remind7" && (e.StartsAt.Sub(now) <= 24*time.Hour || !d.reg.CreatedAt.Before(e.StartsAt.Add(-7*24*time.Hour))) {
			continue
		}
		if d.kind == "remind1" && !d.reg.CreatedAt.Before(e.StartsAt.Add(-24*time.Hour)) {
			continue
		}
		err := s.db.Tx(ctx, func(tx *sql.Tx) error { return s.remind(ctx, tx, e, d.reg, d.kind) })
		if err != nil {
			return count, err
		}
		count++
	}
	return count, nil
}

func (s *Service) remind(ctx context.Context, tx *sql.Tx, e Event, r Registration, kind string) error {
	key := fmt.Sprintf("event-%s:%d", kind, r.ID)
	switch kind {
	case "thanks":
		n := notice{Subject: "Merci : " + e.Title}
		if r.Present {
			n.Lines = append(n.Lines, "Merci d’avoir participé à « "+e.Title+" ».")
		} else {
			n.Lines = append(n.Lines, "Vous n’avez pas pu participer à « "+e.Title+" » : voici de quoi rattraper.")
		}
		if e.Followup != "" {
			n.Lines = append(n.Lines, "Le replay et les documents : "+e.Followup)
		}
		n.URL, n.Action = s.baseURL+fmt.Sprintf("/evenements/%d", e.ID), "Voir l’événement"
		return s.send(ctx, tx, r, key, n)
	case "remind7":
		return s.send(ctx, tx, r, key, notice{Subject: "Dans une semaine : " + e.Title,
			Lines: []string{"Rappel : « " + e.Title + " » a lieu le " + fmtTime(e.StartsAt) + ".", "Où : " + s.place(e, true) + "."}})
	}
	return s.send(ctx, tx, r, key, notice{Subject: "Demain : " + e.Title,
		Lines: []string{"Rappel : « " + e.Title + " » a lieu demain, le " + fmtTime(e.StartsAt) + ".", "Où : " + s.place(e, true) + "."}})
}
