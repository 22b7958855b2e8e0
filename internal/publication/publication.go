// Package publication holds what the federation publishes: guides, studies,
// notes, interviews and replays of webinars, each a PDF file (checked by its
// content, stored in the database) or a link, with a Markdown summary, a
// day of publication, themes (skill domains), co-authors among member
// agencies and partners (which is how a partner's counterpart « a
// publication » is delivered), and an audience: public, or members only.
//
// The library is searched in French (package search, index
// publication_search). Downloads are counted once per visitor and day,
// automation agents left out, without keeping anything personal beyond the
// day (see Download).
package publication

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"vivier/internal/date"
	"vivier/internal/store"
)

// Kind is what a publication is.
type Kind string

// The kinds of publication.
const (
	Guide     Kind = "guide"
	Study     Kind = "study"
	Note      Kind = "note" // a note or position paper, often handed to an authority
	Interview Kind = "interview"
	Replay    Kind = "replay" // the recording of a webinar
)

// Kinds lists the kinds in display order.
func Kinds() []Kind { return []Kind{Guide, Study, Note, Interview, Replay} }

// Label is the kind in French.
func (k Kind) Label() string {
	switch k {
	case Guide:
		return "guide"
	case Study:
		return "étude"
	case Note:
		return "note"
	case Interview:
		return "entretien"
	case Replay:
		return "replay"
	}
	return string(k)
}

func (k Kind) valid() bool { return slices.Contains(Kinds(), k) }

// Audience says who may read a publication.
type Audience string

// The audiences.
const (
	Public  Audience = "public"
	Members Audience = "members" // staff and the members of the network
)

// Label is the audience in French.
func (a Audience) Label() string {
	switch a {
	case Public:
		return "tout public"
	case Members:
		return "réservé aux adhérents"
	}
	return string(a)
}

func (a Audience) valid() bool { return a == Public || a == Members }

// Author is a co-author of a publication: a member agency or a partner.
type Author struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // agence or partenaire
}

// Input is what staff type to create or change a publication.
type Input struct {
	Title       string    `json:"title"`
	Kind        Kind      `json:"kind"`
	Summary     string    `json:"summary"` // Markdown
	PublishedOn date.Date `json:"published_on"`
	Audience    Audience  `json:"audience"`
	Link        string    `json:"link"`       // http(s) address, for a publication that is not a file
	Themes      []string  `json:"themes"`     // skill domains: attractivite, filieres…
	CoAuthors   []int64   `json:"co_authors"` // organisations: member agencies and partners
}

// Upload is a PDF file sent with an Input; nil leaves the file as it is.
type Upload struct {
	Name    string
	Content []byte
}

// Publication is a stored publication.
type Publication struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Kind        Kind      `json:"kind"`
	Summary     string    `json:"summary"`
	PublishedOn date.Date `json:"published_on"`
	Audience    Audience  `json:"audience"`
	Link        string    `json:"link"`
	Themes      []string  `json:"themes"`
	CoAuthors   []Author  `json:"co_authors"`
	FileName    string    `json:"file_name,omitempty"` // "" when there is no file
	FileSize    int       `json:"file_size,omitempty"`
	Downloads   int       `json:"downloads"` // unique visitors per day, automation agents left out, since publication
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// HasFile reports whether the publication is a file.
func (p Publication) HasFile() bool { return p.FileName != "" }

// Partners are the co-authors that are partners (associated members): the
// organisations whose counterpart « a publication » this one delivers.
func (p Publication) Partners() []Author {
	var out []Author
	for _, a := range p.CoAuthors {
		if a.Kind == "partenaire" {
			out = append(out, a)
		}
	}
	return out
}

// Subject is how the audit log names the publication.
func (p Publication) Subject() string { return subject(p.ID) }

func subject(id int64) string { return "publication:" + strconv.FormatInt(id, 10) }

// Service reads and writes publications.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB *store.DB
	// Now is the clock; nil means time.Now (tests of the days of
	// downloads move it).
	Now func() time.Time
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: o.DB, now: func() time.Time { return now().UTC() }}
}

// today is the calendar day in Paris.
func (s *Service) today() date.Date { return date.Of(s.now().In(date.Paris())) }

// automationMarks are fragments of the user agents of programs, not
// people: crawlers, link previews, monitors, command-line clients and
// headless browsers. Their downloads are not counted.
var automationMarks = []string{"bot", "crawl", "spider", "slurp", "scrap", "curl/", "wget/", "python-", "go-http-client",
	"java/", "okhttp", "libwww", "httpclient", "headless", "phantomjs", "facebookexternalhit", "preview", "monitor",
	"pingdom", "uptime", "lighthouse", "axios/", "node-fetch", "postman", "insomnia", "feedfetcher", "mediapartners",
	"archive.org", "check", "fetch", "validator"}

// IsAutomation reports whether a user agent is a program's rather than a
// person's browser; an empty one counts as a program.
func IsAutomation(userAgent string) bool {
	ua := strings.ToLower(strings.TrimSpace(userAgent))
	if ua == "" {
		return true
	}
	for _, m := range automationMarks {
		if strings.Contains(ua, m) {
			return true
		}
	}
	return false
}
