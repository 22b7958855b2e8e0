package store

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

func openPostgres(ctx context.Context, rawURL string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("invalid PostgreSQL URL: %w", err)
	}
	source := fmt.Sprintf("postgres://%s/%s", net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port)), cfg.Database)
	if opts.Readers == 0 {
		opts.Readers = 10
	}
	pool := sql.OpenDB(stdlib.GetConnector(*cfg))
	pool.SetMaxOpenConns(opts.Readers)
	pool.SetMaxIdleConns(opts.Readers)
	db := &DB{engine: Postgres, dialect: postgresDialect{}, read: pool, write: pool, source: source}
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", source, err)
	}
	return db, nil
}

// postgresAmcheck verifies every B-tree index of the public schema, which
// also reads every heap page the indexes point to.
func (db *DB) postgresAmcheck(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS amcheck"); err != nil {
		return fmt.Errorf("amcheck unavailable: %w", err)
	}
	rows, err := db.read.QueryContext(ctx, `
		SELECT c.relname, bt_index_check(index => c.oid, heapallindexed => true)
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_am am ON am.oid = c.relam
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE am.amname = 'btree' AND n.nspname = 'public'`)
	if err != nil {
		return fmt.Errorf("integrity check failed: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// postgresDialect is PostgreSQL's side of Dialect.
type postgresDialect struct{}

func (postgresDialect) SkipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (postgresDialect) ForUpdate() string { return " FOR UPDATE" }

// SubqueryFence: a subquery with OFFSET 0 is never pulled up into its
// query.
func (postgresDialect) SubqueryFence() string { return " OFFSET 0" }

// NoIndex is the plain column: PostgreSQL already reads such probes through
// the primary key, and an expression there made the expert list's region
// and skill page 38 → 68 ms.
func (postgresDialect) NoIndex(column string) string { return column }

func (postgresDialect) BatchPlaceholder(i int) string { return "$" + strconv.Itoa(i) }

func (postgresDialect) BulkWrite(context.Context, *sql.Tx) (restore func()) { return func() {} }

// Analyze runs at once what autovacuum would run only later: until then
// PostgreSQL plans queries over freshly filled tables as if they were
// empty.
func (postgresDialect) Analyze(ctx context.Context, q Querier, tables ...string) error {
	if len(tables) == 0 {
		return nil
	}
	_, err := q.ExecContext(ctx, "ANALYZE "+strings.Join(tables, ", "))
	return err
}

// TextMatch reads the GIN index on to_tsvector('simple', tokens) of
// migration 0023: the condition repeats that exact expression so that the
// planner uses the index. plainto_tsquery ANDs the tokens and, with the
// 'simple' configuration, splits and lower-cases them as to_tsvector did, so
// the same tokens meet on both sides.
func (postgresDialect) TextMatch(ix TextIndex, n int, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT %s AS id FROM %s WHERE to_tsvector('simple', tokens) @@ plainto_tsquery('simple', $%d)",
		ix.ID, ix.Table, n), strings.Join(tokens, " ")
}

func (postgresDialect) TextCount(ix TextIndex, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT count(*) FROM %s WHERE to_tsvector('simple', tokens) @@ plainto_tsquery('simple', $1)", ix.Table),
		strings.Join(tokens, " ")
}

// JoinTextMatches is false: joined to its records, a rare word's count was
// planned as a walk of the whole table (« Lefèvre » in the expert list:
// 400 ms); with IN, PostgreSQL reads the few matches first.
func (postgresDialect) JoinTextMatches() bool { return false }

// lockMigrations: several instances may start at once on one database; the
// advisory lock makes their migrations take turns, and the runner then
// skips what another instance applied meanwhile.
func (postgresDialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(727274)")
	return err
}

func (postgresDialect) backup(context.Context, *DB, string) error { return ErrBackupPostgres }

// integrityCheck checks every B-tree index with the amcheck extension.
func (postgresDialect) integrityCheck(ctx context.Context, db *DB) error {
	return db.postgresAmcheck(ctx)
}

func (postgresDialect) schema(ctx context.Context, db *DB) (Schema, error) {
	return postgresSchema(ctx, db)
}
