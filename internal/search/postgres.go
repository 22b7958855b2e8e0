package search

import (
	"fmt"
	"strings"
)

// postgresEngine matches through the GIN index on to_tsvector('simple',
// tokens) of migration 0023. The condition repeats that exact expression so
// the planner uses the index; plainto_tsquery ANDs the tokens and, with the
// 'simple' configuration, splits and lower-cases them as to_tsvector did, so
// the same tokens meet on both sides.
type postgresEngine struct{}

func (postgresEngine) match(ix *Index, n int, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT %s FROM %s WHERE to_tsvector('simple', tokens) @@ plainto_tsquery('simple', $%d)",
		ix.id, ix.table, n), strings.Join(tokens, " ")
}

func (postgresEngine) count(ix *Index, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT count(*) FROM %s WHERE to_tsvector('simple', tokens) @@ plainto_tsquery('simple', $1)", ix.table), strings.Join(tokens, " ")
}
