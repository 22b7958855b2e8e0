// Package report computes the federation's activity report of a year from
// the records themselves: representation (hearings, notes, delegations),
// associated members (agreements, counterparts), communication (followers
// growth, newsletter rates, press mentions), network life (members,
// events, trainings, publications) and expertise (needs, missions, days,
// experts, reviews, savings). Every figure has its formula (Formulas,
// versioned by FormulasVersion), last year's value beside it and the change,
// and links to the list of records that make it.
//
// Each section is fed by a small source interface declared here
// (sources.go): the expertise by the missions (FromMissions), publications,
// press, representation and audiences by their packages (adapters.go), and
// the network, events, trainings, newsletters and partners by whatever
// implements NetworkSource, EventSource, TrainingSource, NewsletterSource
// and PartnerSource. A nil source is a part that is « non suivi »: its
// figures read zero, are marked untracked (Figure.Tracked, and the JSON's
// "tracked"/"not_tracked"), and never cause an error.
//
// Staff publish the report of a year: its figures are stored as a snapshot
// with the date and the formulas' version, and later edits of the records
// do not change it; the page then shows which live figures moved since.
// Publishing again is explicit, with a reason, audited. A snapshot holds no
// personal data: only the figures, and the records of the figures marked
// public (publications, press articles, hearings…), never people. Outputs:
// HTML (Body, WriteHTML), PDF (PDF) and JSON (JSON).
package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"vivier/internal/date"
	"vivier/internal/fr"
)

// FormulasVersion names the version of the formulas below. A snapshot
// keeps the version it was computed with; change it whenever a formula's
// meaning changes, so that a published report says which rules made it.
const FormulasVersion = "2026.2"

// Unit is what a figure counts, which says how it is written and how its
// change is computed.
type Unit string

// The units of figures.
const (
	Count Unit = "count" // a number of records: 12
	Days  Unit = "days"  // days, in halves: 37,5
	Euros Unit = "euros" // whole euros: 12 500 €
	Rate  Unit = "rate"  // a ratio written as a percentage: 0.174 → 17,4 %
	// Growth is a change over the year written as a signed percentage:
	// 0.75 → +75,0 %; its change from last year is in points.
	Growth Unit = "growth"
	Score  Unit = "score" // a mean out of 5: 4,3 / 5
)

// Record is one of the records that make a figure.
type Record struct {
	Label string    `json:"label"`
	Date  date.Date `json:"date,omitzero"`
	// URL is the record's page for staff; PublicURL its public page
	// (a public publication, the article of a press mention), "" when none.
	URL       string `json:"url,omitempty"`
	PublicURL string `json:"public_url,omitempty"`
}

// Figure is one figure of the report.
type Figure struct {
	Key   string `json:"key"` // « expertise.needs »: section, then the JSON's key
	Label string `json:"label"`
	Unit  Unit   `json:"unit"`
	// Value is the year's, Previous the year before's. HasValue and
	// HasPrevious are false when it cannot be computed (a growth without
	// two counts, a mean without any review).
	Value       float64 `json:"value"`
	Previous    float64 `json:"previous"`
	HasValue    bool    `json:"has_value"`
	HasPrevious bool    `json:"has_previous"`
	// Tracked is false for a part of the network that Vivier does not
	// follow (yet): « non suivi », zero.
	Tracked bool   `json:"tracked"`
	Formula string `json:"formula"`
	// Detail says what was counted, in French (« 1 234 ouvreurs humains
	// sur 7 000 envois suivis »).
	Detail string `json:"detail,omitempty"`
	// Source is the page where the same figure is shown live.
	Source string `json:"source,omitempty"`
	// Public says the records may be listed to anyone: no personal data,
	// nothing internal. Records are those of the year; a snapshot keeps
	// them only for public figures, and Total counts them always.
	Public  bool     `json:"public"`
	Records []Record `json:"records,omitempty"`
	Total   int      `json:"total"`
}

// Short is the figure's key in its section's JSON object: « needs ».
func (f Figure) Short() string {
	_, k, _ := strings.Cut(f.Key, ".")
	return k
}

// Section returns the key of the figure's section.
func (f Figure) Section() string {
	s, _, _ := strings.Cut(f.Key, ".")
	return s
}

// Change is the change from last year: relative for counts, days, euros
// (0.25 is +25 %), in points for rates and scores (0.031 is +3,1 points of
// a rate). ok is false when there is no change to state (no previous
// value, or a relative change from zero).
func (f Figure) Change() (change float64, ok bool) {
	if !f.Tracked || !f.HasValue || !f.HasPrevious {
		return 0, false
	}
	switch f.Unit {
	case Rate, Score, Growth:
		return f.Value - f.Previous, true
	}
	if f.Previous == 0 {
		return 0, false
	}
	return (f.Value - f.Previous) / f.Previous, true
}

// Text writes v in the figure's unit, in French.
func (f Figure) Text(v float64) string { return format(f.Unit, v) }

// ValueText is the year's value as a reader reads it, « non suivi » or
// « — » when there is none.
func (f Figure) ValueText() string {
	switch {
	case !f.Tracked:
		return "non suivi"
	case !f.HasValue:
		return "—"
	}
	return f.Text(f.Value)
}

// PreviousText is last year's value as a reader reads it.
func (f Figure) PreviousText() string {
	switch {
	case !f.Tracked:
		return "non suivi"
	case !f.HasPrevious:
		return "—"
	}
	return f.Text(f.Previous)
}

// ChangeText is the change as a reader reads it: « +25 % », « −3,1 pts »,
// « nouveau » from zero, « — » when there is none.
func (f Figure) ChangeText() string {
	c, ok := f.Change()
	if !ok {
		if f.Tracked && f.HasValue && f.HasPrevious && f.Previous == 0 && f.Value > 0 {
			return "nouveau"
		}
		return "—"
	}
	sign := "+"
	if c < 0 {
		sign, c = "−", -c
	}
	switch f.Unit {
	case Rate, Growth:
		return sign + fr.Decimal(c*100, 1) + "\u00a0pt" + plural(c*100)
	case Score:
		return sign + fr.Decimal(c, 1) + "\u00a0pt" + plural(c)
	}
	if math.Abs(c) < 0.0005 {
		return "stable"
	}
	return sign + fr.Percent(c)
}

func plural(v float64) string {
	if math.Abs(v) >= 2 {
		return "s"
	}
	return ""
}

// format writes v in unit, in French.
func format(unit Unit, v float64) string {
	switch unit {
	case Days:
		return fr.Decimal(v, 1) + "\u00a0j"
	case Euros:
		return fr.Euros(int64(math.Round(v)))
	case Rate:
		return fr.Percent(v)
	case Growth:
		switch {
		case v > 0:
			return "+" + fr.Percent(v)
		case v < 0:
			return "−" + fr.Percent(-v)
		}
		return fr.Percent(0)
	case Score:
		return fr.Decimal(v, 1) + "\u00a0/\u00a05"
	}
	if v == math.Trunc(v) {
		return fr.Int(int64(v))
	}
	return fr.Decimal(v, 1)
}

// Row is one line of a table: a label and its values, this year and last.
type Row struct {
	Label    string   `json:"label"`
	Value    float64  `json:"value"`
	Previous float64  `json:"previous"`
	Cells    []string `json:"cells,omitempty"` // further columns, already written
	URL      string   `json:"url,omitempty"`   // public page of the line, when any
}

// Table is a breakdown of a section (needs by size of commune, press
// mentions by scope…), drawn as a chart when Chart is set; the table is the
// chart's accessible alternative.
type Table struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Unit    Unit     `json:"unit"`
	Columns []string `json:"columns"` // headers of Cells, after the label and the two years
	Rows    []Row    `json:"rows"`
	Chart   bool     `json:"chart"`
	// NoPrevious hides the previous year's column (lists of records).
	NoPrevious bool `json:"no_previous,omitempty"`
}

// Section is one part of the report.
type Section struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Intro   string   `json:"intro"`
	Figures []Figure `json:"figures"`
	Tables  []Table  `json:"tables"`
}

// Tracked reports whether any figure of the section is followed.
func (s Section) Tracked() bool {
	for _, f := range s.Figures {
		if f.Tracked {
			return true
		}
	}
	return false
}

// NotTracked lists the short keys of the figures not followed.
func (s Section) NotTracked() []string {
	out := []string{}
	for _, f := range s.Figures {
		if !f.Tracked {
			out = append(out, f.Short())
		}
	}
	return out
}

// Report is the activity report of a year, live or as published.
type Report struct {
	Year            int       `json:"year"`
	GeneratedAt     time.Time `json:"generated_at"`
	FormulasVersion string    `json:"formulas_version"`
	Sections        []Section `json:"sections"`
}

// Figure returns the figure of key.
func (r Report) Figure(key string) (Figure, bool) {
	for _, s := range r.Sections {
		for _, f := range s.Figures {
			if f.Key == key {
				return f, true
			}
		}
	}
	return Figure{}, false
}

// Period is the year's first and last days.
func Period(year int) (from, to date.Date) {
	return date.Date{Year: year, Month: time.January, Day: 1}, date.Date{Year: year, Month: time.December, Day: 31}
}

// RecordsPath is the page of the records of figure key of year.
func RecordsPath(year int, key string) string {
	return "/rapport/" + strconv.Itoa(year) + "/indicateurs/" + key
}
