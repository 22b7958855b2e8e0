package match

import (
	"time"

	"vivier/internal/date"
)

// Days are kept as uint16 counts from 1 January 2000, so that an
// availability period fits in five bytes and comparing days is comparing
// small integers. The range runs to 6 June 2179.
const (
	epochDays = 10957 // days from 1970-01-01 to 2000-01-01
	maxDay    = 1<<16 - 1
)

// civilDays returns the number of days from 1970-01-01 to the given day, by
// Howard Hinnant's days_from_civil: much cheaper than going through
// time.Time, which matters when a million experts load.
func civilDays(y int, m time.Month, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dayNumber returns d as a day number, and whether it lies within the range
// the engine can hold.
func dayNumber(d date.Date) (int, bool) {
	n := civilDays(d.Year, d.Month, d.Day) - epochDays
	return n, n >= 0 && n <= maxDay
}

// clampDay returns d as a day number clamped to the range, for periods and
// profile dates: a period that began before 2000 began, for the engine, on
// the first day it knows.
func clampDay(d date.Date) uint16 {
	n := civilDays(d.Year, d.Month, d.Day) - epochDays
	switch {
	case n < 0:
		return 0
	case n > maxDay:
		return maxDay
	}
	return uint16(n)
}

// dayDate turns a day number back into a date, for explanations.
func dayDate(n int) date.Date {
	return date.Of(time.Unix(int64(n+epochDays)*86400, 0).UTC())
}
