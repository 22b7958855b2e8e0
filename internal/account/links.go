package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// linkPurpose is what a link sent by email is for.
type linkPurpose string

const (
	purposeInvitation linkPurpose = "invitation"
	purposeMagicLink  linkPurpose = "magic_link"
	purposeReset      linkPurpose = "reset"
)

// path is the page the link opens, before its token; the web layer serves
// these paths.
func (p linkPurpose) path() string {
	switch p {
	case purposeInvitation:
		return "/invitation/"
	case purposeMagicLink:
		return "/connexion/lien/"
	}
	return "/mot-de-passe/nouveau/"
}

func (p linkPurpose) template() string {
	switch p {
	case purposeInvitation:
		return "invitation"
	case purposeMagicLink:
		return "magic_link"
	}
	return "password_reset"
}

func (s *Service) validity(p linkPurpose) time.Duration {
	switch p {
	case purposeInvitation:
		return s.links.Invitation
	case purposeMagicLink:
		return s.links.MagicLink
	}
	return s.links.Reset
}

// maxLinksPerWindow bounds the links one account is sent per throttle
// window, so that the forms cannot be used to flood someone's mailbox.
const maxLinksPerWindow = 5

// newLink stores a single-use link for u and emails it, inside tx.
func (s *Service) newLink(ctx context.Context, tx *sql.Tx, u User, p linkPurpose, invitedBy string) error {
	now := s.now()
	var recent int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM login_links WHERE user_id = $1 AND created_at > $2",
		u.ID, now.Add(-s.throttle.Window)).Scan(&recent)
	if err != nil {
		return fmt.Errorf("count links: %w", err)
	}
	if recent >= maxLinksPerWindow && p != purposeInvitation {
		return nil // silently: the answer must not differ from an unknown address
	}
	// A new link replaces the previous one of its kind: only the newest
	// email works.
	if _, err := tx.ExecContext(ctx, "UPDATE login_links SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
		now, u.ID, string(p)); err != nil {
		return fmt.Errorf("replace links: %w", err)
	}
	token := newToken()
	expires := now.Add(s.validity(p))
	_, err = tx.ExecContext(ctx, `INSERT INTO login_links (token_hash, purpose, user_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hashToken(token), string(p), u.ID, now, expires)
	if err != nil {
		return fmt.Errorf("store link: %w", err)
	}
	return s.sendLink(ctx, tx, u, p, token, expires, invitedBy)
}

// takeLink consumes the live link of purpose with token, returning its
// user. A second use, an expired link or a link of another purpose is
// ErrLinkInvalid. The UPDATE … WHERE used_at IS NULL makes a double click
// or a replay lose the race cleanly.
func (s *Service) takeLink(ctx context.Context, tx *sql.Tx, token string, p linkPurpose) (User, error) {
	if token == "" || len(token) > 100 {
		return User{}, ErrLinkInvalid
	}
	now := s.now()
	var userID int64
	err := tx.QueryRowContext(ctx, `UPDATE login_links SET used_at = $1
		WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
		RETURNING user_id`, now, hashToken(token), string(p)).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrLinkInvalid
	}
	if err != nil {
		return User{}, fmt.Errorf("use link: %w", err)
	}
	return Get(ctx, tx, userID)
}

// PeekLink returns the user a live link of the given purpose belongs to,
// without using it: the page behind the link greets the person before they
// choose a password. purpose is "invitation" or "reset".
func (s *Service) PeekLink(ctx context.Context, token, purpose string) (User, error) {
	if token == "" || len(token) > 100 {
		return User{}, ErrLinkInvalid
	}
	var userID int64
	err := s.db.QueryRowContext(ctx, `SELECT user_id FROM login_links
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
		hashToken(token), purpose, s.now()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrLinkInvalid
	}
	if err != nil {
		return User{}, err
	}
	return Get(ctx, s.db, userID)
}

// Invite creates an account for n (status invited) and emails its
// invitation link. Only staff invite.
func (s *Service) Invite(ctx context.Context, n NewUser, actor access.Actor) (User, error) {
	if !actor.Staff() {
		return User{}, ErrForbidden
	}
	if n.Role == access.Admin && !actor.Admin() {
		return User{}, fieldErr("role", "Seul un administrateur peut inviter un administrateur.")
	}
	var u User
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.InviteTx(ctx, tx, n, actor)
		return err
	})
	return u, err
}

// InviteTx creates the invited account n and emails its invitation link
// inside tx, the transaction of another domain's change, which decided
// itself that actor may invite this person (an agency's referent invites
// a colleague: package network). A taken address is a validation error on
// "email", found before the insert so that tx stays usable.
func (s *Service) InviteTx(ctx context.Context, tx *sql.Tx, n NewUser, actor access.Actor) (User, error) {
	if err := n.Validate(ctx, tx); err != nil {
		return User{}, err
	}
	if _, err := ByEmail(ctx, tx, n.Email); err == nil {
		return User{}, fieldErr("email", "Un compte existe déjà avec cette adresse électronique.")
	} else if !errors.Is(err, store.ErrNotFound) {
		return User{}, err
	}
	u, err := create(ctx, tx, n, Invited, s.now())
	if err != nil {
		return User{}, err
	}
	inviter, err := audit.ActorName(ctx, tx, actor, "la fédération")
	if err != nil {
		return User{}, err
	}
	if err := s.newLink(ctx, tx, u, purposeInvitation, inviter); err != nil {
		return User{}, err
	}
	return u, record(ctx, tx, actor, "account.invited", u.ID, map[string]any{"role": string(u.Role)})
}

// ResendInvitation sends a new invitation link to an account not yet
// activated.
func (s *Service) ResendInvitation(ctx context.Context, userID int64, actor access.Actor) error {
	if !actor.Staff() {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := Get(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Status != Invited {
			return fieldErr("status", "Ce compte est déjà activé.")
		}
		inviter, err := audit.ActorName(ctx, tx, actor, "la fédération")
		if err != nil {
			return err
		}
		if err := s.newLink(ctx, tx, u, purposeInvitation, inviter); err != nil {
			return err
		}
		return record(ctx, tx, actor, "account.invitation_resent", u.ID, nil)
	})
}

// AcceptInvitation sets the first password of an invited account, activates
// it and opens a session. The link is used up whether the password is
// accepted or not only when it is accepted: a refused password leaves the
// link usable for another try.
func (s *Service) AcceptInvitation(ctx context.Context, token, password string, client Client) (Login, error) {
	return s.setPasswordByLink(ctx, token, password, purposeInvitation, client)
}

// ResetPassword sets a new password through a reset link, ends every other
// session of the account and opens a new one.
func (s *Service) ResetPassword(ctx context.Context, token, password string, client Client) (Login, error) {
	return s.setPasswordByLink(ctx, token, password, purposeReset, client)
}

func (s *Service) setPasswordByLink(ctx context.Context, token, password string, p linkPurpose, client Client) (Login, error) {
	var login Login
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := s.takeLink(ctx, tx, token, p)
		if err != nil {
			return err
		}
		if u.Status != Active && u.Status != Invited {
			return ErrLinkInvalid
		}
		if err := CheckPassword(password, u.Email, u.Name); err != nil {
			return err // rolls back: the link stays usable
		}
		if err := s.storePassword(ctx, tx, u.ID, password); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET status = 'active', updated_at = $1 WHERE id = $2", s.now(), u.ID); err != nil {
			return err
		}
		u.Status, u.HasPassword = Active, true
		if _, err := endSessions(ctx, tx, u.ID, ""); err != nil {
			return err
		}
		if err := s.endLinks(ctx, tx, u.ID); err != nil {
			return err
		}
		if p == purposeReset {
			// Whoever reset the password may be taking the account back:
			// scripts holding its tokens must not keep its access.
			if _, err := revokeTokens(ctx, tx, u.ID, s.now()); err != nil {
				return err
			}
		}
		method, action := ByReset, "account.password_reset"
		if p == purposeInvitation {
			method, action = ByInvitation, "account.invitation_accepted"
		}
		if err := record(ctx, tx, client.actor(u.ID), action, u.ID, nil); err != nil {
			return err
		}
		login, err = s.startSession(ctx, tx, u, method, client)
		return err
	})
	return login, err
}

// endLinks uses up every outstanding login and reset link of the user:
// after a password change or reset, an email read by someone else no longer
// opens the account.
func (s *Service) endLinks(ctx context.Context, tx *sql.Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE login_links SET used_at = $1
		WHERE user_id = $2 AND used_at IS NULL AND purpose IN ('magic_link', 'reset')`, s.now(), userID)
	if err != nil {
		return fmt.Errorf("end links: %w", err)
	}
	return nil
}

// RequestMagicLink emails a one-time login link to email if it belongs to an
// active account. It answers the same whether or not it does.
func (s *Service) RequestMagicLink(ctx context.Context, email string, client Client) error {
	return s.requestLink(ctx, email, purposeMagicLink, client)
}

// RequestPasswordReset emails a password reset link to email if it belongs
// to an active account. It answers the same whether or not it does.
func (s *Service) RequestPasswordReset(ctx context.Context, email string, client Client) error {
	return s.requestLink(ctx, email, purposeReset, client)
}

func (s *Service) requestLink(ctx context.Context, email string, p linkPurpose, client Client) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := ByEmail(ctx, tx, email)
		if errors.Is(err, store.ErrNotFound) || err == nil && u.Status != Active {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.newLink(ctx, tx, u, p, ""); err != nil {
			return err
		}
		return record(ctx, tx, client.actor(0), "account.link_requested", u.ID, map[string]any{"purpose": string(p)})
	})
}

// LoginWithLink opens a session with a magic link, which is then used up.
func (s *Service) LoginWithLink(ctx context.Context, token string, client Client) (Login, error) {
	var login Login
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := s.takeLink(ctx, tx, token, purposeMagicLink)
		if err != nil {
			return err
		}
		if u.Status != Active {
			return ErrLinkInvalid
		}
		if err := record(ctx, tx, client.actor(u.ID), "account.login", u.ID, map[string]any{"method": string(ByMagicLink)}); err != nil {
			return err
		}
		login, err = s.startSession(ctx, tx, u, ByMagicLink, client)
		return err
	})
	if errors.Is(err, ErrLinkInvalid) {
		_ = s.Record(ctx, client.actor(0), "account.link_refused", 0, map[string]any{"purpose": string(purposeMagicLink)})
	}
	return login, err
}

// Bootstrap creates an invited account without a staff member to invite it
// (the first administrator of a new installation) and returns its
// invitation URL, which the command prints: there may be no email yet.
func (s *Service) Bootstrap(ctx context.Context, n NewUser) (User, string, error) {
	var u User
	var url string
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := n.Validate(ctx, tx); err != nil {
			return err
		}
		var err error
		if u, err = create(ctx, tx, n, Invited, s.now()); err != nil {
			return err
		}
		token := newToken()
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_links (token_hash, purpose, user_id, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, hashToken(token), string(purposeInvitation), u.ID, s.now(), s.now().Add(s.links.Invitation)); err != nil {
			return err
		}
		url = s.baseURL + purposeInvitation.path() + token
		return record(ctx, tx, access.System, "account.invited", u.ID, map[string]any{"role": string(u.Role), "by": "command line"})
	})
	return u, url, err
}
