package search

import (
	"context"
	"fmt"
	"strings"

	"vivier/internal/store"
)

// Index is one searchable kind of record: the experts or the needs. Its
// documents live in a plain table (id, tokens) that both engines share; how
// a query reads them is the engine's business (sqlite.go, postgres.go).
type Index struct {
	table  string // expert_search or need_search
	id     string // its id column
	fts    string // SQLite's FTS5 table over it
	engine engine
}

// engine is what differs between SQLite and PostgreSQL: the SQL condition
// that selects the ids whose document holds every token of a query.
type engine interface {
	// match returns a subquery selecting the ids of the matching records,
	// with the query as the parameter numbered n, and the argument to pass
	// for it.
	match(ix *Index, n int, tokens []string) (subquery string, arg any)
	// count returns a query counting the documents that match the query
	// passed as $1, and the argument to pass.
	count(ix *Index, tokens []string) (query string, arg any)
}

// Experts returns the index of experts on db's engine.
func Experts(db *store.DB) *Index {
	return &Index{table: "expert_search", id: "expert_id", fts: "expert_fts", engine: engineOf(db)}
}

// Needs returns the index of needs on db's engine.
func Needs(db *store.DB) *Index {
	return &Index{table: "need_search", id: "need_id", fts: "need_fts", engine: engineOf(db)}
}

func engineOf(db *store.DB) engine {
	if db.Engine() == store.Postgres {
		return postgresEngine{}
	}
	return sqliteEngine{}
}

// Put stores the document of record id (see Document), replacing the one
// before. Call it in the transaction that changes the record.
func (ix *Index) Put(ctx context.Context, q store.Querier, id int64, document string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO `+ix.table+` (`+ix.id+`, tokens) VALUES ($1, $2)
		ON CONFLICT (`+ix.id+`) DO UPDATE SET tokens = excluded.tokens
		WHERE `+ix.table+`.tokens <> excluded.tokens`, id, document)
	if err != nil {
		return fmt.Errorf("index %s %d: %w", ix.table, id, err)
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
	sub, arg := ix.engine.match(ix, n, tokens)
	return idExpr + " IN (" + sub + ")", arg, true
}

// Match returns a subquery selecting the ids of the records that match
// every token of query, with the query passed as parameter $n, for callers
// that combine it themselves; ok is false as for Condition.
func (ix *Index) Match(n int, query string) (subquery string, arg any, ok bool) {
	tokens := Tokens(query)
	if len(tokens) == 0 {
		return "", nil, false
	}
	subquery, arg = ix.engine.match(ix, n, tokens)
	return subquery, arg, true
}

// quoteAll writes tokens as FTS5 strings ("a" "b"), which FTS5 ANDs; tokens
// hold only letters and digits, but quoting keeps words such as NOT or NEAR
// from being read as operators.
func quoteAll(tokens []string) string {
	var b strings.Builder
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
	}
	return b.String()
}

// Count returns how many records match every token of query, reading the
// search index alone: the search itself, without the records.
func (ix *Index) Count(ctx context.Context, q store.Querier, query string) (int, error) {
	tokens := Tokens(query)
	if len(tokens) == 0 {
		return 0, nil
	}
	sql, arg := ix.engine.count(ix, tokens)
	var n int
	if err := q.QueryRowContext(ctx, sql, arg).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s matches: %w", ix.table, err)
	}
	return n, nil
}
