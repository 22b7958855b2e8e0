// Package account owns Vivier's accounts and their security: users and
// roles, passwords (argon2id, a blocklist of common passwords), login
// throttling shared through the database, single-use links sent by email
// (invitations, magic links, password resets), the TOTP second factor and its
// recovery codes, sessions stored in the database, API tokens, OpenID Connect
// identities, consents, and the GDPR duties on an account (export, erasure).
//
// Secrets given to users (session cookies, links, API tokens, recovery codes)
// are random and stored only as SHA-256 hashes; passwords as argon2id hashes.
// Every change to an account is written to the audit log in the same
// transaction.
package account

import (
	"errors"
	"time"

	"vivier/internal/access"
	"vivier/internal/valid"
)

// Status is where an account stands.
type Status string

// The statuses of an account.
const (
	Invited   Status = "invited"   // invitation sent, no password or login yet
	Active    Status = "active"    // may log in
	Suspended Status = "suspended" // may not log in; sessions ended
	Erased    Status = "erased"    // anonymised on request: nothing left to log in with
)

// Label is the status's French name.
func (s Status) Label() string {
	switch s {
	case Invited:
		return "invité"
	case Active:
		return "actif"
	case Suspended:
		return "suspendu"
	case Erased:
		return "effacé"
	}
	return string(s)
}

// User is an account.
type User struct {
	ID             int64
	Email          string // lower case
	Name           string
	Role           access.Role
	OrganisationID int64 // 0 when the role needs none
	Status         Status
	HasPassword    bool
	TOTPEnabled    bool
	MFAWaived      bool // demo accounts only
	CreatedAt      time.Time
	LastLoginAt    *time.Time
}

// Errors callers can test with errors.Is; the HTTP layer maps them to
// statuses and French messages.
var (
	// ErrBadCredentials is the one answer to a wrong email, a wrong
	// password, or an account that cannot log in: the caller must not learn
	// which.
	ErrBadCredentials = errors.New("adresse électronique ou mot de passe incorrect")
	// ErrThrottled says too many failures: wait before trying again.
	ErrThrottled = errors.New("trop de tentatives")
	// ErrLinkInvalid is an unknown, expired or already used link.
	ErrLinkInvalid = errors.New("ce lien n’est plus valable")
	// ErrBadCode is a wrong TOTP or recovery code.
	ErrBadCode = errors.New("code incorrect")
	// ErrForbidden is an operation the actor may not do.
	ErrForbidden = access.Deny("opération non autorisée")
)

// fieldErr is a validation failure of one form or API field, with a
// French message for the user.
func fieldErr(field, msg string) error { return valid.Errors{{Field: field, Message: msg}} }

// Actor is u acting through via from the address ip, as the services see
// them.
func (u User) Actor(ip string, via access.Method) access.Actor {
	return access.Actor{UserID: u.ID, Role: u.Role, OrganisationID: u.OrganisationID, Via: via, IP: ip}
}
