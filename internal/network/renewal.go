package network

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/store"
)

// notice is the data of the generic notice email (template
// "mission_notice": a greeting, lines, one button).
type notice struct {
	Name, Subject, Action, URL string
	Lines                      []string
}

// RenewalReport tells what a renewal campaign did.
type RenewalReport struct {
	Year    int
	Created int // memberships created for last year's members
	Called  int // calls for fees sent (memberships now pending payment)
	Emails  int // emails enqueued, one per referent
	// NoReferent are the members whose call waits for a referent to send
	// it to (their membership stays invited).
	NoReferent []string
}

// Renew runs the renewal campaign of year: it creates the membership of
// every organisation whose membership of the year before is paid, its fee
// computed from year's schedule, then sends the call for fees of every
// membership of year not called yet — an email to each referent, with the
// PDF « appel de cotisation » on the member's page — and gives each its
// invoice number. Staff only; year is last year, this year or next year.
// Run again, it creates and sends nothing twice: only the members added
// since, or the referents named since, get theirs.
func (s *Service) Renew(ctx context.Context, year int, actor access.Actor) (RenewalReport, error) {
	if err := staffOnly(actor); err != nil {
		return RenewalReport{}, err
	}
	today := s.today()
	if year < today.Year-1 || year > today.Year+1 {
		return RenewalReport{}, fieldError("year", "le renouvellement porte sur l’an dernier, cette année ou l’an prochain (%d à %d)", today.Year-1, today.Year+1)
	}
	rep := RenewalReport{Year: year}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		rep = RenewalReport{Year: year}
		if _, err := loadSchedule(ctx, tx, year); isNotFound(err) {
			return fieldError("year", "le barème %d n’est pas encore fixé : un administrateur le fixe d’abord (page « Barème des cotisations »)", year)
		} else if err != nil {
			return err
		}
		renewing, err := int64s(ctx, tx, `SELECT p.organisation_id FROM memberships p WHERE p.year = $1 AND p.status = 'paid'
			AND NOT EXISTS (SELECT 1 FROM memberships n WHERE n.organisation_id = p.organisation_id AND n.year = $2)
			ORDER BY p.organisation_id`, year-1, year)
		if err != nil {
			return err
		}
		for _, org := range renewing {
			created, err := s.createMembership(ctx, tx, org, year, date.Date{})
			if err != nil {
				return fmt.Errorf("renew member %d: %w", org, err)
			}
			if created {
				rep.Created++
			}
		}
		pending, err := s.queryMemberships(ctx, tx, `ms.year = $1 AND ms.status = 'invited'`, year)
		if err != nil {
			return err
		}
		for _, m := range pending {
			sent, err := s.call(ctx, tx, m)
			if err != nil {
				return err
			}
			if sent == 0 {
				rep.NoReferent = append(rep.NoReferent, m.OrgName)
				continue
			}
			rep.Called++
			rep.Emails += sent
		}
		if rep.Created+rep.Called == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.renewal", Subject: fmt.Sprintf("memberships:%d", year),
			Details: map[string]any{"created": rep.Created, "called": rep.Called, "emails": rep.Emails}})
	})
	return rep, err
}

// call sends the call for fees of membership m to its referents inside tx
// and moves it to pending payment with its invoice number; it returns how
// many emails went out (0: no referent, nothing changed).
func (s *Service) call(ctx context.Context, tx *sql.Tx, m Membership) (int, error) {
	refs, err := referents(ctx, tx, m.OrgID)
	if err != nil || len(refs) == 0 {
		return 0, err
	}
	st, err := loadSettings(ctx, tx)
	if err != nil {
		return 0, err
	}
	invoice, err := nextInvoice(ctx, tx, m.Year)
	if err != nil {
		return 0, err
	}
	now := s.now()
	res, err := tx.ExecContext(ctx, `UPDATE memberships SET status = 'pending_payment', invoice_number = $1, called_at = $2, updated_at = $2
		WHERE id = $3 AND status = 'invited'`, invoice, now, m.ID)
	if err := changed(res, err); err != nil {
		return 0, err
	}
	due := date.Of(now.In(date.Paris())).AddDays(st.TermDays)
	n, err := s.notify(ctx, tx, m.OrgID, "membership-call:"+strconv.FormatInt(m.ID, 10), "mission_notice", func(r StaffMember) any {
		return notice{Name: r.Name, Subject: fmt.Sprintf("Appel de cotisation %d — %s", m.Year, m.OrgName), Action: "Voir mon adhésion",
			URL: s.baseURL + "/reseau/mon-adhesion",
			Lines: []string{
				fmt.Sprintf("Voici l’appel de cotisation %d de %s au réseau des agences de développement économique (facture %s).", m.Year, fr.Quote(m.OrgName), invoice),
				fmt.Sprintf("Montant : %s (%s).", fr.Euros(m.Fee), feeText(m)),
				fmt.Sprintf("À régler avant le %s par virement ou mandat administratif, en rappelant la référence %s.", fr.Date(due), invoice),
				fmt.Sprintf("L’appel de cotisation en PDF : %s/reseau/adhesions/%d/appel.pdf", s.baseURL, m.ID),
			}}
	})
	if err != nil {
		return 0, err
	}
	return n, audit.Record(ctx, tx, audit.Entry{At: now, Actor: access.System, Action: "network.membership_called", Subject: subject("membership", m.ID),
		Details: map[string]any{"invoice": invoice, "emails": n}})
}

// feeText says how a fee was set: the schedule's formula, or staff's
// amount and reason.
func feeText(m Membership) string {
	if m.Overridden() {
		return fmt.Sprintf("montant fixé par la fédération : %s ; barème : %s", m.OverrideReason, m.Formula)
	}
	return m.Formula
}

// Remind sends one reminder to the referents of every membership called
// and still unpaid when the payment term is over; it returns how many
// memberships were reminded. Staff (the button of the fees' page) and the
// daily job may.
func (s *Service) Remind(ctx context.Context, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	count := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		count = 0
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		open, err := s.queryMemberships(ctx, tx, `ms.status = 'pending_payment' AND ms.reminded_at IS NULL`)
		if err != nil {
			return err
		}
		for _, m := range open {
			if !m.Late {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE memberships SET reminded_at = $1, updated_at = $1 WHERE id = $2 AND reminded_at IS NULL`, s.now(), m.ID)
			if err := changed(res, err); err != nil {
				return err
			}
			_, err = s.notify(ctx, tx, m.OrgID, "membership-reminder:"+strconv.FormatInt(m.ID, 10), "mission_notice", func(r StaffMember) any {
				return notice{Name: r.Name, Subject: fmt.Sprintf("Rappel : cotisation %d de %s", m.Year, m.OrgName), Action: "Voir mon adhésion",
					URL: s.baseURL + "/reseau/mon-adhesion",
					Lines: []string{
						fmt.Sprintf("Sauf erreur de notre part, la cotisation %d de %s (facture %s, %s) attendue pour le %s n’est pas encore réglée.",
							m.Year, fr.Quote(m.OrgName), m.InvoiceNumber, fr.Euros(m.Fee), fr.Date(m.DueOn)),
						fmt.Sprintf("Sans paiement, l’accès à l’espace des adhérents sera suspendu après le %s.", fr.Date(lapseDay(m, st))),
						fmt.Sprintf("L’appel de cotisation en PDF : %s/reseau/adhesions/%d/appel.pdf", s.baseURL, m.ID),
					}}
			})
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.membership_reminded", Subject: subject("membership", m.ID)}); err != nil {
				return err
			}
			count++
		}
		return nil
	})
	return count, err
}

// lapseDay is the last day a called, unpaid membership keeps its
// organisation current: the later of the grace period's end and twice the
// payment term after the call.
func lapseDay(m Membership, st Settings) date.Date {
	day := st.GraceEnd(m.Year)
	if m.CalledAt != nil {
		if d := date.Of(m.CalledAt.In(date.Paris())).AddDays(2 * st.TermDays); d.After(day) {
			day = d
		}
	}
	return day
}

// LapseOverdue marks lapsed the memberships still unpaid once it is too
// late: those of a past year, and this year's called ones past their lapse
// day (lapseDay); their referents are told why. It returns how many lapsed.
// Staff and the daily job may. Whether a member's staff see the
// member-only pages never waits for this: IsCurrentMember computes it from
// the dates.
func (s *Service) LapseOverdue(ctx context.Context, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	count := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		count = 0
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		today := s.today()
		open, err := s.queryMemberships(ctx, tx, `ms.status IN ('invited', 'pending_payment') AND ms.year <= $1`, today.Year)
		if err != nil {
			return err
		}
		for _, m := range open {
			if m.Year == today.Year && (m.Status == Invited || !today.After(lapseDay(m, st))) {
				continue
			}
			res, err := tx.ExecContext(ctx, `UPDATE memberships SET status = 'lapsed', updated_at = $1 WHERE id = $2 AND status IN ('invited', 'pending_payment')`,
				s.now(), m.ID)
			if err := changed(res, err); err != nil {
				return err
			}
			_, err = s.notify(ctx, tx, m.OrgID, "membership-lapsed:"+strconv.FormatInt(m.ID, 10), "mission_notice", func(r StaffMember) any {
				return notice{Name: r.Name, Subject: fmt.Sprintf("Votre adhésion %d au réseau a expiré", m.Year), Action: "Voir mon adhésion",
					URL: s.baseURL + "/reseau/mon-adhesion",
					Lines: []string{
						fmt.Sprintf("La cotisation %d de %s n’a pas été réglée : l’espace des adhérents (annuaire, coordonnées, événements réservés) vous est fermé.", m.Year, fr.Quote(m.OrgName)),
						"Il rouvre dès que le paiement est enregistré par la fédération.",
					}}
			})
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.membership_lapsed", Subject: subject("membership", m.ID)}); err != nil {
				return err
			}
			count++
		}
		return nil
	})
	return count, err
}

// int64s reads a column of ids.
func int64s(ctx context.Context, q store.Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
