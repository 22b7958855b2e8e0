// Package fr formats figures, dates and quotations the way French readers
// expect: 25 novembre 2026, 1 250 €, 12,5 %, « guillemets ». Thousands are
// separated by a narrow no-break space (U+202F) and units by a no-break space
// (U+00A0), so a figure never breaks across lines.
package fr

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"vivier/internal/date"
)

const (
	thinSpace = "\u202f" // espace fine insécable, between thousands
	nbsp      = "\u00a0" // espace insécable, before units and inside « »
)

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

var weekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// MonthName returns the French name of m, in lower case.
func MonthName(m time.Month) string { return months[m-1] }

// Date formats a day as "25 novembre 2026" ("1er décembre 2026" on the first).
func Date(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	day := strconv.Itoa(d.Day)
	if d.Day == 1 {
		day = "1er"
	}
	return day + " " + months[d.Month-1] + " " + strconv.Itoa(d.Year)
}

// LongDate formats a day with its weekday: "mercredi 25 novembre 2026".
func LongDate(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return weekdays[d.Weekday()] + " " + Date(d)
}

// DateTime formats an instant in Paris time: "25 novembre 2026 à 14 h 05".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(date.Paris())
	return Date(date.Of(t)) + " à " + strconv.Itoa(t.Hour()) + nbsp + "h" + nbsp + twoDigits(t.Minute())
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Int formats an integer with French digit grouping: 1 250, −3 500.
func Int(n int64) string {
	if n < 0 {
		// The magnitude is taken as unsigned so that the smallest int64,
		// whose negation overflows, still prints its digits.
		return "−" + Uint(uint64(-(n+1))+1)
	}
	return Uint(uint64(n))
}

// Uint formats an unsigned integer with French digit grouping, for the
// counters that are unsigned and may exceed the largest int64.
func Uint(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	b.Grow(len(s) + len(s)/3*len(thinSpace))
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(thinSpace)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Decimal formats x with the given number of decimals and a decimal comma:
// Decimal(4.25, 1) = "4,3"; trailing zeros are kept for column alignment.
func Decimal(x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := Int(n)
	if frac != "" {
		out += "," + frac
	}
	if x < 0 && strings.Trim(s, "0.") != "" {
		out = "−" + out
	}
	return out
}

// Euros formats a whole amount in euros: "1 250 €".
func Euros(amount int64) string { return Int(amount) + nbsp + "€" }

// Percent formats a ratio (0.125 → "12,5 %") with one decimal.
func Percent(ratio float64) string { return Decimal(ratio*100, 1) + nbsp + "%" }

// InSentence writes a label as a word inside a sentence: its first letter
// in lower case (« Intercommunalité (EPCI) » → « intercommunalité (EPCI) »),
// except for a word in capitals, an acronym (« TJM »).
func InSentence(label string) string {
	if label == "" || len(label) > 1 && strings.ToUpper(label) == label {
		return label
	}
	r, n := utf8.DecodeRuneInString(label)
	return string(unicode.ToLower(r)) + label[n:]
}

// Quote wraps text in French quotation marks: « texte ».
func Quote(s string) string { return "«" + nbsp + s + nbsp + "»" }

// Plural picks the singular or plural word for n: Plural(2, "expert",
// "experts") = "2 experts". French counts 0 and 1 as singular.
func Plural(n int, singular, plural string) string {
	word := singular
	if n > 1 || n < -1 {
		word = plural
	}
	return Int(int64(n)) + " " + word
}
