package account

import (
	"context"
	"database/sql"
	"vivier/internal/access"

	"vivier/internal/store"
)

var errNotFound = store.ErrNotFound

// SetStatus suspends or reactivates an account. Suspending ends every
// session and disables its API tokens until reactivation. Staff may change
// any account but their own; only an administrator changes an
// administrator's.
func (s *Service) SetStatus(ctx context.Context, userID int64, status Status, actor access.Actor) error {
	if !actor.Staff() || actor.UserID == userID {
		return ErrForbidden
	}
	if status != Suspended && status != Active {
		return fieldErr("status", "Statut inconnu.")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := Get(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Role == access.Admin && !actor.Admin() {
			return ErrForbidden
		}
		switch {
		case u.Status == Erased:
			return fieldErr("status", "Ce compte a été effacé.")
		case status == Active && u.Status != Suspended:
			return fieldErr("status", "Seul un compte suspendu peut être réactivé.")
		case status == Suspended && u.Status == Suspended:
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET status = $1, updated_at = $2 WHERE id = $3", string(status), s.now(), userID); err != nil {
			return err
		}
		if status == Suspended {
			if _, err := endSessions(ctx, tx, userID, ""); err != nil {
				return err
			}
		}
		action := "account.suspended"
		if status == Active {
			action = "account.reactivated"
		}
		return record(ctx, tx, actor, action, userID, nil)
	})
}

// CreateWithPassword creates an active account with a password, for the
// first administrator (`vivier user create`) and the demo accounts. waiveMFA
// exempts the account from the second factor and is for demo accounts only.
func (s *Service) CreateWithPassword(ctx context.Context, n NewUser, password string, waiveMFA bool) (User, error) {
	var u User
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := n.Validate(ctx, tx); err != nil {
			return err
		}
		if err := CheckPassword(password, n.Email, n.Name); err != nil {
			return err
		}
		var err error
		if u, err = create(ctx, tx, n, Active, s.now()); err != nil {
			return err
		}
		if err := s.storePassword(ctx, tx, u.ID, password); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET mfa_waived = $1 WHERE id = $2", waiveMFA, u.ID); err != nil {
			return err
		}
		if err := record(ctx, tx, access.System, "account.created", u.ID, map[string]any{"role": string(u.Role)}); err != nil {
			return err
		}
		u, err = Get(ctx, tx, u.ID)
		return err
	})
	return u, err
}
