// Package store owns Vivier's database: opening SQLite or PostgreSQL behind one
// handle, the embedded schema migrations, transactions, online backup and the
// few places where the two engines really differ, which other packages reach
// through db.Dialect() (see Dialect).
//
// Domain packages write plain, portable SQL against *DB ($1 placeholders,
// RETURNING, ON CONFLICT work on both engines). Reads go to a pool of reader
// connections; writes go through Tx (or Exec), which on SQLite use the single
// writer connection so that writers queue in Go rather than fail with
// SQLITE_BUSY.
//
// Conventions every table follows:
//   - timestamps are written in UTC (TIMESTAMPTZ on PostgreSQL, TIMESTAMP text
//     on SQLite, read back as time.Time on both);
//   - calendar dates are date.Date values (DATE on PostgreSQL, 'YYYY-MM-DD'
//     text on SQLite);
//   - booleans are BOOLEAN on both; JSON documents are TEXT.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Engine names a database engine that Vivier supports.
type Engine string

// The two supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// ErrNotFound is returned (wrapped) when a row asked for does not exist.
var ErrNotFound = errors.New("not found")

// Querier is what both *DB and *sql.Tx offer, so small helpers can run either
// inside a transaction or on their own.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is Vivier's database handle. It is safe for concurrent use.
type DB struct {
	engine  Engine
	dialect Dialect
	read    *sql.DB // SQLite: a pool of readers; PostgreSQL: the pool
	write   *sql.DB // SQLite: one writer connection; PostgreSQL: same as read
	source  string  // file path (SQLite) or URL without password (PostgreSQL)
	// stmts caches the readers' prepared statements (SQLite only).
	stmts *stmtCache
}

// Engine reports which engine the database runs on.
func (db *DB) Engine() Engine { return db.engine }

// Source names the database for messages: the SQLite file or the PostgreSQL
// host and database (never the password).
func (db *DB) Source() string { return db.source }

// Close closes every connection.
func (db *DB) Close() error {
	if db.stmts != nil {
		db.stmts.close()
	}
	err := db.read.Close()
	if db.write != db.read {
		err = errors.Join(err, db.write.Close())
	}
	return err
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("database %s does not answer: %w", db.source, err)
	}
	return nil
}

// QueryContext runs a read query on a reader connection.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.stmts == nil {
		return db.read.QueryContext(ctx, query, args...)
	}
	return db.stmts.query(ctx, query, args)
}

// QueryRowContext runs a read query returning one row on a reader connection.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if db.stmts == nil {
		return db.read.QueryRowContext(ctx, query, args...)
	}
	return db.stmts.queryRow(ctx, query, args)
}

// ExecContext runs one write statement on the writer connection, in its own
// implicit transaction. Use Tx when several statements must succeed together.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, query, args...)
}

// Tx runs fn in a write transaction, committing when fn returns nil and
// rolling back otherwise (also when fn panics). On SQLite the transaction
// starts IMMEDIATE, taking the write lock up front.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Stats reports the connection pools' figures, for /metrics.
func (db *DB) Stats() (read, write sql.DBStats) {
	return db.read.Stats(), db.write.Stats()
}

// EachRow runs query and calls fn with the scanner of each row, stopping at
// the first error.
func EachRow(ctx context.Context, q Querier, query string, fn func(scan func(...any) error) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
