package account

import (
	"context"
	"database/sql"
	"strings"
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
	DB       *store.DB
	BaseURL  string // public URL of the site, for the links in emails (no trailing slash)
	Argon2   Argon2Params
	Throttle Throttle
	Sessions SessionConfig
	Links    LinkConfig
	// Personal are the other packages holding data about a person (expert
	// profile, proposals…): export and erasure go through each of them.
	Personal []PersonalData
	// Now is the clock (tests move it); nil means time.Now.
	Now func() time.Time
}

// LinkConfig sets how long emailed links stay valid.
type LinkConfig struct {
	MagicLink  time.Duration // 15 minutes: one-time login link
	Reset      time.Duration // 1 hour: password reset
	Invitation time.Duration // 7 days: first password
}

// DefaultLinks are the validity periods of emailed links.
var DefaultLinks = LinkConfig{MagicLink: 15 * time.Minute, Reset: time.Hour, Invitation: 7 * 24 * time.Hour}

// NewService returns a Service with the default settings.
func NewService(db *store.DB, baseURL string) *Service {
	return &Service{
		DB:       db,
		BaseURL:  strings.TrimRight(baseURL, "/"),
		Argon2:   DefaultArgon2,
		Throttle: DefaultThrottle,
		Sessions: DefaultSessions,
		Links:    DefaultLinks,
	}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

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
// else (a refused link, a forged form).
func (s *Service) Record(ctx context.Context, actor access.Actor, action string, subject int64, details map[string]any) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error { return record(ctx, tx, actor, action, subject, details) })
}

// sendLink emails a link of purpose to u inside tx, from the French template
// of that purpose.
func (s *Service) sendLink(ctx context.Context, tx *sql.Tx, u User, purpose linkPurpose, token string, expires time.Time, invitedBy string) error {
	url := s.BaseURL + purpose.path() + token
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
