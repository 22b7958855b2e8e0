package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SessionConfig sets when sessions end.
type SessionConfig struct {
	Idle     time.Duration // ended after this long without a request
	Absolute time.Duration // ended this long after login, whatever happens
}

// DefaultSessions end after 2 hours idle and 12 hours in all: a working day,
// then a new login.
var DefaultSessions = SessionConfig{Idle: 2 * time.Hour, Absolute: 12 * time.Hour}

// Stage says whether a session still owes a second factor.
type Stage string

// The stages of a session.
const (
	StageMFA   Stage = "mfa"   // password or link accepted; a TOTP or recovery code is due
	StageEnrol Stage = "enrol" // the role needs a second factor the user has not set up yet
	StageFull  Stage = "full"  // signed in
)

// Method is how a session was opened.
type Method string

// The ways to log in.
const (
	ByPassword   Method = "password"
	ByMagicLink  Method = "magic_link"
	ByOIDC       Method = "oidc"
	ByInvitation Method = "invitation"
	ByReset      Method = "reset"
)

// Session is a signed-in browser.
type Session struct {
	Hash        string // SHA-256 of the cookie's token: the session's id
	UserID      int64
	Stage       Stage
	Method      Method
	CSRF        string // synchronizer token of the session's forms
	TOTPPending string // secret being enrolled
	IP          string
	UserAgent   string
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
}

// Login is an opened session: Token goes into the cookie, and is never
// stored.
type Login struct {
	Token string
	Stage Stage
	User  User
}

// touchEvery bounds the writes of idle tracking: last_seen_at is updated at
// most once a minute per session.
const touchEvery = time.Minute

const sessionColumns = `s.token_hash, s.user_id, s.stage, s.method, s.csrf_token, coalesce(s.totp_pending, ''),
	s.ip, s.user_agent, s.created_at, s.last_seen_at, s.expires_at`

func scanSession(row interface{ Scan(...any) error }, extra ...any) (Session, error) {
	var s Session
	dst := append([]any{&s.Hash, &s.UserID, &s.Stage, &s.Method, &s.CSRF, &s.TOTPPending,
		&s.IP, &s.UserAgent, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt}, extra...)
	err := row.Scan(dst...)
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return s, err
}

// startSession opens a session for u in tx and returns its token.
func (s *Service) startSession(ctx context.Context, tx *sql.Tx, u User, method Method, client Client) (Login, error) {
	now := s.now()
	token := newToken()
	stage := s.stageAfter(u, method)
	ua := client.UserAgent
	if len(ua) > 300 {
		ua = ua[:300]
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, stage, method, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
		hashToken(token), u.ID, stage, method, newToken(), client.IP, ua, now, now.Add(s.sessions.Absolute))
	if err != nil {
		return Login{}, fmt.Errorf("start session: %w", err)
	}
	if stage == StageFull {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET last_login_at = $1 WHERE id = $2", now, u.ID); err != nil {
			return Login{}, err
		}
	}
	return Login{Token: token, Stage: stage, User: u}, nil
}

// stageAfter is the stage of a new session: coordinators and admins owe a
// second factor after a password or a link (not after OpenID Connect, whose
// provider is in charge of it), unless waived for a demo account.
func (s *Service) stageAfter(u User, method Method) Stage {
	if method == ByOIDC || !u.Role.NeedsMFA() || u.MFAWaived {
		return StageFull
	}
	if u.TOTPEnabled {
		return StageMFA
	}
	return StageEnrol
}

// ErrNoSession is a cookie that names no live session: unknown, tampered,
// expired, or of a user who may no longer log in.
var ErrNoSession = errors.New("session absente ou expirée")

// LoadSession returns the live session whose cookie token is token, with its
// user, and records the activity (at most once a minute). Expired sessions
// are deleted on sight.
func (s *Service) LoadSession(ctx context.Context, token string) (Session, User, error) {
	if token == "" || len(token) > 100 {
		return Session{}, User{}, ErrNoSession
	}
	now := s.now()
	var u User
	var last sql.NullTime
	row := s.db.QueryRowContext(ctx, "SELECT "+sessionColumns+`,
		u.id, u.email, u.name, u.role, coalesce(u.organisation_id, 0), u.status, u.password_hash IS NOT NULL,
		u.totp_enabled_at IS NOT NULL, u.mfa_waived, u.created_at, u.last_login_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hashToken(token))
	sess, err := scanSession(row, &u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID, &u.Status, &u.HasPassword,
		&u.TOTPEnabled, &u.MFAWaived, &u.CreatedAt, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, ErrNoSession
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("load session: %w", err)
	}
	if last.Valid {
		t := last.Time.UTC()
		u.LastLoginAt = &t
	}
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(s.sessions.Idle)) || u.Status != Active {
		_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", sess.Hash)
		return Session{}, User{}, errors.Join(ErrNoSession, err)
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if _, err := s.db.ExecContext(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", now, sess.Hash); err != nil {
			return Session{}, User{}, fmt.Errorf("touch session: %w", err)
		}
		sess.LastSeenAt = now
	}
	return sess, u, nil
}

// Sessions lists a user's live sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, userID int64) ([]Session, error) {
	now := s.now()
	rows, err := s.db.QueryContext(ctx, "SELECT "+sessionColumns+` FROM sessions s
		WHERE s.user_id = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 ORDER BY s.last_seen_at DESC`,
		userID, now, now.Add(-s.sessions.Idle))
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sess)
	}
	return out, rows.Err()
}

// Logout ends the session with hash.
func (s *Service) Logout(ctx context.Context, sess Session, client Client) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = $1", sess.Hash); err != nil {
			return err
		}
		return record(ctx, tx, client.actor(sess.UserID), "account.logout", sess.UserID, nil)
	})
}

// LogoutEverywhere ends every session of the user, this one included.
func (s *Service) LogoutEverywhere(ctx context.Context, userID int64, client Client) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := endSessions(ctx, tx, userID, "")
		if err != nil {
			return err
		}
		return record(ctx, tx, client.actor(userID), "account.logout_everywhere", userID, map[string]any{"sessions": n})
	})
}

// endSessions deletes the user's sessions but the one with hash except.
func endSessions(ctx context.Context, tx *sql.Tx, userID int64, except string) (int64, error) {
	res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", userID, except)
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	return res.RowsAffected()
}

// renew replaces the session with a new token (and a new CSRF token) at a
// new stage: a session's token changes whenever its privileges do, so a
// token seen before cannot ride on them (session fixation).
func (s *Service) renew(ctx context.Context, tx *sql.Tx, sess Session, stage Stage) (string, error) {
	token := newToken()
	now := s.now()
	res, err := tx.ExecContext(ctx, `UPDATE sessions SET token_hash = $1, csrf_token = $2, stage = $3, totp_pending = NULL, last_seen_at = $4
		WHERE token_hash = $5`, hashToken(token), newToken(), stage, now, sess.Hash)
	if err != nil {
		return "", fmt.Errorf("renew session: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return "", ErrNoSession
	}
	if stage == StageFull {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET last_login_at = $1 WHERE id = $2", now, sess.UserID); err != nil {
			return "", err
		}
	}
	return token, nil
}

// PurgeSessions deletes expired sessions, for a periodic cleanup.
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.now()
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2", now, now.Add(-s.sessions.Idle))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
