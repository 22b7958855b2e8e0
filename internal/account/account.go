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

	"vivier/internal/valid"
)

// Role is what a user is in the federation's work; it decides which routes
// they may use (see web.Policy).
type Role string

// The roles of PRODUCT.md, plus admin, who may do all a coordinator can.
const (
	Admin       Role = "admin"
	Coordinator Role = "coordinator"
	Expert      Role = "expert"
	Requester   Role = "requester"
	Member      Role = "member"
)

// Roles lists every role, most powerful first.
var Roles = []Role{Admin, Coordinator, Expert, Requester, Member}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the role's French name.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "administrateur"
	case Coordinator:
		return "coordinateur"
	case Expert:
		return "expert"
	case Requester:
		return "demandeur"
	case Member:
		return "membre"
	}
	return string(r)
}

// NeedsMFA reports whether the role must use a second factor when it logs in
// with a password or a link: coordinators and admins see everyone's data.
func (r Role) NeedsMFA() bool { return r == Admin || r == Coordinator }

// Staff reports whether the role is federation staff (coordinator or admin),
// who see and edit every record.
func (r Role) Staff() bool { return r == Admin || r == Coordinator }

// OrganisationKinds lists the organisation kinds a role must belong to; nil
// means the role needs no organisation.
func (r Role) OrganisationKinds() []string {
	switch r {
	case Requester:
		return []string{"commune", "epci", "agence"}
	case Member:
		return []string{"agence"}
	}
	return nil
}

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
	Role           Role
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
	ErrBadCredentials = errors.New("adresse e-mail ou mot de passe incorrect")
	// ErrThrottled says too many failures: wait before trying again.
	ErrThrottled = errors.New("trop de tentatives")
	// ErrLinkInvalid is an unknown, expired or already used link.
	ErrLinkInvalid = errors.New("ce lien n'est plus valable")
	// ErrBadCode is a wrong TOTP or recovery code.
	ErrBadCode = errors.New("code incorrect")
	// ErrForbidden is an operation the actor may not do.
	ErrForbidden = errors.New("opération non autorisée")
)

// fieldErr is a validation failure of one form or API field, with a
// French message for the user.
func fieldErr(field, msg string) error { return valid.Errors{{Field: field, Message: msg}} }
