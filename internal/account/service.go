package account

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/mail"
	"vivier/internal/store"
)

// Service runs the account operations that span several tables: logins,
// links sent by email, second factor, changes of password and status,
// export and erasure. Each operation is one transaction, audit entry
// included.
type Service struct {
	db       *store.DB
	baseURL  string
	argon2   Argon2Params
	throttle Throttle
	sessions SessionConfig
	links    LinkConfig
	personal []PersonalData
	clock    func() time.Time

	dummyOnce sync.Once
	dummy     string // see dummyHash

	signing signer // the anonymous CSRF tokens' key, read once
}

// Options are what the service needs; zero settings take their defaults.
type Options struct {
	DB      *store.DB
	BaseURL string // public URL of the site, for the links in emails
	// Personal are the other packages holding data about a person (expert
	// profile, proposals…): export and erasure go through each of them.
	Personal []PersonalData
	Argon2   Argon2Params  // DefaultArgon2 when zero (tests pass cheaper ones)
	Throttle Throttle      // DefaultThrottle's for each setting left zero
	Sessions SessionConfig // DefaultSessions when zero
	Links    LinkConfig    // DefaultLinks when zero
	Now      func() time.Time
}

// LinkConfig sets how long emailed links stay valid.
type LinkConfig struct {
	MagicLink  time.Duration // 15 minutes: one-time login link
	Reset      time.Duration // 1 hour: password reset
	Invitation time.Duration // 7 days: first password
}

// DefaultLinks are the validity periods of emailed links.
var DefaultLinks = LinkConfig{MagicLink: 15 * time.Minute, Reset: time.Hour, Invitation: 7 * 24 * time.Hour}

// New returns the service.
func New(o Options) *Service {
	s := &Service{db: o.DB, baseURL: strings.TrimRight(o.BaseURL, "/"), argon2: o.Argon2, throttle: o.Throttle,
		sessions: o.Sessions, links: o.Links, personal: o.Personal, clock: o.Now}
	if s.argon2 == (Argon2Params{}) {
		s.argon2 = DefaultArgon2
	}
	s.throttle = s.throttle.withDefaults()
	if s.sessions == (SessionConfig{}) {
		s.sessions = DefaultSessions
	}
	if s.links == (LinkConfig{}) {
		s.links = DefaultLinks
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	return s
}

func (s *Service) now() time.Time { return s.clock().UTC() }

// Client is who is on the other end of a request: the address (as the
// audit log records it) and the browser.
type Client struct {
	IP        string
	UserAgent string
}

func (c Client) actor(userID int64) access.Actor { return access.Actor{UserID: userID, IP: c.IP} }

// record writes an audit entry, for helpers inside a transaction.
func record(ctx context.Context, tx *sql.Tx, actor access.Actor, action string, subject int64, details map[string]any) error {
	return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: action, SubjectUserID: subject, Details: details})
}

// Record writes one audit entry on its own, for events that change nothing
// else (a refused link, a forged form). An anonymous visitor's event is
// aggregated per action, address and minute (audit.RecordAnonymous), so
// that nobody can grow the undeletable log without bound.
func (s *Service) Record(ctx context.Context, actor access.Actor, action string, subject int64, details map[string]any) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if actor.UserID == 0 && !actor.IsSystem() {
			return audit.RecordAnonymous(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: action, SubjectUserID: subject, Details: details})
		}
		return record(ctx, tx, actor, action, subject, details)
	})
}

// sendLink emails a link of purpose to u inside tx, from the French template
// of that purpose.
func (s *Service) sendLink(ctx context.Context, tx *sql.Tx, u User, purpose linkPurpose, token string, expires time.Time, invitedBy string) error {
	url := s.baseURL + purpose.path() + token
	var data any = mail.LinkData{Name: u.Name, URL: url, Expires: expires}
	if purpose == purposeInvitation {
		data = mail.InvitationData{Name: u.Name, InvitedBy: invitedBy, Role: u.Role.Label(), URL: url, Expires: expires}
	}
	msg, err := mail.Compose(u.Email, "account-link:"+hashToken(token), purpose.template(), data)
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, msg)
}
