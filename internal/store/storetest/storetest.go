// Package storetest runs store-backed tests on both engines: every test
// written with Each runs once on a fresh SQLite file and once on a fresh
// database of a real PostgreSQL server.
//
// PostgreSQL comes from VIVIER_TEST_POSTGRES (a URL to a server where the
// user may create databases) or, when unset, from a throwaway cluster that
// this package starts from the installed binaries (initdb and pg_ctl on PATH
// or under /usr/lib/postgresql/*/bin) on a free loopback port, in a temporary
// folder removed at the end. Packages using it call Main from TestMain so the
// cluster is stopped when their tests end.
package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"vivier/internal/store"
	"vivier/internal/testenv"
)

// Main runs the package's tests and then stops the throwaway PostgreSQL
// cluster if one was started. Call it from TestMain:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	stopCluster()
	os.Exit(code)
}

// Each runs fn as two subtests, "sqlite" and "postgres", each with a fresh,
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// EachEmpty is Each with databases that are not migrated, for the tests of
// the migrations themselves.
func EachEmpty(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			fn(t, OpenEmpty(t, engine))
		})
	}
}

// OpenEmpty returns a fresh database on engine, not migrated, closed at
// the end of t.
func OpenEmpty(t testing.TB, engine store.Engine) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), Source(t, engine), store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Open returns a fresh, migrated database on engine, closed at the end of t.
func Open(t testing.TB, engine store.Engine) *store.DB {
	t.Helper()
	db := OpenEmpty(t, engine)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return db
}

// Source returns the location of a fresh, empty database on engine: an SQLite
// file in t's temporary folder, or a new database on the test PostgreSQL
// server (the test is skipped, or fails under CI, when there is none).
func Source(t testing.TB, engine store.Engine) string {
	t.Helper()
	if engine == store.SQLite {
		return filepath.Join(t.TempDir(), "vivier.db")
	}
	server, err := postgresServer()
	if err != nil {
		testenv.Missing(t, "PostgreSQL", err.Error())
	}
	url, err := server.createDatabase(t)
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	return url
}

// RequirePostgres returns the admin URL of the test PostgreSQL server (a
// maintenance database where databases may be created), skipping or failing
// like Source when there is none.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	server, err := postgresServer()
	if err != nil {
		testenv.Missing(t, "PostgreSQL", err.Error())
	}
	return server.adminURL
}

// Cluster gives tests that must crash the PostgreSQL server (the crash test)
// control over the throwaway cluster. ok is false when the server is an
// external one from VIVIER_TEST_POSTGRES, which tests must not kill.
func Cluster(t testing.TB) (c *LocalCluster, ok bool) {
	t.Helper()
	server, err := postgresServer()
	if err != nil {
		testenv.Missing(t, "PostgreSQL", err.Error())
	}
	return server.cluster, server.cluster != nil
}

func dbName() string {
	return fmt.Sprintf("t_%d_%d", os.Getpid(), nextID())
}
