// Package date holds Date, a calendar day without time of day or time zone:
// availability periods, need windows and mission days are days, not instants.
// It stores as DATE on PostgreSQL and as 'YYYY-MM-DD' text on SQLite.
package date

import (
	"database/sql/driver"
	"fmt"
	"sync"
	"time"
)

// Date is a calendar day. The zero value means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Layout is the ISO 8601 form used in files, forms and the API.
const Layout = "2006-01-02"

// Parse reads an ISO date such as 2026-12-01 and refuses impossible days
// such as 2026-02-30.
func Parse(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form AAAA-MM-JJ (e.g. 2026-12-01)", s)
	}
	return Of(t), nil
}

// MustParse is Parse for literals in tests and seed data; it panics on error.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of returns the day of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the current day in Paris, where Vivier's users live.
func Today() Date { return Of(time.Now().In(paris())) }

// paris loads the zone on first use, not at start.
var paris = sync.OnceValue(loadParis)

func loadParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}

// Paris is the Europe/Paris location (UTC when the zone database is missing).
func Paris() *time.Location { return paris() }

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero value ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// String returns the ISO form, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// AddDays returns the day n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return Of(d.Time().AddDate(0, 0, n)) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.Time().Compare(e.Time()) }

// DaysUntil returns the number of days from d to e (negative if e is before).
func (d Date) DaysUntil(e Date) int { return int(e.Time().Sub(d.Time()).Hours() / 24) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Value stores the date as ISO text (NULL for the zero date), which both
// engines accept for their date columns.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date column: time.Time from PostgreSQL, text or time.Time
// from SQLite, NULL as the zero date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Of(v.UTC())
	case string:
		return d.parseStored(v)
	case []byte:
		return d.parseStored(string(v))
	default:
		return fmt.Errorf("cannot read a date from %T", src)
	}
	return nil
}

func (d *Date) parseStored(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := Parse(s)
	*d = v
	return err
}

// MarshalText writes the ISO form (JSON, forms).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the ISO form; empty text is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	*d = v
	return err
}
