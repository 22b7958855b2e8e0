package network

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/store"
)

// MembershipStatus is where a membership of a year stands.
type MembershipStatus string

// The statuses of a membership: invited (its fee is computed, the call for
// fees not sent yet) → pending_payment (the call went out) → paid, or
// lapsed (unpaid when the grace period and twice the payment term are
// over) or resigned (the organisation left).
const (
	Invited        MembershipStatus = "invited"
	PendingPayment MembershipStatus = "pending_payment"
	Paid           MembershipStatus = "paid"
	Lapsed         MembershipStatus = "lapsed"
	Resigned       MembershipStatus = "resigned"
)

// MembershipStatuses lists the statuses in lifecycle order.
func MembershipStatuses() []MembershipStatus {
	return []MembershipStatus{Invited, PendingPayment, Paid, Lapsed, Resigned}
}

// Label is the status in French.
func (s MembershipStatus) Label() string {
	switch s {
	case Invited:
		return "appel à envoyer"
	case PendingPayment:
		return "en attente de paiement"
	case Paid:
		return "réglée"
	case Lapsed:
		return "expirée"
	case Resigned:
		return "démission"
	}
	return string(s)
}

func (s MembershipStatus) valid() bool { return slices.Contains(MembershipStatuses(), s) }

// Open reports whether the membership still waits for its payment.
func (s MembershipStatus) Open() bool { return s == Invited || s == PendingPayment }

// PaymentMode is how a fee was paid.
type PaymentMode string

// The payment modes of French public bodies and associations.
const (
	Transfer PaymentMode = "virement"
	Cheque   PaymentMode = "cheque"
	Card     PaymentMode = "carte"
	Mandate  PaymentMode = "mandat" // mandat administratif of a public body
)

// PaymentModes lists the modes in display order.
func PaymentModes() []PaymentMode { return []PaymentMode{Transfer, Mandate, Cheque, Card} }

// Label is the mode in French.
func (m PaymentMode) Label() string {
	switch m {
	case Transfer:
		return "virement"
	case Cheque:
		return "chèque"
	case Card:
		return "carte bancaire"
	case Mandate:
		return "mandat administratif"
	}
	return string(m)
}

func (m PaymentMode) valid() bool { return slices.Contains(PaymentModes(), m) }

// Membership is one organisation's membership of a year.
type Membership struct {
	ID             int64
	OrgID          int64
	OrgName        string
	OrgKind        organisation.Kind
	SIREN          string
	Year           int
	Status         MembershipStatus
	BasisKind      BasisKind
	Basis          int64
	JoinedOn       date.Date // the day of joining, in the joining year
	ComputedFee    int64
	Formula        string
	Fee            int64  // what is due
	OverrideReason string // why Fee differs from ComputedFee
	InvoiceNumber  string
	CalledAt       *time.Time
	RemindedAt     *time.Time
	PaidOn         date.Date
	PaymentMode    PaymentMode
	Note           string
	// DueOn is the day the payment is due (the call's day plus the
	// payment term); zero before the call.
	DueOn date.Date
	// Late says the payment is overdue: called, unpaid, past DueOn.
	Late bool
}

// Overridden reports whether staff set the fee apart from the schedule's.
func (m Membership) Overridden() bool { return m.Fee != m.ComputedFee || m.OverrideReason != "" }

const membershipColumns = `ms.id, ms.organisation_id, o.name, o.kind, coalesce(o.siren, ''), ms.year, ms.status,
	ms.basis_kind, ms.basis, ms.joined_on, ms.computed_fee, ms.formula, ms.fee, ms.override_reason,
	coalesce(ms.invoice_number, ''), ms.called_at, ms.reminded_at, ms.paid_on, ms.payment_mode, ms.note`

const membershipFrom = ` FROM memberships ms JOIN organisations o ON o.id = ms.organisation_id`

func scanMembership(row interface{ Scan(...any) error }) (Membership, error) {
	var m Membership
	var called, reminded sql.NullTime
	err := row.Scan(&m.ID, &m.OrgID, &m.OrgName, &m.OrgKind, &m.SIREN, &m.Year, &m.Status, &m.BasisKind, &m.Basis, &m.JoinedOn,
		&m.ComputedFee, &m.Formula, &m.Fee, &m.OverrideReason, &m.InvoiceNumber, &called, &reminded, &m.PaidOn, &m.PaymentMode, &m.Note)
	m.CalledAt, m.RemindedAt = timePtr(called), timePtr(reminded)
	return m, err
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// withDue fills DueOn and Late for today under the payment term.
func withDue(m Membership, st Settings, today date.Date) Membership {
	if m.CalledAt != nil {
		m.DueOn = date.Of(m.CalledAt.In(date.Paris())).AddDays(st.TermDays)
		m.Late = m.Status.Open() && today.After(m.DueOn)
	}
	return m
}

// queryMemberships reads the memberships matching where (args from $1).
func (s *Service) queryMemberships(ctx context.Context, q store.Querier, where string, args ...any) ([]Membership, error) {
	st, err := loadSettings(ctx, q)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+membershipColumns+membershipFrom+` WHERE `+where+` ORDER BY ms.year DESC, lower(o.name), ms.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	defer rows.Close()
	var out []Membership
	today := s.today()
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, withDue(m, st, today))
	}
	return out, rows.Err()
}

// getMembership reads membership id through q.
func (s *Service) getMembership(ctx context.Context, q store.Querier, id int64) (Membership, error) {
	list, err := s.queryMemberships(ctx, q, `ms.id = $1`, id)
	if err != nil {
		return Membership{}, err
	}
	if len(list) == 0 {
		return Membership{}, store.NotFound("membership %d", id)
	}
	return list[0], nil
}

// Membership returns membership id to staff and to the staff of its
// organisation; « not found » to anyone else.
func (s *Service) Membership(ctx context.Context, id int64, actor access.Actor) (Membership, error) {
	m, err := s.getMembership(ctx, s.db, id)
	if err != nil {
		return Membership{}, err
	}
	if !mayManage(actor, m.OrgID) {
		return Membership{}, store.NotFound("membership %d", id)
	}
	return m, nil
}

// MembershipFilter selects memberships.
type MembershipFilter struct {
	Year   int              // 0 for every year
	Status MembershipStatus // "" for every status
	OrgID  int64            // 0 for every organisation
	Late   bool             // only the overdue ones
}

// Memberships returns the memberships matching f, by year then name: all
// for staff; for the staff of a member, their own organisation's only.
func (s *Service) Memberships(ctx context.Context, f MembershipFilter, actor access.Actor) ([]Membership, error) {
	switch {
	case actor.Staff():
	case actor.Is(access.Member) && actor.OrganisationID != 0:
		f.OrgID = actor.OrganisationID
	default:
		return nil, access.Deny("les cotisations se consultent par la coordination et par chaque adhérent pour la sienne")
	}
	if f.Status != "" && !f.Status.valid() {
		return nil, fieldError("status", "statut %s inconnu : invited, pending_payment, paid, lapsed ou resigned", fr.Quote(string(f.Status)))
	}
	list, err := s.queryMemberships(ctx, s.db, `($1 = 0 OR ms.year = $1) AND ($2 = '' OR ms.status = $2) AND ($3 = 0 OR ms.organisation_id = $3)`,
		f.Year, string(f.Status), f.OrgID)
	if err != nil || !f.Late {
		return list, err
	}
	var late []Membership
	for _, m := range list {
		if m.Late {
			late = append(late, m)
		}
	}
	return late, nil
}

// Standing is where an organisation stands with the network today.
type Standing struct {
	OrgID    int64
	Name     string
	Member   bool // it has a directory entry
	Current  bool // its staff see the member-only pages
	InGrace  bool // current thanks to last year's membership, during the grace period
	Year     int
	This     MembershipStatus // this year's membership, "" when none
	Last     MembershipStatus // last year's, "" when none
	GraceEnd date.Date        // the last day of this year's grace period
	// Reason says, in French, why the organisation is not current; "" when
	// it is.
	Reason string
}

// standing computes the standing of organisation orgID today.
func (s *Service) standing(ctx context.Context, q store.Querier, orgID int64) (Standing, error) {
	st, err := loadSettings(ctx, q)
	if err != nil {
		return Standing{}, err
	}
	today := s.today()
	out := Standing{OrgID: orgID, Year: today.Year, GraceEnd: st.GraceEnd(today.Year)}
	var member sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT o.name, m.organisation_id FROM organisations o LEFT JOIN members m ON m.organisation_id = o.id
		WHERE o.id = $1`, orgID).Scan(&out.Name, &member)
	if err = one(err, "organisation %d", orgID); err != nil {
		return Standing{}, err
	}
	out.Member = member.Valid
	rows, err := q.QueryContext(ctx, `SELECT year, status FROM memberships WHERE organisation_id = $1 AND year IN ($2, $3)`, orgID, today.Year, today.Year-1)
	if err != nil {
		return Standing{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var year int
		var status MembershipStatus
		if err := rows.Scan(&year, &status); err != nil {
			return Standing{}, err
		}
		if year == today.Year {
			out.This = status
		} else {
			out.Last = status
		}
	}
	if err := rows.Err(); err != nil {
		return Standing{}, err
	}
	name := fr.Quote(out.Name)
	switch {
	case out.This == Paid:
		out.Current = true
	case out.Last == Paid && !today.After(out.GraceEnd):
		out.Current, out.InGrace = true, true
	case out.This == Resigned:
		out.Reason = fmt.Sprintf("%s a quitté le réseau pour %d : l’espace des adhérents lui est fermé", name, today.Year)
	case out.Last == Paid:
		out.Reason = fmt.Sprintf("l’adhésion %d de %s n’est pas réglée et le délai de grâce a pris fin le %s : l’espace des adhérents rouvre dès le paiement enregistré",
			today.Year, name, fr.Date(out.GraceEnd))
	case out.This != "":
		out.Reason = fmt.Sprintf("l’adhésion %d de %s n’est pas encore réglée : l’espace des adhérents s’ouvre dès le paiement enregistré", today.Year, name)
	default:
		out.Reason = fmt.Sprintf("%s n’a pas d’adhésion pour %d : rapprochez-vous de la fédération pour adhérer", name, today.Year)
	}
	return out, nil
}

// IsCurrentMember reports whether organisation orgID is a current member
// of the network: its membership of this year is paid, or last year's is
// and today is within this year's grace period (Settings.GraceDays,
// 90 days by default). It takes no actor: it answers about an organisation
// and reveals nothing else, for the member-only pages and events of other
// packages. An unknown organisation is no member.
func (s *Service) IsCurrentMember(ctx context.Context, orgID int64) (bool, error) {
	st, err := s.standing(ctx, s.db, orgID)
	if isNotFound(err) {
		return false, nil
	}
	return st.Current, err
}

// Standing returns where the actor's own organisation stands — whether its
// staff see the member-only pages and, when not, why; for the staff of a
// member (role member).
func (s *Service) Standing(ctx context.Context, actor access.Actor) (Standing, error) {
	if !actor.Is(access.Member) || actor.OrganisationID == 0 {
		return Standing{}, access.Deny("cette page est celle du personnel des organisations adhérentes")
	}
	return s.standing(ctx, s.db, actor.OrganisationID)
}

// day writes the Paris day of an instant, "" for none.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return date.Of(t.In(date.Paris())).String()
}
