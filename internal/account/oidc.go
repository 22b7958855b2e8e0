package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vivier/internal/store"
)

// OIDC logins: the protocol is package oidc's; here are the single-use
// login states and the linking of identities to accounts.
//
// An identity (issuer, subject) is linked to an account once, at its first
// login, and only when the provider vouches for the email (email_verified)
// and that email is the email of an account a coordinator created or
// invited. Accounts are never linked on `sub` alone, and never created by a
// login: whoever logs in through a provider must have been invited first.

// oidcStateLifetime bounds the time between leaving for the provider and
// coming back.
const oidcStateLifetime = 10 * time.Minute

// OIDCState is what a login in progress keeps between the redirection to
// the provider and its callback.
type OIDCState struct {
	Nonce, Verifier, ReturnTo string
}

// SaveOIDCState keeps the nonce and PKCE verifier of a login under its state.
func (s *Service) SaveOIDCState(ctx context.Context, state string, st OIDCState) error {
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM oidc_states WHERE expires_at < $1", now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO oidc_states (state_hash, nonce, verifier, return_to, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, hashToken(state), st.Nonce, st.Verifier, st.ReturnTo, now.Add(oidcStateLifetime))
		return err
	})
}

// ErrOIDCState is a callback whose state is unknown, used or expired: a
// forged or replayed callback.
var ErrOIDCState = errors.New("la connexion a expiré ou ne vient pas de ce site : recommencez")

// TakeOIDCState returns and deletes the state of a login in progress.
func (s *Service) TakeOIDCState(ctx context.Context, state string) (OIDCState, error) {
	if state == "" || len(state) > 200 {
		return OIDCState{}, ErrOIDCState
	}
	var st OIDCState
	var expires time.Time
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT nonce, verifier, return_to, expires_at FROM oidc_states WHERE state_hash = $1",
			hashToken(state)).Scan(&st.Nonce, &st.Verifier, &st.ReturnTo, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrOIDCState
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM oidc_states WHERE state_hash = $1", hashToken(state))
		return err
	})
	if err == nil && !s.now().Before(expires) {
		err = ErrOIDCState
	}
	return st, err
}

// Identity is what a provider vouched for, as package oidc returns it.
type Identity struct {
	Issuer, Subject, Email string
	EmailVerified          bool
}

// ErrOIDCNoAccount is a provider identity that matches no account Vivier
// may link it to.
var ErrOIDCNoAccount = errors.New("aucun compte Vivier ne correspond à cette identité : demandez une invitation à la fédération")

// LoginWithOIDC opens a session for an identity a provider vouched for,
// linking it to the invited account of the same verified email on first use.
func (s *Service) LoginWithOIDC(ctx context.Context, id Identity, client Client) (Login, error) {
	var login Login
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, linked, err := s.oidcAccount(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.Status != Active && u.Status != Invited {
			return ErrOIDCNoAccount
		}
		now := s.now()
		if !linked {
			if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_identities (issuer, subject, user_id, email, created_at, last_login_at)
				VALUES ($1, $2, $3, $4, $5, $5)`, id.Issuer, id.Subject, u.ID, NormaliseEmail(id.Email), now); err != nil {
				return fmt.Errorf("link identity: %w", err)
			}
			if err := record(ctx, tx, client.actor(u.ID), "account.oidc_linked", u.ID, map[string]any{"issuer": id.Issuer}); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, "UPDATE oidc_identities SET last_login_at = $1 WHERE issuer = $2 AND subject = $3",
			now, id.Issuer, id.Subject); err != nil {
			return err
		}
		if u.Status == Invited {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET status = 'active', updated_at = $1 WHERE id = $2", now, u.ID); err != nil {
				return err
			}
			u.Status = Active
		}
		if err := record(ctx, tx, client.actor(u.ID), "account.login", u.ID, map[string]any{"method": string(ByOIDC)}); err != nil {
			return err
		}
		login, err = s.startSession(ctx, tx, u, ByOIDC, client)
		return err
	})
	if errors.Is(err, ErrOIDCNoAccount) {
		_ = s.Record(ctx, client.actor(0), "account.oidc_refused", 0, map[string]any{"issuer": id.Issuer})
	}
	return login, err
}

// oidcAccount finds the account of an identity: the one it is linked to, or
// else the account whose email the provider verified.
func (s *Service) oidcAccount(ctx context.Context, tx *sql.Tx, id Identity) (User, bool, error) {
	var userID int64
	err := tx.QueryRowContext(ctx, "SELECT user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2", id.Issuer, id.Subject).Scan(&userID)
	if err == nil {
		u, err := Get(ctx, tx, userID)
		return u, true, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return User{}, false, err
	}
	if !id.EmailVerified || id.Email == "" {
		return User{}, false, ErrOIDCNoAccount
	}
	u, err := ByEmail(ctx, tx, id.Email)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, false, ErrOIDCNoAccount
	}
	return u, false, err
}
