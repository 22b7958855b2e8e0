package network

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/mail"
	"vivier/internal/valid"
)

// createMembership creates the membership of member orgID for year inside
// tx, its fee computed from the year's schedule on the member's declared
// basis, prorated from joined (the zero Date for a renewal); it reports
// whether it created one (false: the membership existed already).
func (s *Service) createMembership(ctx context.Context, tx *sql.Tx, orgID int64, year int, joined date.Date) (bool, error) {
	m, err := s.getMember(ctx, tx, orgID)
	if err != nil {
		return false, err
	}
	sch, err := loadSchedule(ctx, tx, year)
	if isNotFound(err) {
		return false, fieldError("basis", "le barème %d n’est pas encore fixé : un administrateur le fixe avant toute adhésion et tout renouvellement", year)
	}
	if err != nil {
		return false, err
	}
	fee, err := sch.Compute(m.BasisKind(), m.Basis, joined)
	if err != nil {
		return false, err
	}
	var joinedOn any
	if !joined.IsZero() && joined.Year == year {
		joinedOn = joined
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO memberships (organisation_id, year, basis_kind, basis, joined_on, computed_fee, formula, fee,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $8, $8) ON CONFLICT (organisation_id, year) DO NOTHING`,
		orgID, year, string(m.BasisKind()), m.Basis, joinedOn, fee.Amount, fee.Formula, s.now())
	if err != nil {
		return false, fmt.Errorf("create membership %d of %d: %w", year, orgID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: access.System, Action: "network.membership_created",
		Subject: subject("member", orgID), Details: map[string]any{"year": year, "fee": fee.Amount}})
}

// Payment is a fee's payment as staff record it.
type Payment struct {
	PaidOn date.Date
	Mode   PaymentMode
}

// Pay records the payment of membership id (invited, pending payment or
// lapsed: paying restores a lapsed member's access); staff only. A
// membership paid already is a conflict.
func (s *Service) Pay(ctx context.Context, id int64, p Payment, actor access.Actor) error {
	if _, err := s.staffMembership(ctx, id, actor); err != nil {
		return err
	}
	var errs valid.Errors
	today := s.today()
	switch {
	case p.PaidOn.IsZero():
		errs.Add("paid_on", "indiquez la date du paiement")
	case p.PaidOn.After(today):
		errs.Add("paid_on", "la date du paiement ne peut pas être dans le futur")
	case p.PaidOn.Year < 2000:
		errs.Add("paid_on", "date de paiement invalide")
	}
	if !p.Mode.valid() {
		errs.Add("mode", "choisissez le mode de paiement : virement, mandat administratif, chèque ou carte")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := s.getMembership(ctx, tx, id)
		if err != nil {
			return err
		}
		switch m.Status {
		case Paid:
			return access.Errorf(access.Conflict, "la cotisation %d de %s est déjà réglée (le %s)", m.Year, fr.Quote(m.OrgName), fr.Date(m.PaidOn))
		case Resigned:
			return access.Errorf(access.Conflict, "%s a démissionné pour %d : il n’y a rien à régler", fr.Quote(m.OrgName), m.Year)
		}
		invoice := m.InvoiceNumber
		if invoice == "" {
			if invoice, err = nextInvoice(ctx, tx, m.Year); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE memberships SET status = 'paid', paid_on = $1, payment_mode = $2, invoice_number = $3, updated_at = $4
			WHERE id = $5 AND status <> 'paid'`, p.PaidOn, string(p.Mode), invoice, s.now(), id)
		if err := changed(res, err); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.membership_paid", Subject: subject("membership", id),
			Details: map[string]any{"from": string(m.Status), "fee": m.Fee, "mode": string(p.Mode)}})
	})
}

// SetFee overrides the fee of membership id with amount, for reason;
// staff only, before it is paid. The computed fee and its formula stay
// beside it. Setting the same amount and reason again changes nothing.
func (s *Service) SetFee(ctx context.Context, id int64, amount int64, reason string, actor access.Actor) error {
	if _, err := s.staffMembership(ctx, id, actor); err != nil {
		return err
	}
	var errs valid.Errors
	if amount < 0 || amount > MaxAmount {
		errs.Add("amount", "le montant va de 0 à %s", fr.Euros(MaxAmount))
	}
	reason = text(&errs, "reason", reason, 500, false)
	if reason == "" && !errs.Has("reason") {
		errs.Add("reason", "dites pourquoi le montant diffère du barème : le motif reste dans le journal")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := s.getMembership(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status == Paid || m.Status == Resigned {
			return access.Errorf(access.Conflict, "la cotisation %d de %s est %s : son montant ne change plus", m.Year, fr.Quote(m.OrgName), m.Status.Label())
		}
		if m.Fee == amount && m.OverrideReason == reason {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE memberships SET fee = $1, override_reason = $2, updated_at = $3 WHERE id = $4`, amount, reason, s.now(), id)
		if err := changed(res, err); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.fee_overridden", Subject: subject("membership", id),
			Details: map[string]any{"from": m.Fee, "to": amount, "computed": m.ComputedFee, "reason": reason}})
	})
}

// Resign records that the organisation of membership id leaves the
// network for that year, with the reason it gave; staff only.
func (s *Service) Resign(ctx context.Context, id int64, reason string, actor access.Actor) error {
	if _, err := s.staffMembership(ctx, id, actor); err != nil {
		return err
	}
	var errs valid.Errors
	reason = text(&errs, "reason", reason, 500, false)
	if reason == "" && !errs.Has("reason") {
		errs.Add("reason", "notez la raison du départ donnée par l’organisation")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := s.getMembership(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status == Resigned {
			return access.Errorf(access.Conflict, "la démission de %s pour %d est déjà enregistrée", fr.Quote(m.OrgName), m.Year)
		}
		res, err := tx.ExecContext(ctx, `UPDATE memberships SET status = 'resigned', note = $1, updated_at = $2 WHERE id = $3 AND status <> 'resigned'`,
			reason, s.now(), id)
		if err := changed(res, err); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.membership_resigned", Subject: subject("membership", id),
			Details: map[string]any{"from": string(m.Status)}})
	})
}

// staffMembership loads membership id for an action of staff: « not
// found » to who may not see it, refused to its own organisation's staff.
func (s *Service) staffMembership(ctx context.Context, id int64, actor access.Actor) (Membership, error) {
	m, err := s.Membership(ctx, id, actor)
	if err == nil && !actor.Staff() {
		err = access.Deny("seule la coordination enregistre les paiements et ajuste les cotisations")
	}
	return m, err
}

// changed checks that an update changed one row.
func changed(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("update changed %d rows: %w", n, err)
	}
	return nil
}

// nextInvoice gives the next invoice number of year: COT-2027-0001, …
func nextInvoice(ctx context.Context, tx *sql.Tx, year int) (string, error) {
	prefix := fmt.Sprintf("COT-%d-", year)
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT max(invoice_number) FROM memberships WHERE invoice_number LIKE $1`, prefix+"%").Scan(&last); err != nil {
		return "", err
	}
	n := 0
	if last.Valid {
		fmt.Sscanf(strings.TrimPrefix(last.String, prefix), "%d", &n)
	}
	return fmt.Sprintf("%s%04d", prefix, n+1), nil
}

// notify emails each referent of organisation orgID within tx, from the
// template name with data; key makes a replay send nothing twice. It
// returns how many emails it enqueued.
func (s *Service) notify(ctx context.Context, tx *sql.Tx, orgID int64, key, name string, data func(r StaffMember) any) (int, error) {
	list, err := referents(ctx, tx, orgID)
	if err != nil {
		return 0, err
	}
	for _, r := range list {
		m, err := mail.Compose(r.Email, fmt.Sprintf("%s:%d", key, r.UserID), name, data(r))
		if err != nil {
			return 0, err
		}
		if err := mail.Enqueue(ctx, tx, m); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}
