package network

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// StaffMember is one account of a member's staff (role member).
type StaffMember struct {
	UserID   int64
	Name     string
	Email    string
	Status   account.Status // invited, active or suspended
	Referent bool           // receives the calls for fees, invites colleagues
}

// staff lists the accounts of organisation orgID's staff, referents first.
func (s *Service) staff(ctx context.Context, q store.Querier, orgID int64) ([]StaffMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email, u.status, r.user_id IS NOT NULL
		FROM users u LEFT JOIN member_referents r ON r.user_id = u.id AND r.organisation_id = u.organisation_id
		WHERE u.organisation_id = $1 AND u.role = 'member' AND u.status <> 'erased'
		ORDER BY r.user_id IS NULL, lower(u.name), u.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("staff of member %d: %w", orgID, err)
	}
	defer rows.Close()
	var out []StaffMember
	for rows.Next() {
		var m StaffMember
		if err := rows.Scan(&m.UserID, &m.Name, &m.Email, &m.Status, &m.Referent); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// referents lists the referents of organisation orgID who can receive an
// email (active or invited accounts).
func referents(ctx context.Context, q store.Querier, orgID int64) ([]StaffMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email, u.status FROM member_referents r JOIN users u ON u.id = r.user_id
		WHERE r.organisation_id = $1 AND u.organisation_id = $1 AND u.status IN ('active', 'invited') ORDER BY u.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StaffMember
	for rows.Next() {
		m := StaffMember{Referent: true}
		if err := rows.Scan(&m.UserID, &m.Name, &m.Email, &m.Status); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Invitation is a colleague a member's referent (or staff) invites.
type Invitation struct {
	Name     string
	Email    string
	Referent bool // also a referent of the organisation
}

// InviteStaff creates the account (role member) of a colleague of member
// orgID and emails its invitation; staff and the member's referents may.
// A taken address is an error on "email".
func (s *Service) InviteStaff(ctx context.Context, orgID int64, in Invitation, actor access.Actor) (int64, error) {
	if err := s.mayEdit(ctx, s.db, orgID, actor); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.invite(ctx, tx, orgID, in, actor)
		return err
	})
	return id, err
}

// invite creates the account of in for organisation orgID inside tx, or,
// for a referent whose address is already the account of one of the
// organisation's staff, flags that account.
func (s *Service) invite(ctx context.Context, tx *sql.Tx, orgID int64, in Invitation, actor access.Actor) (int64, error) {
	u, err := account.ByEmail(ctx, tx, in.Email)
	switch {
	case err == nil && in.Referent && u.OrganisationID == orgID && u.Role == access.Member && u.Status != account.Erased:
		return u.ID, s.flagReferent(ctx, tx, orgID, u.ID, actor)
	case err == nil:
		return 0, fieldError("email", "un compte existe déjà avec l’adresse %s", strings.ToLower(strings.TrimSpace(in.Email)))
	case !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	u, err = s.accounts.InviteTx(ctx, tx, account.NewUser{Email: in.Email, Name: in.Name, Role: access.Member, OrganisationID: orgID}, actor)
	if err != nil {
		return 0, err
	}
	if in.Referent {
		return u.ID, s.flagReferent(ctx, tx, orgID, u.ID, actor)
	}
	return u.ID, nil
}

// flagReferent makes userID a referent of orgID inside tx (nothing when it
// is one already).
func (s *Service) flagReferent(ctx context.Context, tx *sql.Tx, orgID, userID int64, actor access.Actor) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO member_referents (user_id, organisation_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO NOTHING`, userID, orgID, s.now())
	if err != nil {
		return fmt.Errorf("flag referent: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.referent_added", Subject: subject("member", orgID), SubjectUserID: userID})
}

// SetReferent makes a colleague of member orgID one of its referents, or
// no longer one; staff and the member's referents may. A referent cannot
// withdraw themselves (another referent or staff does), so that a member
// never loses its last referent by a slip.
func (s *Service) SetReferent(ctx context.Context, orgID, userID int64, on bool, actor access.Actor) error {
	if err := s.mayEdit(ctx, s.db, orgID, actor); err != nil {
		return err
	}
	if !on && userID == actor.UserID {
		return access.Deny("un autre référent, ou la coordination, vous retire ce rôle")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		list, err := s.staff(ctx, tx, orgID)
		if err != nil {
			return err
		}
		var found *StaffMember
		for i := range list {
			if list[i].UserID == userID {
				found = &list[i]
			}
		}
		switch {
		case found == nil:
			return fieldError("user", "cette personne ne fait pas partie de l’équipe de l’adhérent")
		case on:
			return s.flagReferent(ctx, tx, orgID, userID, actor)
		case !found.Referent:
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM member_referents WHERE user_id = $1 AND organisation_id = $2`, userID, orgID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.referent_removed", Subject: subject("member", orgID), SubjectUserID: userID})
	})
}
