package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Options tune how a database is opened. The zero value is right for the
// application; tests and tools change it.
type Options struct {
	// Readers is the size of SQLite's reader pool (default 4) or PostgreSQL's
	// pool (default 10).
	Readers int
	// ConnectTimeout bounds the first contact with the database (default 5s).
	ConnectTimeout time.Duration
	// BusyTimeout is how long an SQLite connection waits for a lock held by
	// another process (another vivier command on the same file) before the
	// statement fails with an unavailable error (default 10s).
	BusyTimeout time.Duration
}

// Open opens the database named by source: a postgres:// (or postgresql://)
// URL, or else an SQLite file path (created when missing). It checks that the
// database answers but does not migrate it: call Migrate for that.
func Open(ctx context.Context, source string, opts Options) (*DB, error) {
	if opts.ConnectTimeout == 0 {
		opts.ConnectTimeout = 5 * time.Second
	}
	if source == "" {
		return nil, errors.New("no database given: use --db or VIVIER_DATABASE_URL")
	}
	ctx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	if IsPostgresURL(source) {
		return openPostgres(ctx, source, opts)
	}
	return openSQLite(ctx, source, opts)
}

// IsPostgresURL reports whether source names a PostgreSQL database.
func IsPostgresURL(source string) bool {
	return strings.HasPrefix(source, "postgres://") || strings.HasPrefix(source, "postgresql://")
}

// describe turns a low-level open error into one line naming the cause.
func describe(source string, err error) error {
	return fmt.Errorf("cannot open database %s: %w", source, err)
}
