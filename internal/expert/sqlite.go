package expert

// sqliteDialect computes with dates stored as ISO text.
type sqliteDialect struct{}

// coveredDays counts the days of period a within [$from, $to] (both given
// as ISO text).
func (sqliteDialect) coveredDays(from, to string) string {
	return `CAST(julianday(min(a.end_date, ` + to + `)) - julianday(max(a.start_date, ` + from + `)) AS INTEGER) + 1`
}
