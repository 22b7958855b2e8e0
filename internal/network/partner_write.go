package network

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// MaxAgreementPDF bounds a signed agreement's PDF.
const MaxAgreementPDF = 10 << 20

// AgreementInput is a partner's agreement of a year.
type AgreementInput struct {
	Year     int
	Amount   int64
	StartsOn date.Date
	EndsOn   date.Date
}

// AddAgreement records the agreement of a year with partner partnerID;
// staff only. One agreement per partner and year.
func (s *Service) AddAgreement(ctx context.Context, partnerID int64, in AgreementInput, actor access.Actor) (int64, error) {
	if _, err := s.Partner(ctx, partnerID, actor); err != nil {
		return 0, err
	}
	var errs valid.Errors
	if in.Year < 2000 || in.Year > 2100 {
		errs.Add("year", "l’année va de 2000 à 2100")
	}
	if in.Amount < 0 || in.Amount > MaxAmount {
		errs.Add("amount", "le montant va de 0 à %s", fr.Euros(MaxAmount))
	}
	switch {
	case in.StartsOn.IsZero():
		errs.Add("starts_on", "indiquez la date de début")
	case in.EndsOn.IsZero():
		errs.Add("ends_on", "indiquez la date de fin")
	case in.EndsOn.Before(in.StartsOn):
		errs.Add("ends_on", "la fin vient après le début (%s)", fr.Date(in.StartsOn))
	}
	if err := errs.Err(); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var exists int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM partner_agreements WHERE organisation_id = $1 AND year = $2`, partnerID, in.Year).Scan(&exists)
		switch {
		case err == nil:
			return fieldError("year", "ce partenaire a déjà une convention pour %d", in.Year)
		case err != sql.ErrNoRows:
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO partner_agreements (organisation_id, year, amount, starts_on, ends_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, partnerID, in.Year, in.Amount, in.StartsOn, in.EndsOn, s.now()).Scan(&id); err != nil {
			return fmt.Errorf("add agreement: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.agreement_added", Subject: subject("partner", partnerID),
			Details: map[string]any{"agreement": id, "year": in.Year, "amount": in.Amount}})
	})
	return id, err
}

// Agreement returns agreement id with its counterparts; staff only.
func (s *Service) Agreement(ctx context.Context, id int64, actor access.Actor) (Agreement, error) {
	if err := staffOnly(actor); err != nil {
		return Agreement{}, err
	}
	list, err := s.agreements(ctx, s.db, `a.id = $1`, id)
	if err != nil {
		return Agreement{}, err
	}
	if len(list) == 0 {
		return Agreement{}, store.NotFound("agreement %d", id)
	}
	return list[0], nil
}

// SetAgreementPDF stores the signed PDF of agreement id (a PDF by its
// content, at most 10 MB), replacing any previous one; staff only.
func (s *Service) SetAgreementPDF(ctx context.Context, id int64, name string, data []byte, actor access.Actor) error {
	if _, err := s.Agreement(ctx, id, actor); err != nil {
		return err
	}
	var errs valid.Errors
	switch {
	case len(data) == 0:
		errs.Add("file", "choisissez le PDF de la convention signée")
	case len(data) > MaxAgreementPDF:
		errs.Add("file", "le PDF dépasse 10 Mo")
	case !bytes.HasPrefix(data, []byte("%PDF-")):
		errs.Add("file", "ce fichier n’est pas un PDF (son contenu n’en est pas un)")
	}
	name = text(&errs, "file", path.Base(strings.ReplaceAll(name, `\`, "/")), 200, false)
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	if err := errs.Err(); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE partner_agreements SET signed_pdf = $1, signed_filename = $2, signed_sha256 = $3, signed_at = $4, updated_at = $4
			WHERE id = $5 AND signed_sha256 <> $3`, data, name, sha, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.agreement_signed", Subject: subject("agreement", id),
			Details: map[string]any{"size": len(data)}})
	})
}

// AgreementPDF returns the signed PDF of agreement id and its file name;
// staff only. An agreement without one is « not found ».
func (s *Service) AgreementPDF(ctx context.Context, id int64, actor access.Actor) ([]byte, string, error) {
	if err := staffOnly(actor); err != nil {
		return nil, "", err
	}
	var data []byte
	var name string
	err := s.db.QueryRowContext(ctx, `SELECT signed_pdf, signed_filename FROM partner_agreements WHERE id = $1 AND signed_pdf IS NOT NULL`, id).Scan(&data, &name)
	return data, name, one(err, "signed agreement %d", id)
}

// CounterpartInput is a counterpart promised in an agreement.
type CounterpartInput struct {
	Kind  CounterpartKind
	Title string
	DueOn date.Date
}

// AddCounterpart adds a counterpart to agreement agreementID; staff only.
func (s *Service) AddCounterpart(ctx context.Context, agreementID int64, in CounterpartInput, actor access.Actor) (int64, error) {
	a, err := s.Agreement(ctx, agreementID, actor)
	if err != nil {
		return 0, err
	}
	var errs valid.Errors
	if !in.Kind.valid() {
		errs.Add("kind", "choisissez le type de contrepartie")
	}
	in.Title = text(&errs, "title", in.Title, 300, false)
	if in.Title == "" && !errs.Has("title") {
		errs.Add("title", "décrivez la contrepartie promise")
	}
	if in.DueOn.IsZero() {
		errs.Add("due_on", "indiquez l’échéance")
	}
	if err := errs.Err(); err != nil {
		return 0, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO partner_counterparts (agreement_id, kind, title, due_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, agreementID, string(in.Kind), in.Title, in.DueOn, s.now()).Scan(&id); err != nil {
			return fmt.Errorf("add counterpart: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.counterpart_added", Subject: subject("partner", a.PartnerID),
			Details: map[string]any{"counterpart": id, "kind": string(in.Kind)}})
	})
	return id, err
}

// CounterpartUpdate is where a counterpart stands now and what delivered
// it.
type CounterpartUpdate struct {
	Status      CounterpartStatus
	Link        Link      // the record that delivered it: kind, id (0 when it has none), label
	DeliveredOn date.Date // for a delivered counterpart; today when zero
	Note        string
}

// UpdateCounterpart records where counterpart id stands: delivered (with
// the record that delivered it), dropped (with a note saying why) or
// planned again; staff only. Nothing changed is nothing audited.
func (s *Service) UpdateCounterpart(ctx context.Context, id int64, in CounterpartUpdate, actor access.Actor) error {
	if err := staffOnly(actor); err != nil {
		return err
	}
	var errs valid.Errors
	if !in.Status.valid() {
		errs.Add("status", "choisissez : prévue, réalisée ou abandonnée")
	}
	in.Link.Label = text(&errs, "link_label", in.Link.Label, 300, false)
	in.Note = text(&errs, "note", in.Note, 1000, true)
	switch {
	case in.Link.Kind != "" && !in.Link.Kind.valid():
		errs.Add("link_kind", "type d’enregistrement inconnu")
	case in.Link.ID < 0:
		errs.Add("link_id", "numéro d’enregistrement invalide")
	case in.Status == Delivered && in.Link.Label == "" && !errs.Has("link_label"):
		errs.Add("link_label", "nommez ce qui a réalisé la contrepartie (l’événement, la publication…)")
	case in.Status == Dropped && in.Note == "" && !errs.Has("note"):
		errs.Add("note", "dites pourquoi la contrepartie est abandonnée")
	}
	if in.Status == Delivered && in.Link.Kind == "" && !errs.Has("link_kind") {
		errs.Add("link_kind", "choisissez le type de ce qui l’a réalisée")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if in.Status != Delivered {
		in.Link, in.DeliveredOn = Link{}, date.Date{}
	} else if in.DeliveredOn.IsZero() {
		in.DeliveredOn = s.today()
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		list, err := s.counterparts(ctx, tx, `c.id = $1`, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return store.NotFound("counterpart %d", id)
		}
		c := list[0]
		if c.Status == in.Status && c.Link == in.Link && c.Note == in.Note && c.DeliveredOn == in.DeliveredOn {
			return nil
		}
		var linkID any
		if in.Link.ID != 0 {
			linkID = in.Link.ID
		}
		var delivered any
		if !in.DeliveredOn.IsZero() {
			delivered = in.DeliveredOn
		}
		res, err := tx.ExecContext(ctx, `UPDATE partner_counterparts SET status = $1, link_kind = $2, link_id = $3, link_label = $4, note = $5,
			delivered_on = $6, updated_at = $7 WHERE id = $8`, string(in.Status), string(in.Link.Kind), linkID, in.Link.Label, in.Note, delivered, s.now(), id)
		if err := changed(res, err); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.counterpart_updated", Subject: subject("partner", c.PartnerID),
			Details: map[string]any{"counterpart": id, "from": string(c.Status), "to": string(in.Status), "link_kind": string(in.Link.Kind)}})
	})
}
