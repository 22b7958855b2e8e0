// Package network holds the federation's network around the expert pool:
// its members (agencies, and the collectivités that join) with their
// directory entry, territory, staff and referents; their yearly memberships
// and fees, computed from each year's fee schedule, called for by a renewal
// campaign (emails and a PDF « appel de cotisation »), reminded, paid,
// lapsed; the associated members (partners) with their yearly agreements and
// the counterparts promised; and the engagement of each member over a
// period, from the activity sources of the other packages.
//
// Every write is one transaction that also writes the audit log and the
// emails it causes (outbox). Who may do what is decided here (access.go),
// for the pages, the API and the command line alike.
package network

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Service reads and writes the network's records.
type Service struct {
	db       *store.DB
	geo      *geo.Reference
	accounts *account.Service
	baseURL  string
	sources  []EngagementSource
	now      func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Geo *geo.Reference
	// Accounts invites the staff of members (role member) inside the
	// network's own transactions.
	Accounts *account.Service
	// BaseURL is the public address of the site, for the links of emails.
	BaseURL string
	// Sources count what the staff of each organisation did (events,
	// trainings, newsletters, hearings…), for the engagement figures; the
	// pool's own activity (experts, needs, missions) is always counted.
	Sources []EngagementSource
	// Now is the clock; nil means time.Now (tests of the grace period
	// move it).
	Now func() time.Time
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: o.DB, geo: o.Geo, accounts: o.Accounts, baseURL: strings.TrimRight(o.BaseURL, "/"),
		sources: append([]EngagementSource{poolSource{db: o.DB}}, o.Sources...),
		now:     func() time.Time { return now().UTC() }}
}

// today is the current day in Paris.
func (s *Service) today() date.Date { return date.Of(s.now().In(date.Paris())) }

// Settings are the network's settings an administrator changes.
type Settings struct {
	// GraceDays is how many days into a new year last year's members keep
	// their member-only access while this year's fee is unpaid.
	GraceDays int `json:"grace_days"`
	// TermDays is the payment term of a call for fees: one reminder goes
	// out when it is over, and the membership lapses when twice the term
	// has passed (and the grace period too).
	TermDays int `json:"term_days"`
}

// DefaultSettings are the settings until an administrator changes them.
var DefaultSettings = Settings{GraceDays: 90, TermDays: 30}

// settingsKey is the key of Settings in the settings table.
const settingsKey = "network.settings"

// Settings returns the current settings; anyone may read them (the grace
// period is said to members who lost their access).
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	return loadSettings(ctx, s.db)
}

func loadSettings(ctx context.Context, q store.Querier) (Settings, error) {
	raw, ok, err := store.Setting(ctx, q, settingsKey)
	if err != nil || !ok {
		return DefaultSettings, err
	}
	st := DefaultSettings
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		return DefaultSettings, fmt.Errorf("network settings: %w", err)
	}
	return st, nil
}

// SaveSettings changes the settings; administrators only. The grace period
// is 0 to 365 days, the payment term 7 to 180 days.
func (s *Service) SaveSettings(ctx context.Context, st Settings, actor access.Actor) error {
	if !actor.Admin() {
		return access.Deny("seul un administrateur règle le délai de grâce et les relances")
	}
	if err := st.Validate(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		if old == st {
			return nil
		}
		raw, _ := json.Marshal(st)
		if err := store.PutSetting(ctx, tx, settingsKey, string(raw), s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.settings", Subject: "network",
			Details: map[string]any{"grace_days": st.GraceDays, "term_days": st.TermDays}})
	})
}

// Validate checks the settings: a grace period of 0 to 365 days, a
// payment term of 7 to 180 days.
func (st Settings) Validate() error {
	var errs valid.Errors
	if st.GraceDays < 0 || st.GraceDays > 365 {
		errs.Add("grace_days", "le délai de grâce compte de 0 à 365 jours")
	}
	if st.TermDays < 7 || st.TermDays > 180 {
		errs.Add("term_days", "le délai de paiement compte de 7 à 180 jours")
	}
	return errs.Err()
}

// GraceEnd is the last day of year's grace period: last year's members keep
// their access until then.
func (st Settings) GraceEnd(year int) date.Date {
	return date.Date{Year: year, Month: time.January, Day: 1}.AddDays(st.GraceDays - 1)
}

// one reads the single row of a query, turning « no row » into « not found ».
func one(err error, what string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.NotFound(what, args...)
	}
	return err
}

// nullID is NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// subject is how the audit log names a record of the network.
func subject(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }

// fieldError is a validation error on one field.
func fieldError(field, format string, args ...any) error {
	return valid.FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}
