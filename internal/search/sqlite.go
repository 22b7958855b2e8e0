package search

import "fmt"

// sqliteEngine matches through the FTS5 index that migration 0023 keeps in
// step with the token table: the external-content FTS5 table's rowid is the
// record id, and a query of quoted tokens requires all of them.
type sqliteEngine struct{}

func (sqliteEngine) match(ix *Index, n int, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT rowid FROM %s WHERE %s MATCH $%d", ix.fts, ix.fts, n), quoteAll(tokens)
}

func (sqliteEngine) count(ix *Index, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT count(*) FROM %s WHERE %s MATCH $1", ix.fts, ix.fts), quoteAll(tokens)
}
