package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"vivier/internal/access"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The second factor is TOTP (RFC 6238: 6 digits, 30 s, SHA-1, as every
// authenticator app reads it), with ten single-use recovery codes for a
// lost phone. A code is accepted once: the last accepted time step is kept
// and a code of that step or an earlier one is refused, so a code seen over
// a shoulder cannot be replayed within its 90 seconds of validity.

const (
	totpPeriod    = 30
	totpSkew      = 1 // steps accepted either side of now: clocks drift
	recoveryCodes = 10
	issuerName    = "Vivier"
)

// Enrolment is a TOTP secret being set up: shown as a QR code and as text.
type Enrolment struct {
	Secret string // base32, for typing by hand
	URL    string // otpauth:// URL, for the QR code
}

// BeginEnrolment creates a new TOTP secret for the session's user and keeps
// it on the session until ConfirmEnrolment proves the app holds it. Calling
// it again before confirming returns the same secret.
func (s *Service) BeginEnrolment(ctx context.Context, sess Session, u User) (Enrolment, error) {
	if sess.TOTPPending != "" {
		return enrolmentOf(sess.TOTPPending, u.Email), nil
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuerName, AccountName: u.Email, Period: totpPeriod})
	if err != nil {
		return Enrolment{}, fmt.Errorf("new TOTP secret: %w", err)
	}
	_, err = s.db.ExecContext(ctx, "UPDATE sessions SET totp_pending = $1 WHERE token_hash = $2", key.Secret(), sess.Hash)
	if err != nil {
		return Enrolment{}, err
	}
	return enrolmentOf(key.Secret(), u.Email), nil
}

func enrolmentOf(secret, email string) Enrolment {
	key, _ := otp.NewKeyFromURL(fmt.Sprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&period=%d",
		issuerName, email, secret, issuerName, totpPeriod))
	return Enrolment{Secret: secret, URL: key.URL()}
}

// ConfirmEnrolment checks a code of the pending secret, makes it the
// account's second factor, and returns the new session token and the
// recovery codes (shown once).
func (s *Service) ConfirmEnrolment(ctx context.Context, sess Session, code string, client Client) (token string, codes []string, err error) {
	if sess.TOTPPending == "" {
		return "", nil, ErrBadCode
	}
	step, ok := matchTOTP(sess.TOTPPending, code, s.now(), 0)
	if !ok {
		return "", nil, ErrBadCode
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3, updated_at = $2
			WHERE id = $4`, sess.TOTPPending, now, step, sess.UserID); err != nil {
			return err
		}
		if codes, err = s.newRecoveryCodes(ctx, tx, sess.UserID); err != nil {
			return err
		}
		if token, err = s.renew(ctx, tx, sess, StageFull); err != nil {
			return err
		}
		return record(ctx, tx, client.actor(sess.UserID), "account.mfa_enabled", sess.UserID, nil)
	})
	return token, codes, err
}

// VerifySecondFactor checks a TOTP code or a recovery code for a session
// that owes one, and returns the renewed, fully signed-in session token.
// Failures count against the account's second factor, apart from failed
// passwords: strangers typing wrong passwords never block a correct code.
func (s *Service) VerifySecondFactor(ctx context.Context, sess Session, code string, client Client) (string, error) {
	if sess.Stage != StageMFA {
		return "", ErrBadCode
	}
	u, err := Get(ctx, s.db, sess.UserID)
	if err != nil {
		return "", err
	}
	now := s.now()
	if err := s.throttle.CheckFactor(ctx, s.db, u.ID, now); err != nil {
		return "", err
	}
	var token string
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		method, err := s.checkSecondFactor(ctx, tx, u.ID, code)
		if err != nil {
			return err
		}
		if err := s.throttle.SucceedFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		if token, err = s.renew(ctx, tx, sess, StageFull); err != nil {
			return err
		}
		return record(ctx, tx, client.actor(u.ID), "account.mfa_verified", u.ID, map[string]any{"with": method})
	})
	if errors.Is(err, ErrBadCode) {
		ferr := s.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := s.throttle.FailFactor(ctx, tx, u.ID, now); err != nil {
				return err
			}
			return record(ctx, tx, client.actor(u.ID), "account.mfa_failed", u.ID, nil)
		})
		return "", errors.Join(err, ferr)
	}
	return token, err
}

// checkSecondFactor accepts a TOTP code newer than the last one used, or an
// unused recovery code, and uses it up. It returns "totp" or "recovery".
func (s *Service) checkSecondFactor(ctx context.Context, tx *sql.Tx, userID int64, code string) (string, error) {
	var secret sql.NullString
	var last int64
	if err := tx.QueryRowContext(ctx, "SELECT totp_secret, totp_last_step FROM users WHERE id = $1", userID).Scan(&secret, &last); err != nil {
		return "", err
	}
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if secret.Valid {
		if step, ok := matchTOTP(secret.String, code, s.now(), last); ok {
			_, err := tx.ExecContext(ctx, "UPDATE users SET totp_last_step = $1 WHERE id = $2", step, userID)
			return "totp", err
		}
	}
	res, err := tx.ExecContext(ctx, "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
		s.now(), userID, hashToken(normaliseRecovery(code)))
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return "recovery", nil
	}
	return "", ErrBadCode
}

// matchTOTP returns the time step whose code equals code, within the skew
// and after the step last, if any.
func matchTOTP(secret, code string, now time.Time, last int64) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	step := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		st := step + d
		if st <= last {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(st*totpPeriod, 0), opts)
		if err == nil && sameSecret(want, code) {
			return st, true
		}
	}
	return 0, false
}

// newRecoveryCodes replaces the user's recovery codes with new ones and
// returns them in clear, grouped for reading ("k7m2-q9xd").
func (s *Service) newRecoveryCodes(ctx context.Context, tx *sql.Tx, userID int64) ([]string, error) {
	if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID); err != nil {
		return nil, err
	}
	codes := make([]string, recoveryCodes)
	for i := range codes {
		raw := strings.ToLower(newToken()[:8])
		codes[i] = raw[:4] + "-" + raw[4:]
		if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
			userID, hashToken(normaliseRecovery(codes[i]))); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

func normaliseRecovery(code string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(code))
}

// ResetSecondFactor removes a user's second factor (lost phone): at their
// next login they enrol again. Only an administrator may do it, never on
// their own account.
func (s *Service) ResetSecondFactor(ctx context.Context, userID int64, actor access.Actor) error {
	if !actor.Admin() || actor.UserID == userID {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, updated_at = $1 WHERE id = $2`,
			s.now(), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %d: %w", userID, errNotFound)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = $1", userID); err != nil {
			return err
		}
		if _, err := endSessions(ctx, tx, userID, ""); err != nil {
			return err
		}
		return record(ctx, tx, actor, "account.mfa_reset", userID, nil)
	})
}
