package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/valid"
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
	ExpiresAt  time.Time // chosen at creation; the token is refused from then on
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Expired reports whether the token is past its expiry at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// DefaultTokenLifetime is how long a token lives when its creator does not
// choose: a year, after which a forgotten token in a script stops working.
const DefaultTokenLifetime = 365 * 24 * time.Hour

// MaxTokenLifetime is the longest life a token may be given.
const MaxTokenLifetime = 2 * 365 * 24 * time.Hour

// TokenSpec is what a new token is: its name, its scope and how long it
// lives (DefaultTokenLifetime when zero).
type TokenSpec struct {
	Name     string
	Scope    Scope
	Lifetime time.Duration
}

// tokenPrefix starts every API token, so that a leaked one is recognisable
// by secret scanners and in logs.
const tokenPrefix = "viv_"

// CreateToken creates an API token for the user, living
// DefaultTokenLifetime, and returns its secret, which is not stored and
// cannot be shown again.
func (s *Service) CreateToken(ctx context.Context, u User, name string, scope Scope, client Client) (string, APIToken, error) {
	return s.CreateTokenWith(ctx, u, TokenSpec{Name: name, Scope: scope}, client)
}

// CreateTokenWith is CreateToken with every choice of the new token,
// its lifetime included (from one day to MaxTokenLifetime).
func (s *Service) CreateTokenWith(ctx context.Context, u User, spec TokenSpec, client Client) (string, APIToken, error) {
	return s.createToken(ctx, u, spec, client.actor(u.ID))
}

// IssueToken creates an API token for the active account with email, on
// behalf of Vivier itself (`vivier token create`, for scripts and
// installations); only the system may, and the audit log names it as the
// creator. The secret is returned once.
func (s *Service) IssueToken(ctx context.Context, email string, spec TokenSpec, actor access.Actor) (string, APIToken, error) {
	if !actor.IsSystem() {
		return "", APIToken{}, ErrForbidden
	}
	u, err := ByEmail(ctx, s.db, email)
	if err != nil {
		return "", APIToken{}, fieldErr("email", "Aucun compte n’a l’adresse "+NormaliseEmail(email)+".")
	}
	if u.Status != Active {
		return "", APIToken{}, fieldErr("email", "Ce compte n’est pas actif (invitation non acceptée, suspendu ou effacé) : un jeton ne l’ouvrirait pas.")
	}
	return s.createToken(ctx, u, spec, actor)
}

func (s *Service) createToken(ctx context.Context, u User, spec TokenSpec, actor access.Actor) (string, APIToken, error) {
	name := strings.TrimSpace(spec.Name)
	var errs valid.Errors
	if name == "" || len([]rune(name)) > 100 {
		errs.Add("name", "Donnez au jeton un nom de 1 à 100 caractères (à quoi il sert).")
	}
	if spec.Scope != ScopeRead && spec.Scope != ScopeWrite {
		errs.Add("scope", "Choisissez la portée : lecture ou écriture.")
	}
	life := spec.Lifetime
	if life == 0 {
		life = DefaultTokenLifetime
	}
	if life < 24*time.Hour || life > MaxTokenLifetime {
		errs.Add("lifetime", "Choisissez une durée de vie d’un jour à deux ans.")
	}
	if err := errs.Err(); err != nil {
		return "", APIToken{}, err
	}
	secret := tokenPrefix + strings.ToLower(newToken())
	now := s.now()
	t := APIToken{UserID: u.ID, Name: name, Prefix: secret[:len(tokenPrefix)+6], Scope: spec.Scope, CreatedAt: now, ExpiresAt: now.Add(life)}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scope, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, u.ID, name, hashToken(secret), t.Prefix, string(spec.Scope), t.CreatedAt, t.ExpiresAt).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return record(ctx, tx, actor, "account.token_created", u.ID,
			map[string]any{"token": t.ID, "scope": string(spec.Scope), "expires_at": t.ExpiresAt.Format(time.RFC3339)})
	})
	return secret, t, err
}

// tokenExpiry is the expiry of a token as stored: a token created before
// expiries were stored lives DefaultTokenLifetime from its creation.
func tokenExpiry(created time.Time, expires sql.NullTime) time.Time {
	if expires.Valid {
		return expires.Time.UTC()
	}
	return created.UTC().Add(DefaultTokenLifetime)
}

// RevokeTokens revokes every live token of the user (« déconnexion
// partout » when asked, a password reset always) and returns how many.
func (s *Service) RevokeTokens(ctx context.Context, userID int64, client Client) (int64, error) {
	var n int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = revokeTokens(ctx, tx, userID, s.now()); err != nil || n == 0 {
			return err
		}
		return record(ctx, tx, client.actor(userID), "account.tokens_revoked", userID, map[string]any{"tokens": n})
	})
	return n, err
}

func revokeTokens(ctx context.Context, tx *sql.Tx, userID int64, now time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", now, userID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	return res.RowsAffected()
}

// ListTokens returns the user's tokens, newest first, revoked ones included.
func (s *Service) ListTokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, prefix, scope, created_at, expires_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var expires, used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.Scope, &t.CreatedAt, &expires, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.ExpiresAt = tokenExpiry(t.CreatedAt, expires)
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

// ErrBadToken is an API token that is unknown, revoked, expired, or whose
// owner may no longer log in.
var ErrBadToken = errors.New("jeton d’API invalide ou révoqué")

// AuthenticateToken returns the owner and scope of an API token, recording
// its use (at most once a minute).
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (User, Scope, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 100 {
		return User{}, "", ErrBadToken
	}
	var id, userID int64
	var scope Scope
	var created time.Time
	var expires, used sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT id, user_id, scope, created_at, expires_at, last_used_at FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL`, hashToken(secret)).Scan(&id, &userID, &scope, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", ErrBadToken
	}
	if err != nil {
		return User{}, "", err
	}
	now := s.now()
	if !now.Before(tokenExpiry(created, expires)) {
		return User{}, "", ErrBadToken
	}
	u, err := Get(ctx, s.db, userID)
	if err != nil {
		return User{}, "", err
	}
	if u.Status != Active {
		return User{}, "", ErrBadToken
	}
	if !used.Valid || now.Sub(used.Time) >= touchEvery {
		if _, err := s.db.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", now, id); err != nil {
			return User{}, "", err
		}
	}
	return u, scope, nil
}
