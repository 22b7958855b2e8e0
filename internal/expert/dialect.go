package expert

import (
	"context"
	"database/sql"

	"vivier/internal/store"
)

// dialect is the little SQL that differs between engines for the expert
// package: bulk writes and statistics (sqlite.go, postgres.go).
type dialect interface {
	// fence ends a subquery so that the planner keeps it apart ("" when
	// the list needs none: SQLite already reads few matches first).
	fence() string
	// textIDs wraps the search index's subquery of matching experts
	// (search.Index.Match) so that its column is named id, for a count to
	// join it; "" keeps the count on the IN form.
	textIDs(match string) string
	// byKeyOnly writes column so that the planner does not read it
	// through its own index, when the condition also gives the primary
	// key's first column (the zone filter's probe of one expert).
	byKeyOnly(column string) string
	// bulk prepares the transaction tx for a large import.
	bulk(ctx context.Context, tx *sql.Tx) (restore func())
	// placeholder is the i-th parameter (from 1) of a generated
	// multi-row INSERT.
	placeholder(i int) string
	// analyze updates the planner's statistics after a large import.
	analyze(ctx context.Context, db *store.DB) error
}

func dialectOf(db *store.DB) dialect {
	if db.Engine() == store.Postgres {
		return postgresDialect{}
	}
	return sqliteDialect{}
}
