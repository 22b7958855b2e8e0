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
	// keyOnlyHint writes column, in a probe of one expert that also gives
	// the primary key's first column (expert_id), so that SQLite's planner
	// does not read it through the column's own index instead of the
	// expert's few rows. A hint for SQLite only: PostgreSQL plans the
	// plain column well, and worse with an expression.
	keyOnlyHint(column string) string
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
