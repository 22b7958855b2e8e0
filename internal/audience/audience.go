// Package audience holds the federation's audiences: its social and web
// accounts (its professional network page, its forum's page, its video
// channel, its website), each counting followers or visitors, and their
// counts at dates — typed in or imported from a CSV file. Growth over any
// period is computed from the counts nearest to its first and last days,
// and says which counts it used (Growth).
package audience

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Kind is what an account is.
type Kind string

// The kinds of account.
const (
	ProfessionalNetwork Kind = "professional_network" // the federation's page on a professional network
	Forum               Kind = "forum"                // the page of its yearly forum
	Video               Kind = "video"                // its video channel
	Website             Kind = "website"
	Other               Kind = "other"
)

// Kinds lists the kinds in display order.
func Kinds() []Kind { return []Kind{ProfessionalNetwork, Forum, Video, Website, Other} }

// Label is the kind in French.
func (k Kind) Label() string {
	switch k {
	case ProfessionalNetwork:
		return "page sur un réseau professionnel"
	case Forum:
		return "page du forum"
	case Video:
		return "chaîne vidéo"
	case Website:
		return "site web"
	case Other:
		return "autre"
	}
	return string(k)
}

func (k Kind) valid() bool { return slices.Contains(Kinds(), k) }

// Metric is what an account's counts count.
type Metric string

// The metrics.
const (
	Followers Metric = "followers" // people following the account, at the date
	Visitors  Metric = "visitors"  // visitors over the month ending at the date
)

// Label is the metric in French.
func (m Metric) Label() string {
	switch m {
	case Followers:
		return "abonnés"
	case Visitors:
		return "visiteurs"
	}
	return string(m)
}

// AccountInput is what staff type for an account.
type AccountInput struct {
	Slug   string `json:"slug"` // « linkedin »: lower case letters, digits and hyphens
	Name   string `json:"name"`
	Kind   Kind   `json:"kind"`
	Metric Metric `json:"metric"`
	URL    string `json:"url"`
}

// Account is a stored account with its latest count.
type Account struct {
	ID     int64  `json:"id"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Kind   Kind   `json:"kind"`
	Metric Metric `json:"metric"`
	URL    string `json:"url"`
	Last   *Count `json:"last"` // nil before the first count
}

// Count is the value of an account's metric on a day.
type Count struct {
	Day   date.Date `json:"day"`
	Value int       `json:"value"`
}

// MaxValue bounds a count.
const MaxValue = 1_000_000_000

// Service reads and writes accounts and counts.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Now func() time.Time // nil means time.Now
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: o.DB, now: func() time.Time { return now().UTC() }}
}

func (s *Service) today() date.Date { return date.Of(s.now().In(date.Paris())) }

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

func (in AccountInput) normalise() (AccountInput, valid.Errors) {
	var errs valid.Errors
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	in.Name = strings.TrimSpace(in.Name)
	in.URL = strings.TrimSpace(in.URL)
	if !slugPattern.MatchString(in.Slug) {
		errs.Add("slug", "un identifiant court : lettres minuscules, chiffres et tirets (« linkedin »)")
	}
	if errs.Text("name", in.Name, 200, false) && in.Name == "" {
		errs.Add("name", "indiquez le nom du compte")
	}
	if !in.Kind.valid() {
		errs.Add("kind", "choisissez le type de compte")
	}
	if in.Metric != Followers && in.Metric != Visitors {
		errs.Add("metric", "choisissez ce qui est compté : followers (abonnés) ou visitors (visiteurs)")
	}
	errs.WebAddress("url", in.URL)
	return in, errs
}

// CreateAccount stores an account; staff only.
func (s *Service) CreateAccount(ctx context.Context, in AccountInput, actor access.Actor) (Account, error) {
	if err := staffOnly(actor); err != nil {
		return Account{}, err
	}
	in, errs := in.normalise()
	if err := errs.Err(); err != nil {
		return Account{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO audience_accounts (slug, name, kind, metric, url, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, in.Slug, in.Name, string(in.Kind), string(in.Metric), in.URL, now).Scan(&id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "audience.account_create", Subject: subject(id)})
	})
	if store.IsUniqueViolation(err) {
		return Account{}, valid.Errors{{Field: "slug", Message: fmt.Sprintf("un compte a déjà l’identifiant %q", in.Slug)}}
	}
	if err != nil {
		return Account{}, err
	}
	return s.Account(ctx, id, actor)
}

func subject(id int64) string { return "audience_account:" + strconv.FormatInt(id, 10) }

// Account returns account id with its latest count; staff only.
func (s *Service) Account(ctx context.Context, id int64, actor access.Actor) (Account, error) {
	if err := staffRecord(id, actor); err != nil {
		return Account{}, err
	}
	list, err := s.accounts(ctx, "a.id = $1", id)
	if err != nil {
		return Account{}, err
	}
	if len(list) == 0 {
		return Account{}, store.NotFound("audience account %d", id)
	}
	return list[0], nil
}

// Accounts returns every account by name, each with its latest count;
// staff only.
func (s *Service) Accounts(ctx context.Context, actor access.Actor) ([]Account, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	return s.accounts(ctx, "1 = 1")
}

func (s *Service) accounts(ctx context.Context, where string, args ...any) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.slug, a.name, a.kind, a.metric, a.url,
		(SELECT max(c.counted_on) FROM audience_counts c WHERE c.account_id = a.id)
		FROM audience_accounts a WHERE `+where+` ORDER BY a.name, a.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []Account
	var lasts []*date.Date
	for rows.Next() {
		var a Account
		var last sql.NullString
		if err := rows.Scan(&a.ID, &a.Slug, &a.Name, &a.Kind, &a.Metric, &a.URL, &last); err != nil {
			rows.Close()
			return nil, err
		}
		var d *date.Date
		if last.Valid {
			// An aggregate loses the column's type on SQLite: read the
			// day's text on both engines.
			day, err := date.Parse(last.String[:min(10, len(last.String))])
			if err != nil {
				rows.Close()
				return nil, err
			}
			d = &day
		}
		out = append(out, a)
		lasts = append(lasts, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if lasts[i] == nil {
			continue
		}
		c := Count{Day: *lasts[i]}
		if err := s.db.QueryRowContext(ctx, `SELECT value FROM audience_counts WHERE account_id = $1 AND counted_on = $2`, out[i].ID, c.Day).
			Scan(&c.Value); err != nil {
			return nil, err
		}
		out[i].Last = &c
	}
	return out, nil
}

// Counts returns the counts of account id, oldest first; staff only.
func (s *Service) Counts(ctx context.Context, id int64, actor access.Actor) ([]Count, error) {
	if _, err := s.Account(ctx, id, actor); err != nil {
		return nil, err
	}
	return counts(ctx, s.db, id)
}

func counts(ctx context.Context, q store.Querier, id int64) ([]Count, error) {
	rows, err := q.QueryContext(ctx, `SELECT counted_on, value FROM audience_counts WHERE account_id = $1 ORDER BY counted_on`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Count{}
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Day, &c.Value); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// checkCount records what is wrong with a count.
func (s *Service) checkCount(errs *valid.Errors, c Count) {
	switch {
	case c.Day.IsZero():
		errs.Add("day", "indiquez la date du relevé")
	case c.Day.Year < 2000 || c.Day.After(s.today()):
		errs.Add("day", "la date du relevé doit être comprise entre 2000 et aujourd’hui")
	}
	if c.Value < 0 || c.Value > MaxValue {
		errs.Add("value", "le nombre doit être compris entre 0 et 1 000 000 000")
	}
}

// SetCount records the count of account id on a day, replacing the one of
// that day; staff only. The same value again writes nothing.
func (s *Service) SetCount(ctx context.Context, id int64, c Count, actor access.Actor) error {
	if _, err := s.Account(ctx, id, actor); err != nil {
		return err
	}
	var errs valid.Errors
	s.checkCount(&errs, c)
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		changed, err := upsert(ctx, tx, id, c, s.now())
		if err != nil || !changed {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "audience.count", Subject: subject(id),
			Details: map[string]any{"day": c.Day.String()}})
	})
}

// upsert writes c for account id; changed is false when it was there.
func upsert(ctx context.Context, tx *sql.Tx, id int64, c Count, now time.Time) (changed bool, err error) {
	var old int
	err = tx.QueryRowContext(ctx, `SELECT value FROM audience_counts WHERE account_id = $1 AND counted_on = $2`, id, c.Day).Scan(&old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO audience_counts (account_id, counted_on, value, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			id, c.Day, c.Value, now)
		return err == nil, err
	case err != nil:
		return false, err
	case old == c.Value:
		return false, nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE audience_counts SET value = $1, updated_at = $2 WHERE account_id = $3 AND counted_on = $4`, c.Value, now, id, c.Day)
	return err == nil, err
}
