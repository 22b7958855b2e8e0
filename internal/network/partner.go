package network

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Partner is an associated member: a large company or public body with a
// territorial network that funds the federation's projects for
// counterparts.
type Partner struct {
	ID           int64 // the organisation's id
	Name         string
	SIREN        string
	Sector       string
	Website      string
	ContactName  string
	ContactEmail string
	Agreements   []Agreement // newest first
	Late         int         // counterparts past due and still planned
}

// Agreement is a partner's agreement (« convention de partenariat ») of a
// year.
type Agreement struct {
	ID           int64
	PartnerID    int64
	PartnerName  string
	Year         int
	Amount       int64
	StartsOn     date.Date
	EndsOn       date.Date
	SignedName   string // the signed PDF's file name, "" when none yet
	Counterparts []Counterpart
}

// CounterpartKind is what a counterpart is, and what kind of record
// delivered it.
type CounterpartKind string

// The kinds of counterparts and of the records that deliver them.
const (
	KindEvent       CounterpartKind = "event"       // a webinar or meeting co-organised
	KindTraining    CounterpartKind = "training"    // a training
	KindPublication CounterpartKind = "publication" // a publication co-signed
	KindInterview   CounterpartKind = "interview"   // an interview
	KindSeat        CounterpartKind = "seat"        // seats at the forum
	KindDataAccess  CounterpartKind = "data_access" // access to a data tool
	KindOther       CounterpartKind = "other"
)

// CounterpartKinds lists the kinds in display order.
func CounterpartKinds() []CounterpartKind {
	return []CounterpartKind{KindEvent, KindTraining, KindPublication, KindInterview, KindSeat, KindDataAccess, KindOther}
}

// Label is the kind in French.
func (k CounterpartKind) Label() string {
	switch k {
	case KindEvent:
		return "événement co-organisé"
	case KindTraining:
		return "formation"
	case KindPublication:
		return "publication co-signée"
	case KindInterview:
		return "interview"
	case KindSeat:
		return "places au forum"
	case KindDataAccess:
		return "accès à un outil de données"
	case KindOther:
		return "autre"
	}
	return string(k)
}

func (k CounterpartKind) valid() bool { return slices.Contains(CounterpartKinds(), k) }

// CounterpartStatus is where a counterpart stands.
type CounterpartStatus string

// The statuses of a counterpart.
const (
	Planned   CounterpartStatus = "planned"
	Delivered CounterpartStatus = "delivered"
	Dropped   CounterpartStatus = "dropped"
)

// Label is the status in French.
func (s CounterpartStatus) Label() string {
	switch s {
	case Planned:
		return "prévue"
	case Delivered:
		return "réalisée"
	case Dropped:
		return "abandonnée"
	}
	return string(s)
}

func (s CounterpartStatus) valid() bool { return s == Planned || s == Delivered || s == Dropped }

// Link names the record that delivered a counterpart, generically, so
// that the records of other packages (events, publications…) can be named
// before and after they exist: their kind, id and a label.
type Link struct {
	Kind  CounterpartKind
	ID    int64
	Label string
}

// Counterpart is one promise of an agreement.
type Counterpart struct {
	ID          int64
	AgreementID int64
	PartnerID   int64
	PartnerName string
	Kind        CounterpartKind
	Title       string
	DueOn       date.Date
	Status      CounterpartStatus
	Link        Link
	Note        string
	DeliveredOn date.Date
	Late        bool // planned and past due
}

// PartnerInput is a new partner.
type PartnerInput struct {
	Name, SIREN, Sector, Website, ContactName, ContactEmail string
}

// CreatePartner records a new associated member and its organisation (kind
// partenaire); staff only. An organisation already known by its SIREN
// becomes the partner.
func (s *Service) CreatePartner(ctx context.Context, in PartnerInput, actor access.Actor) (int64, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	var errs valid.Errors
	in.Name = text(&errs, "name", in.Name, 300, false)
	if in.Name == "" && !errs.Has("name") {
		errs.Add("name", "indiquez le nom du partenaire")
	}
	in.SIREN = organisation.NormalizeSIREN(in.SIREN)
	if in.SIREN != "" {
		if msg := organisation.CheckSIREN(in.SIREN); msg != "" {
			errs.Add("siren", "%s", msg)
		}
	}
	in.Sector = text(&errs, "sector", in.Sector, 200, false)
	entry, _ := s.checkEntry(MemberInput{Website: in.Website, Email: in.ContactEmail}, &errs)
	in.Website, in.ContactEmail = entry.Website, entry.Email
	in.ContactName = text(&errs, "contact_name", in.ContactName, 200, false)
	for i, fe := range errs {
		if fe.Field == "email" {
			errs[i].Field = "contact_email"
		}
	}
	if err := errs.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if in.SIREN != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE siren = $1`, in.SIREN).Scan(&id)
			if err != nil && err != sql.ErrNoRows {
				return err
			}
		}
		if id == 0 {
			org, err := organisation.CreateTx(ctx, tx, organisation.Input{Kind: organisation.Partenaire, Name: in.Name, SIREN: in.SIREN})
			if err != nil {
				return err
			}
			id = org.ID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO partners (organisation_id, sector, website, contact_name, contact_email, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (organisation_id) DO NOTHING`, id, in.Sector, in.Website, in.ContactName, in.ContactEmail, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fieldError("siren", "cette organisation est déjà partenaire")
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.partner_created", Subject: subject("partner", id)})
	})
	return id, err
}

// Partners returns every partner with its agreements and counterparts, by
// name; staff only.
func (s *Service) Partners(ctx context.Context, actor access.Actor) ([]Partner, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	return s.partners(ctx, `TRUE`)
}

// Partner returns partner id with its agreements and counterparts; staff
// only.
func (s *Service) Partner(ctx context.Context, id int64, actor access.Actor) (Partner, error) {
	if err := staffOnly(actor); err != nil {
		return Partner{}, err
	}
	list, err := s.partners(ctx, `p.organisation_id = $1`, id)
	if err != nil {
		return Partner{}, err
	}
	if len(list) == 0 {
		return Partner{}, store.NotFound("partner %d", id)
	}
	return list[0], nil
}

func (s *Service) partners(ctx context.Context, where string, args ...any) ([]Partner, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.organisation_id, o.name, coalesce(o.siren, ''), p.sector, p.website, p.contact_name, p.contact_email
		FROM partners p JOIN organisations o ON o.id = p.organisation_id WHERE `+where+` ORDER BY lower(o.name), p.organisation_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("partners: %w", err)
	}
	var out []Partner
	at := map[int64]int{}
	for rows.Next() {
		var p Partner
		if err := rows.Scan(&p.ID, &p.Name, &p.SIREN, &p.Sector, &p.Website, &p.ContactName, &p.ContactEmail); err != nil {
			rows.Close()
			return nil, err
		}
		at[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	agreements, err := s.agreements(ctx, s.db, `TRUE`)
	if err != nil {
		return nil, err
	}
	for _, a := range agreements {
		if i, ok := at[a.PartnerID]; ok {
			out[i].Agreements = append(out[i].Agreements, a)
			for _, c := range a.Counterparts {
				if c.Late {
					out[i].Late++
				}
			}
		}
	}
	return out, nil
}

// agreements reads the agreements matching where with their
// counterparts, newest first.
func (s *Service) agreements(ctx context.Context, q store.Querier, where string, args ...any) ([]Agreement, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.organisation_id, o.name, a.year, a.amount, a.starts_on, a.ends_on, a.signed_filename
		FROM partner_agreements a JOIN organisations o ON o.id = a.organisation_id WHERE `+where+` ORDER BY a.year DESC, a.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	var out []Agreement
	at := map[int64]int{}
	for rows.Next() {
		var a Agreement
		if err := rows.Scan(&a.ID, &a.PartnerID, &a.PartnerName, &a.Year, &a.Amount, &a.StartsOn, &a.EndsOn, &a.SignedName); err != nil {
			rows.Close()
			return nil, err
		}
		at[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cps, err := s.counterparts(ctx, q, `TRUE`)
	if err != nil {
		return nil, err
	}
	for _, c := range cps {
		if i, ok := at[c.AgreementID]; ok {
			out[i].Counterparts = append(out[i].Counterparts, c)
		}
	}
	return out, nil
}

// counterparts reads the counterparts matching where, by due date.
func (s *Service) counterparts(ctx context.Context, q store.Querier, where string, args ...any) ([]Counterpart, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.agreement_id, a.organisation_id, o.name, c.kind, c.title, c.due_on, c.status,
		c.link_kind, coalesce(c.link_id, 0), c.link_label, c.note, c.delivered_on
		FROM partner_counterparts c JOIN partner_agreements a ON a.id = c.agreement_id JOIN organisations o ON o.id = a.organisation_id
		WHERE `+where+` ORDER BY c.due_on, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("counterparts: %w", err)
	}
	defer rows.Close()
	today := s.today()
	var out []Counterpart
	for rows.Next() {
		var c Counterpart
		if err := rows.Scan(&c.ID, &c.AgreementID, &c.PartnerID, &c.PartnerName, &c.Kind, &c.Title, &c.DueOn, &c.Status,
			&c.Link.Kind, &c.Link.ID, &c.Link.Label, &c.Note, &c.DeliveredOn); err != nil {
			return nil, err
		}
		c.Late = c.Status == Planned && today.After(c.DueOn)
		out = append(out, c)
	}
	return out, rows.Err()
}

// LateCounterparts returns the counterparts past due and still planned, the
// oldest first; staff only.
func (s *Service) LateCounterparts(ctx context.Context, actor access.Actor) ([]Counterpart, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	return s.counterparts(ctx, s.db, `c.status = 'planned' AND c.due_on < $1`, s.today())
}
