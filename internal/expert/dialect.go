package expert

import "vivier/internal/store"

// dialect is the little SQL that differs between engines for the expert
// list: date arithmetic (sqlite.go, postgres.go).
type dialect interface {
	coveredDays(from, to string) string
}

func dialectOf(db *store.DB) dialect {
	if db.Engine() == store.Postgres {
		return postgresDialect{}
	}
	return sqliteDialect{}
}
