package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
)

// Scope is what an API token may do.
type Scope string

// The scopes of API tokens.
const (
	ScopeRead  Scope = "read"  // GET only
	ScopeWrite Scope = "write" // every method
)

// APIToken is a personal token for /api/v1 as its owner sees it: never the
// secret, which is shown once at creation.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // the first characters, to recognise it
	Scope      Scope
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// tokenPrefix starts every API token, so that a leaked one is recognisable
// by secret scanners and in logs.
const tokenPrefix = "viv_"

// CreateToken creates an API token for the user and returns its secret,
// which is not stored and cannot be shown again.
func (s *Service) CreateToken(ctx context.Context, u User, name string, scope Scope, client Client) (string, APIToken, error) {
	return s.createToken(ctx, u, name, scope, client.actor(u.ID))
}

// IssueToken creates an API token for the active account with email, on
// behalf of Vivier itself (`vivier token create`, for scripts and
// installations); only the system may, and the audit log names it as the
// creator. The secret is returned once.
func (s *Service) IssueToken(ctx context.Context, email, name string, scope Scope, actor access.Actor) (string, APIToken, error) {
	if !actor.IsSystem() {
		return "", APIToken{}, ErrForbidden
	}
	u, err := ByEmail(ctx, s.db, email)
	if err != nil {
		return "", APIToken{}, fieldErr("email", "Aucun compte n'a l'adresse "+NormaliseEmail(email)+".")
	}
	if u.Status != Active {
		return "", APIToken{}, fieldErr("email", "Ce compte n'est pas actif (invitation non acceptée, suspendu ou effacé) : un jeton ne l'ouvrirait pas.")
	}
	return s.createToken(ctx, u, name, scope, actor)
}

func (s *Service) createToken(ctx context.Context, u User, name string, scope Scope, actor access.Actor) (string, APIToken, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", APIToken{}, fieldErr("name", "Donnez au jeton un nom de 1 à 100 caractères (à quoi il sert).")
	}
	if scope != ScopeRead && scope != ScopeWrite {
		return "", APIToken{}, fieldErr("scope", "Choisissez la portée : lecture ou écriture.")
	}
	secret := tokenPrefix + strings.ToLower(newToken())
	t := APIToken{UserID: u.ID, Name: name, Prefix: secret[:len(tokenPrefix)+6], Scope: scope, CreatedAt: s.now()}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scope, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, u.ID, name, hashToken(secret), t.Prefix, string(scope), t.CreatedAt).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return record(ctx, tx, actor, "account.token_created", u.ID, map[string]any{"token": t.ID, "scope": string(scope)})
	})
	return secret, t, err
}

// ListTokens returns the user's tokens, newest first, revoked ones included.
func (s *Service) ListTokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, prefix, scope, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Scope, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.LastUsedAt, t.RevokedAt = timePtr(used), timePtr(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// RevokeToken revokes one of the user's tokens. A token of someone else is
// not found.
func (s *Service) RevokeToken(ctx context.Context, u User, tokenID int64, client Client) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
			s.now(), tokenID, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("token %d: %w", tokenID, errNotFound)
		}
		return record(ctx, tx, client.actor(u.ID), "account.token_revoked", u.ID, map[string]any{"token": tokenID})
	})
}

// ErrBadToken is an API token that is unknown, revoked, or whose owner may
// no longer log in.
var ErrBadToken = errors.New("jeton d'API invalide ou révoqué")

// AuthenticateToken returns the owner and scope of an API token, recording
// its use (at most once a minute).
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (User, Scope, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 100 {
		return User{}, "", ErrBadToken
	}
	var id, userID int64
	var scope Scope
	var used sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT id, user_id, scope, last_used_at FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL`, hashToken(secret)).Scan(&id, &userID, &scope, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", ErrBadToken
	}
	if err != nil {
		return User{}, "", err
	}
	u, err := Get(ctx, s.db, userID)
	if err != nil {
		return User{}, "", err
	}
	if u.Status != Active {
		return User{}, "", ErrBadToken
	}
	now := s.now()
	if !used.Valid || now.Sub(used.Time) >= touchEvery {
		if _, err := s.db.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now, id); err != nil {
			return User{}, "", err
		}
	}
	return u, scope, nil
}
