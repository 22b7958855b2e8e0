// Package press holds the federation's press mentions: an article of a
// national, regional or trade outlet (its day, title, address and topic)
// with the member agencies and the experts it cites, typed in or imported
// from a CSV file; and the figures the activity report and the press page
// share — mentions by scope and by outlet over a period.
//
// An article is one (outlet, day, title): importing a file twice updates
// the articles instead of counting them twice.
package press

import (
	"strconv"
	"time"

	"vivier/internal/date"
	"vivier/internal/store"
)

// Scope is the reach of an outlet.
type Scope string

// The scopes of the report.
const (
	National Scope = "national"
	Regional Scope = "regional"
	Trade    Scope = "trade" // the trade press: local authorities, economic development
)

// Scopes lists the scopes in display order.
func Scopes() []Scope { return []Scope{National, Regional, Trade} }

// Label is the scope in French.
func (s Scope) Label() string {
	switch s {
	case National:
		return "presse nationale"
	case Regional:
		return "presse régionale"
	case Trade:
		return "presse spécialisée"
	}
	return string(s)
}

func (s Scope) valid() bool { return s == National || s == Regional || s == Trade }

// Input is what staff type for a mention.
type Input struct {
	Outlet      string    `json:"outlet"`
	Scope       Scope     `json:"scope"`
	PublishedOn date.Date `json:"published_on"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	Topic       string    `json:"topic"`
	Agencies    []int64   `json:"agencies"` // organisations of kind agence cited
	Experts     []int64   `json:"experts"`  // experts cited
}

// Cited is an agency or an expert an article cites.
type Cited struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Mention is a stored press mention.
type Mention struct {
	ID          int64     `json:"id"`
	Outlet      string    `json:"outlet"`
	Scope       Scope     `json:"scope"`
	PublishedOn date.Date `json:"published_on"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	Topic       string    `json:"topic"`
	Agencies    []Cited   `json:"agencies"`
	Experts     []Cited   `json:"experts"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func subject(id int64) string { return "press_mention:" + strconv.FormatInt(id, 10) }

// Service reads and writes press mentions.
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
