package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations are plain SQL files, one folder per engine, named
// NNNN_what_it_does.sql. Both folders hold the same versions with the same
// names and the same meaning; only the dialect differs (a test checks it).
// They are applied in order, each in its own transaction, and never edited
// once released: a change is a new file.
//
//go:embed migrations
var migrationFiles embed.FS

// Migration is one schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations of an engine in order.
func Migrations(engine Engine) ([]Migration, error) {
	dir := path.Join("migrations", string(engine))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var list []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_description.sql", name)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		list = append(list, Migration{Version: version, Name: rest, SQL: string(body)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Version < list[j].Version })
	for i := 1; i < len(list); i++ {
		if list[i].Version == list[i-1].Version {
			return nil, fmt.Errorf("two migrations numbered %d", list[i].Version)
		}
	}
	return list, nil
}

// SchemaVersion returns the highest applied migration (0 for a new database).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if err := db.ensureMigrationTable(ctx); err != nil {
		return 0, err
	}
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Migrate applies every pending migration, each in its own transaction, and
// returns the ones it applied. A migration that fails is rolled back whole:
// the schema stays at the previous version. It refuses a database on which
// a migration this binary does not know was applied (see CheckSchema).
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	all, err := Migrations(db.engine)
	if err != nil {
		return nil, err
	}
	return db.migrate(ctx, all)
}

func (db *DB) migrate(ctx context.Context, all []Migration) ([]Migration, error) {
	done, err := db.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkKnown(done, all); err != nil {
		return nil, err
	}
	// Every known migration not yet applied is applied, in order, even one
	// numbered below the current version: branches developed side by side
	// can add a lower number after a higher one was applied, and skipping
	// it would leave its tables missing.
	var applied []Migration
	for _, m := range all {
		if _, ok := done[m.Version]; ok {
			continue
		}
		done, err := db.apply(ctx, m)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, m)
		}
	}
	return applied, nil
}

// CheckSchema fails unless every known migration is applied and none is
// unknown: the application must not run on a schema it does not know. A
// migration is unknown when this binary has none of its number, or one of
// another name: whatever its number, the schema holds something the code
// does not expect (a build from another branch migrated the database).
func (db *DB) CheckSchema(ctx context.Context) error {
	all, err := Migrations(db.engine)
	if err != nil {
		return err
	}
	done, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	if err := checkKnown(done, all); err != nil {
		return err
	}
	for _, m := range all {
		if _, ok := done[m.Version]; !ok {
			return fmt.Errorf("database schema lacks migration %04d_%s: run `vivier migrate`", m.Version, m.Name)
		}
	}
	return nil
}

// appliedMigrations returns the names of the migrations recorded in
// schema_migrations, by version.
func (db *DB) appliedMigrations(ctx context.Context) (map[int]string, error) {
	if err := db.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, "SELECT version, name FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	defer rows.Close()
	done := map[int]string{}
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return nil, err
		}
		done[v] = name
	}
	return done, rows.Err()
}

// checkKnown refuses applied migrations that are not among all.
func checkKnown(applied map[int]string, all []Migration) error {
	known := make(map[int]string, len(all))
	newest := 0
	for _, m := range all {
		known[m.Version] = m.Name
		newest = max(newest, m.Version)
	}
	var unknown []string
	below := false
	for _, v := range slices.Sorted(maps.Keys(applied)) {
		name, ok := known[v]
		switch {
		case ok && name == applied[v]:
			continue
		case ok:
			unknown = append(unknown, fmt.Sprintf("%04d_%s (this binary's %04d is %s)", v, applied[v], v, name))
		default:
			unknown = append(unknown, fmt.Sprintf("%04d_%s", v, applied[v]))
		}
		below = below || v <= newest
	}
	switch {
	case len(unknown) == 0:
		return nil
	case !below:
		return fmt.Errorf("database schema version %s is newer than this binary knows (%04d): upgrade vivier", unknown[len(unknown)-1], newest)
	}
	return fmt.Errorf("database has migrations applied that this binary does not know: %s; another build of vivier migrated it: run that build, or one that includes these migrations", strings.Join(unknown, ", "))
}

func (db *DB) ensureMigrationTable(ctx context.Context) error {
	_, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL
	)`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}

// apply runs one migration in a transaction. Several instances may start at
// once: the dialect's lock makes them take turns, and a migration another
// instance applied meanwhile is skipped (done=false).
func (db *DB) apply(ctx context.Context, m Migration) (done bool, err error) {
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.dialect.lockMigrations(ctx, tx); err != nil {
			return err
		}
		var exists int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = $1", m.Version).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return err
		}
		done = true
		// The version is written into the statement, not bound, so that
		// each migration's record is a statement of its own text. pgx
		// keeps a statement prepared per text and connection, with the
		// types of its parameters fixed when first prepared: after 0035
		// turned applied_at into a TIMESTAMPTZ, one shared statement still
		// sent a TIMESTAMP, which PostgreSQL shifted by the session's time
		// zone.
		_, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, $1, $2)", m.Version),
			m.Name, time.Now().UTC())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("migration %04d_%s failed, schema left at the previous version: %w", m.Version, m.Name, err)
	}
	return done, nil
}
