package search

import (
	"context"
	"fmt"

	"vivier/internal/store"
)

// Index is one searchable kind of record: the experts, the needs or the
// publications. Its documents live in a plain table (id, tokens) that both
// engines share; how a query reads them is the engine's business
// (store.Dialect's TextMatch).
type Index struct {
	names   store.TextIndex
	dialect store.Dialect
}

// Experts returns the index of experts on db's engine.
func Experts(db *store.DB) *Index {
	return newIndex(db, store.TextIndex{Table: "expert_search", ID: "expert_id", FTS: "expert_fts"})
}

// Needs returns the index of needs on db's engine.
func Needs(db *store.DB) *Index {
	return newIndex(db, store.TextIndex{Table: "need_search", ID: "need_id", FTS: "need_fts"})
}

// Publications returns the index of publications on db's engine.
func Publications(db *store.DB) *Index {
	return newIndex(db, store.TextIndex{Table: "publication_search", ID: "publication_id", FTS: "publication_fts"})
}

func newIndex(db *store.DB, names store.TextIndex) *Index {
	return &Index{names: names, dialect: db.Dialect()}
}

// Put stores the document of record id (see Document), replacing the one
// before. Call it in the transaction that changes the record.
func (ix *Index) Put(ctx context.Context, q store.Querier, id int64, document string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO `+ix.names.Table+` (`+ix.names.ID+`, tokens) VALUES ($1, $2)
		ON CONFLICT (`+ix.names.ID+`) DO UPDATE SET tokens = excluded.tokens
		WHERE `+ix.names.Table+`.tokens <> excluded.tokens`, id, document)
	if err != nil {
		return fmt.Errorf("index %s %d: %w", ix.names.Table, id, err)
	}
	return nil
}

// Condition returns an SQL condition, to AND into a WHERE clause, that holds
// for the records whose id (the SQL expression idExpr, such as "e.id")
// matches every token of query, with the query passed as parameter $n.
// ok is false when the query holds no searchable word (only stop words or
// punctuation): the caller then applies no text filter at all.
func (ix *Index) Condition(idExpr string, n int, query string) (cond string, arg any, ok bool) {
	tokens := Tokens(query)
	if len(tokens) == 0 {
		return "", nil, false
	}
	sub, arg := ix.dialect.TextMatch(ix.names, n, tokens)
	return idExpr + " IN (" + sub + ")", arg, true
}

// Match returns a subquery selecting, in a column named id, the records
// that match every token of query, with the query passed as parameter $n, for callers
// that combine it themselves; ok is false as for Condition.
func (ix *Index) Match(n int, query string) (subquery string, arg any, ok bool) {
	tokens := Tokens(query)
	if len(tokens) == 0 {
		return "", nil, false
	}
	subquery, arg = ix.dialect.TextMatch(ix.names, n, tokens)
	return subquery, arg, true
}

// Count returns how many records match every token of query, reading the
// search index alone: the search itself, without the records.
func (ix *Index) Count(ctx context.Context, q store.Querier, query string) (int, error) {
	tokens := Tokens(query)
	if len(tokens) == 0 {
		return 0, nil
	}
	sql, arg := ix.dialect.TextCount(ix.names, tokens)
	var n int
	if err := q.QueryRowContext(ctx, sql, arg).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s matches: %w", ix.names.Table, err)
	}
	return n, nil
}
