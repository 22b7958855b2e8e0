package expert

import (
	"context"
	"database/sql"
	"fmt"

	"vivier/internal/store"
)

// sqliteDialect computes with dates stored as ISO text.
type sqliteDialect struct{}

// bulk tunes the writer connection for a large import and returns the
// function that restores it: a wider page cache keeps the transaction's
// pages in memory instead of spilling them to the WAL before the commit.
// (The statement journal of every multi-row INSERT stays in memory too:
// store sets temp_store=MEMORY on the writer connection.)
func (sqliteDialect) bulk(ctx context.Context, tx *sql.Tx) (restore func()) {
	var size int
	if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil {
		return func() {}
	}
	tx.ExecContext(ctx, `PRAGMA cache_size = -262144`) // 256 MiB at most
	return func() {
		tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, size))
	}
}

// analyze does nothing on SQLite: without statistics its planner follows
// the query as written, which the list relies on (see query.clause).
func (sqliteDialect) analyze(context.Context, *store.DB) error { return nil }

// placeholder is "?": the driver binds SQLite's named parameters ($1…) by
// looking each name up in a list, at a cost that grows with the square of
// their number in one statement, which a multi-row INSERT of a thousand
// values makes the main cost of an import. Anonymous ones bind by position.
func (sqliteDialect) placeholder(int) string { return "?" }

// textIDs: the FTS5 subquery selects rowid.
func (sqliteDialect) textIDs(match string) string {
	return `SELECT t.rowid AS id FROM (` + match + `) t`
}

func (sqliteDialect) fence() string { return "" }

// keyOnlyHint: SQLite's unary + (a no-op on any value) keeps it off the
// column's index; through the index, the zone probe of a region (fourteen
// zones) was twice slower.
func (sqliteDialect) keyOnlyHint(column string) string { return "+" + column }
