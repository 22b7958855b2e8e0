package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/valid"
)

const userColumns = `id, email, name, role, coalesce(organisation_id, 0), status,
	password_hash IS NOT NULL, totp_enabled_at IS NOT NULL, mfa_waived, created_at, last_login_at`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var last sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID, &u.Status,
		&u.HasPassword, &u.TOTPEnabled, &u.MFAWaived, &u.CreatedAt, &last)
	if err != nil {
		return u, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	if last.Valid {
		t := last.Time.UTC()
		u.LastLoginAt = &t
	}
	return u, nil
}

// Get returns the user with id.
func Get(ctx context.Context, q store.Querier, id int64) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.NotFound("user %d", id)
	}
	return u, err
}

// ByEmail returns the user with email (compared in lower case).
func ByEmail(ctx context.Context, q store.Querier, email string) (User, error) {
	email = NormaliseEmail(email)
	u, err := scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1", email))
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.NotFound("user %q", email)
	}
	return u, err
}

// NormaliseEmail trims and lower-cases an address: accounts are found by
// email whatever the case the user types.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ListFilter selects users for the admin list.
type ListFilter struct {
	Role   access.Role // "" for all
	Status Status      // "" for all but erased
	Query  string      // part of the name or email
}

// List returns the users matching f, by name; staff only.
func (s *Service) List(ctx context.Context, f ListFilter, actor access.Actor) ([]User, error) {
	if !actor.Staff() {
		return nil, ErrForbidden
	}
	q := s.db
	query := "SELECT " + userColumns + " FROM users WHERE 1 = 1"
	var args []any
	if f.Role != "" {
		args = append(args, f.Role)
		query += fmt.Sprintf(" AND role = $%d", len(args))
	}
	if f.Status != "" {
		args = append(args, f.Status)
		query += fmt.Sprintf(" AND status = $%d", len(args))
	} else {
		query += " AND status <> 'erased'"
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		args = append(args, "%"+strings.ToLower(s)+"%")
		query += fmt.Sprintf(" AND (lower(name) LIKE $%d OR email LIKE $%d)", len(args), len(args))
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY lower(name), id", args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// NewUser is what creating an account needs.
type NewUser struct {
	Email          string
	Name           string
	Role           access.Role
	OrganisationID int64
}

// Validate checks n against the rules of accounts, naming every field at
// fault at once, in the order of the form. q is used to check the
// organisation's kind.
func (n *NewUser) Validate(ctx context.Context, q store.Querier) error {
	n.Email = NormaliseEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	var errs valid.Errors
	if n.Email == "" {
		errs.Add("email", "Indiquez l’adresse électronique de la personne : l’invitation y sera envoyée.")
	} else if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		errs.Add("email", "Cette adresse électronique n’est pas valide : elle s’écrit nom@domaine.fr.")
	}
	if n.Name == "" {
		errs.Add("name", "Indiquez le nom de la personne.")
	} else if len(n.Name) > 200 {
		errs.Add("name", "Le nom est trop long (200 caractères au plus).")
	}
	if !n.Role.Valid() {
		errs.Add("role", "Choisissez un rôle.")
		return errs.Err()
	}
	kinds := n.Role.OrganisationKinds()
	if kinds == nil {
		n.OrganisationID = 0
		return errs.Err()
	}
	if err := n.checkOrganisation(ctx, q, kinds, &errs); err != nil {
		return err
	}
	return errs.Err()
}

// checkOrganisation adds to errs what is wrong with the organisation of a
// role that needs one of kinds.
func (n *NewUser) checkOrganisation(ctx context.Context, q store.Querier, kinds []string, errs *valid.Errors) error {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = fr.InSentence(organisation.Kind(k).Label())
	}
	if n.OrganisationID == 0 {
		errs.Add("organisation", "Choisissez l’organisation de la personne : un %s appartient à une organisation (%s).", n.Role.Label(), strings.Join(names, ", "))
		return nil
	}
	var kind string
	err := q.QueryRowContext(ctx, "SELECT kind FROM organisations WHERE id = $1", n.OrganisationID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		errs.Add("organisation", "Cette organisation n’existe pas.")
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Contains(kinds, kind) {
		errs.Add("organisation", "Un %s appartient à une organisation de type %s.", n.Role.Label(), strings.Join(names, ", "))
	}
	return nil
}

// create inserts a validated user with status and returns it.
func create(ctx context.Context, tx *sql.Tx, n NewUser, status Status, now time.Time) (User, error) {
	var org any
	if n.OrganisationID != 0 {
		org = n.OrganisationID
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, organisation_id, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, n.Email, n.Name, n.Role, org, status, now).Scan(&id)
	if store.IsUniqueViolation(err) {
		return User{}, fieldErr("email", "Un compte existe déjà avec cette adresse électronique.")
	}
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return Get(ctx, tx, id)
}

// Organisation is an organisation a user may belong to, for the invitation
// form's menu.
type Organisation struct {
	ID   int64
	Kind string
	Name string
}

// Organisations lists the organisations users may belong to, by name;
// staff only (they invite the users).
func (s *Service) Organisations(ctx context.Context, actor access.Actor) ([]Organisation, error) {
	if !actor.Staff() {
		return nil, ErrForbidden
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, kind, name FROM organisations WHERE kind IN ('commune', 'epci', 'agence', 'departement', 'region') ORDER BY lower(name), id")
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		var o Organisation
		if err := rows.Scan(&o.ID, &o.Kind, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
