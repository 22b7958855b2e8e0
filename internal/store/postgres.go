package store

import (
	"context"
	"database/sql"
	"fmt"
	"net"

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
	db := &DB{engine: Postgres, read: pool, write: pool, source: source}
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
