package training

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	mailbox "vivier/internal/mail"
)

// ConvocationLead is how long before a session its convocations go.
const ConvocationLead = 7 * 24 * time.Hour

// SendNotices enqueues the convocations of the sessions starting within a
// week (the half-days, the place, the personal link and the code to sign)
// and, once a session has ended, the link of the satisfaction survey and
// the certificate of completion (attached) to each trainee who signed; each
// goes once (its outbox key). It returns how many it enqueued. A periodic
// job, run by the system.
func (s *Service) SendNotices(ctx context.Context, actor access.Actor) (int, error) {
	if !actor.IsSystem() {
		return 0, access.Deny("c’est une tâche périodique de Vivier")
	}
	now := s.now()
	// Sessions starting in the coming week, or ended in the last week.
	sessions, err := s.sessionsWhere(ctx, s.db, `s.id IN (SELECT session_id FROM training_halfdays GROUP BY session_id
		HAVING (min(starts_at) > $1 AND min(starts_at) <= $2) OR (max(ends_at) <= $1 AND max(ends_at) > $3))`,
		now, now.Add(ConvocationLead), now.Add(-ConvocationLead))
	if err != nil {
		return 0, err
	}
	count := 0
	for _, sess := range sessions {
		ended := !now.Before(sess.End())
		sh, err := s.sheet(ctx, sess.ID)
		if err != nil {
			return count, err
		}
		for _, en := range sh.Trainees {
			err := s.db.Tx(ctx, func(tx *sql.Tx) error {
				if !ended {
					return s.convoke(ctx, tx, sh, en)
				}
				if sh.AttendedHours(en.ID) == 0 {
					return nil
				}
				return s.closing(ctx, tx, sh, en)
			})
			if err != nil {
				return count, err
			}
			count++
		}
	}
	return count, nil
}

func (s *Service) convoke(ctx context.Context, tx *sql.Tx, sh Sheet, en Enrolment) error {
	sess := sh.Session
	place := "En ligne : " + sess.OnlineURL
	if sess.Commune != "" {
		place = sess.Address
		if c, ok := s.geo.Commune(sess.Commune); ok {
			place += ", " + c.Name
		}
	}
	n := notice{Subject: "Convocation : " + sh.Training.Title, Lines: []string{
		"Vous êtes convoqué(e) à la formation « " + sh.Training.Title + " », animée par " + sess.Trainer + ".", "Lieu : " + place + "."}}
	for _, h := range sess.HalfDays {
		n.Lines = append(n.Lines, "• "+h.Label()+" : de "+clock(h.StartsAt)+" à "+clock(h.EndsAt))
	}
	n.Lines = append(n.Lines, "À chaque demi-journée, émargez sur votre téléphone : ouvrez le lien ci-dessous, ou scannez le code QR affiché en salle et donnez votre code personnel : "+en.Code+".")
	return s.send(ctx, tx, en, fmt.Sprintf("training-convocation:%d", en.ID), n)
}

func clock(t time.Time) string {
	t = t.In(date.Paris())
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

func (s *Service) closing(ctx context.Context, tx *sql.Tx, sh Sheet, en Enrolment) error {
	doc, err := s.certificate(ctx, en)
	if err != nil {
		return err
	}
	n := notice{Subject: "Votre attestation et votre avis : " + sh.Training.Title, Lines: []string{
		"Merci d’avoir suivi la formation « " + sh.Training.Title + " ».",
		"Votre attestation de fin de formation est jointe : " + hoursText(sh.AttendedHours(en.ID)) + " suivies sur " + hoursText(sh.Session.Hours()) + ".",
		"Donnez-nous votre avis en deux minutes : il nous aide à améliorer nos formations."},
		URL: s.baseURL + "/emargement/" + en.Token + "/avis", Action: "Donner mon avis"}
	return s.send(ctx, tx, en, fmt.Sprintf("training-closing:%d", en.ID), n,
		mailbox.Attachment{Name: "attestation.pdf", ContentType: "application/pdf", Data: doc})
}

// Engagement counts, per organisation, the trainees who signed at least one
// half-day of the sessions that started in [from, to] (Paris days):
// {"trainings_attended": n}. A trainee counts for the organisation of their
// enrolment, or else for that of the account with their email. The
// network's engagement view reads it.
func (s *Service) Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
	start := time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, date.Paris()).UTC()
	end := time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, date.Paris()).AddDate(0, 0, 1).UTC()
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(e.organisation_id, u.organisation_id), count(*) FROM training_enrolments e
		LEFT JOIN users u ON u.email = e.email
		WHERE e.status = 'confirmed' AND coalesce(e.organisation_id, u.organisation_id) IS NOT NULL
		AND EXISTS (SELECT 1 FROM training_signatures g WHERE g.enrolment_id = e.id)
		AND e.session_id IN (SELECT session_id FROM training_halfdays GROUP BY session_id HAVING min(starts_at) >= $1 AND min(starts_at) < $2)
		GROUP BY coalesce(e.organisation_id, u.organisation_id)`, start, end)
	if err != nil {
		return nil, fmt.Errorf("trainings engagement: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var org int64
		var n int
		if err := rows.Scan(&org, &n); err != nil {
			return nil, err
		}
		out[org] = map[string]int{"trainings_attended": n}
	}
	return out, rows.Err()
}

// Price is what enrolment en costs for training t, in French.
func Price(t Training, en Enrolment) string {
	if en.Member {
		return fr.Euros(int64(t.PriceMember)) + " (tarif adhérent)"
	}
	return fr.Euros(int64(t.PriceOther))
}
