package expert

import (
	"context"
	"database/sql"

	"vivier/internal/store"
)

// dialect is the little SQL that differs between engines for the expert
// list: date arithmetic (sqlite.go, postgres.go).
type dialect interface {
	coveredDays(from, to string) string
	// bulk prepares the transaction tx for a large import.
	bulk(ctx context.Context, tx *sql.Tx) (restore func())
}

func dialectOf(db *store.DB) dialect {
	if db.Engine() == store.Postgres {
		return postgresDialect{}
	}
	return sqliteDialect{}
}
