package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"vivier/internal/store"
)

// LoginWithPassword checks email and password and opens a session. Every
// failure — unknown email, wrong password, account that may not log in —
// is the same ErrBadCredentials, takes the same time (a hash is always
// verified), is counted against the account, the address, and the pair of
// both, and is written to the audit log. Too many failures give a
// *ThrottledError (see Throttle: a stranger's failures slow the stranger).
func (s *Service) LoginWithPassword(ctx context.Context, email, password string, client Client) (Login, error) {
	now := s.now()
	if err := s.throttle.Check(ctx, s.db, email, client.IP, now); err != nil {
		_ = s.Record(ctx, client.actor(0), "account.login_throttled", 0, nil)
		return Login{}, err
	}
	if len(password) > MaxPasswordLength {
		password = password[:MaxPasswordLength]
	}
	u, hash, err := s.credentials(ctx, email)
	if err != nil {
		return Login{}, err
	}
	ok, rehash := VerifyPassword(password, hash, s.argon2)
	if !ok || u.Status != Active {
		return Login{}, s.loginFailed(ctx, email, u.ID, client)
	}
	var login Login
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.throttle.Succeed(ctx, tx, email, client.IP); err != nil {
			return err
		}
		if rehash {
			if err := s.storePassword(ctx, tx, u.ID, password); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, client.actor(u.ID), "account.login", u.ID, map[string]any{"method": string(ByPassword)}); err != nil {
			return err
		}
		login, err = s.startSession(ctx, tx, u, ByPassword, client)
		return err
	})
	return login, err
}

// credentials returns the account of email and its password hash; for an
// unknown email or an account without password, a dummy hash that no
// password matches, so the caller spends the same time verifying.
func (s *Service) credentials(ctx context.Context, email string) (User, string, error) {
	u, err := ByEmail(ctx, s.db, email)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, s.dummyHash(), nil
	}
	if err != nil {
		return User{}, "", err
	}
	var hash sql.NullString
	if err := s.db.QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = $1", u.ID).Scan(&hash); err != nil {
		return User{}, "", err
	}
	if !hash.Valid {
		return u, s.dummyHash(), nil
	}
	return u, hash.String, nil
}

// loginFailed counts and records a failed login and returns the one answer.
func (s *Service) loginFailed(ctx context.Context, email string, userID int64, client Client) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.throttle.Fail(ctx, tx, email, client.IP, s.now()); err != nil {
			return err
		}
		return record(ctx, tx, client.actor(0), "account.login_failed", userID, map[string]any{"method": string(ByPassword)})
	})
	if err != nil {
		return err
	}
	return ErrBadCredentials
}

// storePassword hashes and stores a password that passed CheckPassword.
func (s *Service) storePassword(ctx context.Context, tx *sql.Tx, userID int64, password string) error {
	_, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2 WHERE id = $3",
		HashPassword(password, s.argon2), s.now(), userID)
	if err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	return nil
}

// ChangePassword replaces the password of the signed-in user after checking
// the current one (when the account has one), ends every other session and
// renews this one; outstanding login and reset links stop working. It
// returns the new session token.
func (s *Service) ChangePassword(ctx context.Context, sess Session, current, next string, client Client) (string, error) {
	var hash string
	user, err := Get(ctx, s.db, sess.UserID)
	if err != nil {
		return "", err
	}
	if user.HasPassword {
		if err := s.db.QueryRowContext(ctx, "SELECT password_hash FROM users WHERE id = $1", user.ID).Scan(&hash); err != nil {
			return "", err
		}
		if ok, _ := VerifyPassword(current, hash, s.argon2); !ok {
			return "", fieldErr("current", "Le mot de passe actuel est incorrect.")
		}
	}
	if err := CheckPassword(next, user.Email, user.Name); err != nil {
		return "", err
	}
	var token string
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.storePassword(ctx, tx, user.ID, next); err != nil {
			return err
		}
		n, err := endSessions(ctx, tx, user.ID, sess.Hash)
		if err != nil {
			return err
		}
		if err := s.endLinks(ctx, tx, user.ID); err != nil {
			return err
		}
		if token, err = s.renew(ctx, tx, sess, sess.Stage); err != nil {
			return err
		}
		return record(ctx, tx, client.actor(user.ID), "account.password_changed", user.ID, map[string]any{"sessions_ended": n})
	})
	return token, err
}
