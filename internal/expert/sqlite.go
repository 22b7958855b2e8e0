package expert

import (
	"context"
	"database/sql"
	"fmt"

	"vivier/internal/store"
)

// sqliteDialect computes with dates stored as ISO text.
type sqliteDialect struct{}

// coveredDays counts the days of period a within [$from, $to] (both given
// as ISO text).
func (sqliteDialect) coveredDays(from, to string) string {
	return `CAST(julianday(min(a.end_date, ` + to + `)) - julianday(max(a.start_date, ` + from + `)) AS INTEGER) + 1`
}

// bulk widens the page cache of the writer connection for a large import,
// so that the transaction's pages stay in memory instead of spilling to
// the WAL before the commit; the returned function restores it.
func (sqliteDialect) bulk(ctx context.Context, tx *sql.Tx) (restore func()) {
	var size int
	if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil {
		return func() {}
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil { // 256 MiB at most
		return func() {}
	}
	return func() { tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, size)) }
}

// analyze does nothing on SQLite: without statistics its planner follows
// the query as written, which the list relies on (see query.clause).
func (sqliteDialect) analyze(context.Context, *store.DB) error { return nil }
