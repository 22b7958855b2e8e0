package store

import (
	"context"
	"database/sql"
)

// Dialect is the SQL that differs between the engines. Each engine has one
// value (sqliteDialect in sqlite.go, postgresDialect in postgres.go), chosen
// once by Open: code outside store asks db.Dialect() instead of testing
// db.Engine(), so every difference is written once, beside the others of its
// engine.
//
// What is not here is the same on both engines. Timestamps, for one: the
// SQLite driver writes a time.Time as text in one layout (sqliteTimeLayout)
// and the triggers of the migrations write that same layout, so a
// time.Time parameter compares with any stored timestamp on either engine.
type Dialect interface {
	// SkipLocked ends the subquery that selects rows to claim (an outbox
	// batch): on PostgreSQL, rows another transaction is claiming are
	// skipped instead of waited for. SQLite has no row locks, its writers
	// take turns, so it needs nothing ("").
	SkipLocked() string

	// ForUpdate ends a SELECT of one row that the transaction is about to
	// decide on (an event's seats): on PostgreSQL the row is locked until
	// the transaction ends, so that concurrent transactions — from any
	// number of instances — take turns on it. SQLite needs nothing (""):
	// its write transactions begin IMMEDIATE, holding the database's one
	// write lock from their first statement.
	ForUpdate() string

	// SubqueryFence ends a subquery in FROM so that the planner keeps it
	// apart, reading its rows first, instead of merging it into the outer
	// query. It is "" when the engine needs none: SQLite's planner, without
	// statistics, already follows the query as written.
	SubqueryFence() string

	// NoIndex writes column, in a condition that also names the leading
	// column of the table's primary key, so that the planner reads the
	// row's few entries through the key rather than through the column's
	// own index. A hint for SQLite only (unary +); PostgreSQL plans the
	// plain column well, and worse with an expression.
	NoIndex(column string) string

	// BatchPlaceholder is the i-th parameter (from 1) of a generated
	// statement with many parameters, such as a multi-row INSERT. Hand-
	// written SQL uses $1… on both engines.
	BatchPlaceholder(i int) string

	// BulkWrite prepares the write transaction tx for a large batch of
	// writes (an import) and returns what puts the connection back.
	BulkWrite(ctx context.Context, tx *sql.Tx) (restore func())

	// Analyze refreshes the planner's statistics of tables after a large
	// write.
	Analyze(ctx context.Context, q Querier, tables ...string) error

	// TextMatch returns a subquery selecting, in a column named id, the
	// records of ix whose document holds every token, with the query as
	// the parameter numbered n, and the argument to pass for it.
	TextMatch(ix TextIndex, n int, tokens []string) (subquery string, arg any)

	// TextCount returns a query counting the records of ix whose document
	// holds every token, with the query as $1, and the argument to pass.
	TextCount(ix TextIndex, tokens []string) (query string, arg any)

	// JoinTextMatches says whether a query that stops early (a count up to
	// a limit) should join the TextMatch subquery, reading its ids as they
	// come, rather than test each record with IN.
	JoinTextMatches() bool

	// What only store uses: the migrations' lock, backup, integrity check
	// and the schema as the engine describes it.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
	backup(ctx context.Context, db *DB, dest string) error
	integrityCheck(ctx context.Context, db *DB) error
	schema(ctx context.Context, db *DB) (Schema, error)
}

// TextIndex names the tables of one full-text index. Table holds the
// documents on both engines: the record's id in the column ID and its
// tokens, the stemmed words separated by spaces, in the column tokens. On
// SQLite, FTS is the FTS5 table over Table (external content, its rowid the
// record's id), which migration 0023 keeps in step.
type TextIndex struct {
	Table, ID, FTS string
}

// Dialect returns the SQL differences of the database's engine.
func (db *DB) Dialect() Dialect { return db.dialect }
