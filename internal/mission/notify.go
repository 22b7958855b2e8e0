package mission

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/mail"
	"vivier/internal/store"
)

// GracePeriod is how long a proposal waits for an answer, or an accepted
// expert for the requester's choice, before one reminder goes out.
const GracePeriod = 3 * 24 * time.Hour

// wantsDigest reports whether the recipient has an account that chose the
// daily digest.
func wantsDigest(ctx context.Context, q store.Querier, email string) (bool, error) {
	var digest bool
	err := q.QueryRowContext(ctx, `SELECT mail_digest FROM users WHERE email = $1 AND status = 'active'`, strings.ToLower(email)).Scan(&digest)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return digest, err
}

// queue holds a notice for the recipient's next digest (a replay of the
// same key adds nothing).
func queue(ctx context.Context, tx *sql.Tx, to, key, subj, url string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mission_digest (email, key, subject, url, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (key) DO NOTHING`, strings.ToLower(to), key, subj, url, now)
	return err
}

// SendDigests sends each person with pending lines one email listing them,
// and returns how many emails it enqueued.
func (s *Service) SendDigests(ctx context.Context, actor access.Actor) (int, error) {
	if err := systemOnly(actor); err != nil {
		return 0, err
	}
	sent := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		sent = 0
		rows, err := tx.QueryContext(ctx, `SELECT id, email, subject, url FROM mission_digest WHERE sent_at IS NULL ORDER BY email, id`)
		if err != nil {
			return err
		}
		type line struct {
			id           int64
			subject, url string
		}
		byEmail := map[string][]line{}
		var order []string
		for rows.Next() {
			var l line
			var email string
			if err := rows.Scan(&l.id, &email, &l.subject, &l.url); err != nil {
				rows.Close()
				return err
			}
			if _, ok := byEmail[email]; !ok {
				order = append(order, email)
			}
			byEmail[email] = append(byEmail[email], l)
		}
		rows.Close()
		now := s.now()
		today := s.today()
		for _, email := range order {
			n := notice{Subject: "Votre résumé Vivier du " + fr.Date(today), Action: "Ouvrir mon tableau de bord",
				URL: s.baseURL + "/tableau-de-bord"}
			for _, l := range byEmail[email] {
				text := "• " + l.subject
				if l.url != "" {
					text += " : " + l.url
				}
				n.Lines = append(n.Lines, text)
				if _, err := tx.ExecContext(ctx, `UPDATE mission_digest SET sent_at = $1 WHERE id = $2`, now, l.id); err != nil {
					return err
				}
			}
			m, err := mail.Compose(email, "digest:"+email+":"+today.String(), "mission_notice", n)
			if err != nil {
				return err
			}
			if err := mail.Enqueue(ctx, tx, m); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	return sent, err
}

// Remind sends one reminder, after the grace period, to the expert of each
// proposal still unanswered and to the one referent of each need whose
// accepted experts wait for a choice. It returns how many went out.
func (s *Service) Remind(ctx context.Context, actor access.Actor) (int, error) {
	if err := systemOnly(actor); err != nil {
		return 0, err
	}
	count := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		count = 0
		cutoff := s.now().Add(-GracePeriod)
		now := s.now()
		pending, err := queryProposals(ctx, tx, "p.status = 'pending' AND p.reminded_at IS NULL AND p.created_at < $1", cutoff)
		if err != nil {
			return err
		}
		for _, p := range pending {
			ex, err := expertPerson(ctx, tx, p.ExpertID)
			if err != nil {
				return err
			}
			if err := s.notify(ctx, tx, ex.Email, ex.Name, subject("proposal-reminder", p.ID),
				notice{Subject: "Rappel : une proposition attend votre réponse (« " + p.NeedTitle + " »)",
					Lines: []string{"Merci de répondre avant le " + fr.Date(p.DueDate) + " ; sans réponse, la proposition expirera."}, Action: "Répondre"},
				idPath("/propositions", p.ID)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE proposals SET reminded_at = $1 WHERE id = $2`, now, p.ID); err != nil {
				return err
			}
			count++
		}
		waiting, err := queryProposals(ctx, tx, "p.status = 'accepted' AND p.reminded_at IS NULL AND p.answered_at < $1 AND n.status = 'proposed'", cutoff)
		if err != nil {
			return err
		}
		told := map[int64]bool{}
		for _, p := range waiting {
			if !told[p.NeedID] {
				told[p.NeedID] = true
				req, err := requesterOf(ctx, tx, p.NeedID)
				if err != nil {
					return err
				}
				if err := s.notify(ctx, tx, req.Email, req.Name, subject("choose-reminder", p.NeedID)+":"+date.Of(now).String(),
					notice{Subject: "Rappel : choisissez l’expert de « " + p.NeedTitle + " »", Action: "Choisir mon expert"},
					idPath("/besoins", p.NeedID)+"/propositions"); err != nil {
					return err
				}
				count++
			}
			if _, err := tx.ExecContext(ctx, `UPDATE proposals SET reminded_at = $1 WHERE id = $2`, now, p.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return count, err
}
