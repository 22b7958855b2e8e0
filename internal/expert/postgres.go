package expert

import (
	"context"
	"database/sql"
)

// postgresDialect computes with DATE columns.
type postgresDialect struct{}

// coveredDays counts the days of period a within [$from, $to].
func (postgresDialect) coveredDays(from, to string) string {
	return `(LEAST(a.end_date, ` + to + `::date) - GREATEST(a.start_date, ` + from + `::date) + 1)`
}

// bulk needs nothing on PostgreSQL.
func (postgresDialect) bulk(context.Context, *sql.Tx) (restore func()) { return func() {} }
