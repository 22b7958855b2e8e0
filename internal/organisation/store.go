package organisation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/valid"
)

const selectOrganisation = `SELECT id, kind, name, coalesce(siren, ''), coalesce(insee_code, '') FROM organisations`

func scan(row interface{ Scan(...any) error }) (Organisation, error) {
	var o Organisation
	err := row.Scan(&o.ID, &o.Kind, &o.Name, &o.SIREN, &o.INSEECode)
	return o, err
}

func one(row *sql.Row, what string, args ...any) (Organisation, error) {
	o, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Organisation{}, store.NotFound(what, args...)
	}
	return o, err
}

// Get returns the organisation with id.
func Get(ctx context.Context, q store.Querier, id int64) (Organisation, error) {
	return one(q.QueryRowContext(ctx, selectOrganisation+` WHERE id = $1`, id), "organisation %d", id)
}

// List returns organisations of a kind ("" for all) by name.
func List(ctx context.Context, q store.Querier, kind Kind) ([]Organisation, error) {
	rows, err := q.QueryContext(ctx, selectOrganisation+` WHERE $1 = '' OR kind = $1 ORDER BY name, id`, string(kind))
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		o, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// EnsureCommune returns the organisation of the commune with INSEE code,
// creating it from the reference the first time. An arrondissement municipal
// stands for its commune (69381 → Lyon).
func EnsureCommune(ctx context.Context, q store.Querier, ref *geo.Reference, code string) (Organisation, error) {
	c, ok := ref.Commune(code)
	if !ok {
		return Organisation{}, valid.FieldError{Field: "commune", Message: fmt.Sprintf("aucune commune n’a le code INSEE %q", code)}
	}
	if c.IsArrondissement() {
		c, _ = ref.Commune(c.Parent)
	}
	o, err := one(q.QueryRowContext(ctx, selectOrganisation+` WHERE kind = 'commune' AND insee_code = $1`, c.Code), "commune %s", c.Code)
	if !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	return insert(ctx, q, Organisation{Kind: Commune, Name: c.Name, SIREN: c.SIREN, INSEECode: c.Code})
}

// EnsureEPCI returns the organisation of the EPCI with siren, creating it
// from the reference the first time.
func EnsureEPCI(ctx context.Context, q store.Querier, ref *geo.Reference, siren string) (Organisation, error) {
	e, ok := ref.EPCI(siren)
	if !ok {
		return Organisation{}, valid.FieldError{Field: "siren", Message: fmt.Sprintf("aucune intercommunalité n’a le SIREN %q", siren)}
	}
	o, err := one(q.QueryRowContext(ctx, selectOrganisation+` WHERE siren = $1`, e.SIREN), "EPCI %s", e.SIREN)
	if !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	return insert(ctx, q, Organisation{Kind: EPCI, Name: e.Name, SIREN: e.SIREN})
}

// BySIREN returns the organisation with siren: one already stored, or else
// the commune or EPCI of the reference with that SIREN, created on first
// use. Any other unknown SIREN is an error naming the field "requester_siren":
// agencies and partners are created by coordinators first.
func BySIREN(ctx context.Context, q store.Querier, ref *geo.Reference, siren string) (Organisation, error) {
	siren = NormalizeSIREN(siren)
	if msg := CheckSIREN(siren); msg != "" {
		return Organisation{}, valid.FieldError{Field: "requester_siren", Message: msg}
	}
	o, err := one(q.QueryRowContext(ctx, selectOrganisation+` WHERE siren = $1`, siren), "organisation with SIREN %s", siren)
	if !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	if _, ok := ref.EPCI(siren); ok {
		return EnsureEPCI(ctx, q, ref, siren)
	}
	for c := range ref.Communes() {
		if c.SIREN == siren {
			return EnsureCommune(ctx, q, ref, c.Code)
		}
	}
	return Organisation{}, valid.FieldError{Field: "requester_siren",
		Message: fmt.Sprintf("aucune organisation connue n’a le SIREN %s : une commune ou une intercommunalité se reconnaît d’elle-même, une agence doit d’abord être créée", siren)}
}

// Input is what a coordinator types to create an organisation that is not a
// commune or an EPCI.
type Input struct {
	Kind  Kind
	Name  string
	SIREN string
}

// Create stores an organisation typed by hand. Communes and EPCI are refused:
// they come from the reference (EnsureCommune, EnsureEPCI).
func Create(ctx context.Context, db *store.DB, in Input) (Organisation, error) {
	in, errs := in.check()
	if err := errs.Err(); err != nil {
		return Organisation{}, err
	}
	var o Organisation
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = insert(ctx, tx, Organisation{Kind: in.Kind, Name: in.Name, SIREN: in.SIREN})
		return err
	})
	if store.IsUniqueViolation(err) {
		return Organisation{}, sirenTaken(in.SIREN)
	}
	return o, err
}

// check normalises in and returns what is wrong with it, field by field.
func (in Input) check() (Input, valid.Errors) {
	in.Name = strings.TrimSpace(in.Name)
	in.SIREN = NormalizeSIREN(in.SIREN)
	var errs valid.Errors
	switch {
	case !in.Kind.valid():
		errs.Add("kind", "choisissez le type d’organisation")
	case in.Kind.FromReference():
		errs.Add("kind", "les communes et intercommunalités viennent du référentiel géographique : cherchez-les par leur nom")
	}
	if in.Name == "" {
		errs.Add("name", "indiquez le nom de l’organisation")
	}
	if in.SIREN != "" {
		if msg := CheckSIREN(in.SIREN); msg != "" {
			errs.Add("siren", "%s", msg)
		}
	}
	switch {
	case len(in.Name) > 300:
		errs.Add("name", "300 caractères au plus")
	case !utf8.ValidString(in.Name) || strings.ContainsFunc(in.Name, unicode.IsControl):
		errs.Add("name", "le nom contient des caractères invalides")
	}
	return in, errs
}

func sirenTaken(siren string) error {
	return valid.Errors{{Field: "siren", Message: fmt.Sprintf("une organisation a déjà le SIREN %s", siren)}}
}

func insert(ctx context.Context, q store.Querier, o Organisation) (Organisation, error) {
	now := time.Now().UTC()
	err := q.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, siren, insee_code, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
		string(o.Kind), o.Name, nullString(o.SIREN), nullString(o.INSEECode), now).Scan(&o.ID)
	if err != nil {
		return Organisation{}, fmt.Errorf("create organisation %s: %w", o.Name, err)
	}
	return o, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateTx stores an organisation typed by hand through q, the transaction
// of the caller's change (a new member or partner of package network), with
// the checks of Create. A SIREN already taken is a validation error on
// "siren", found before the insert so that the caller's transaction stays
// usable. The caller has decided that its actor may create it.
func CreateTx(ctx context.Context, q store.Querier, in Input) (Organisation, error) {
	in, errs := in.check()
	if err := errs.Err(); err != nil {
		return Organisation{}, err
	}
	if err := sirenFree(ctx, q, in.SIREN, 0); err != nil {
		return Organisation{}, err
	}
	return insert(ctx, q, Organisation{Kind: in.Kind, Name: in.Name, SIREN: in.SIREN})
}

// UpdateTx changes the name and SIREN of organisation id, one typed by
// hand (a commune or an EPCI keeps the reference's), through q; it reports
// whether anything changed. The caller has decided that its actor may.
func UpdateTx(ctx context.Context, q store.Querier, id int64, in Input) (bool, error) {
	o, err := Get(ctx, q, id)
	if err != nil {
		return false, err
	}
	in.Kind = o.Kind
	if o.Kind.FromReference() {
		return false, valid.Errors{{Field: "name", Message: "le nom et le SIREN des communes et intercommunalités viennent du référentiel géographique"}}
	}
	in, errs := in.check()
	if err := errs.Err(); err != nil {
		return false, err
	}
	if in.Name == o.Name && in.SIREN == o.SIREN {
		return false, nil
	}
	if err := sirenFree(ctx, q, in.SIREN, id); err != nil {
		return false, err
	}
	_, err = q.ExecContext(ctx, `UPDATE organisations SET name = $1, siren = $2, updated_at = $3 WHERE id = $4`,
		in.Name, nullString(in.SIREN), time.Now().UTC(), id)
	if err != nil {
		return false, fmt.Errorf("update organisation %d: %w", id, err)
	}
	return true, nil
}

// sirenFree refuses a SIREN that another organisation than id already has.
func sirenFree(ctx context.Context, q store.Querier, siren string, id int64) error {
	if siren == "" {
		return nil
	}
	var other int64
	err := q.QueryRowContext(ctx, `SELECT id FROM organisations WHERE siren = $1`, siren).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && other == id:
		return nil
	case err != nil:
		return err
	}
	return sirenTaken(siren)
}
