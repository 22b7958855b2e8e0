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

func (postgresEngine) match(ix *Index, idExpr string, n int, tokens []string) (string, any) {
	return fmt.Sprintf("%s IN (SELECT %s FROM %s WHERE to_tsvector('simple', tokens) @@ plainto_tsquery('simple', $%d))",
		idExpr, ix.id, ix.table, n), strings.Join(tokens, " ")
}
