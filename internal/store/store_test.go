package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) {
	if source := os.Getenv(crashChildEnv); source != "" {
		crashChild(source)
	}
	storetest.Main(m)
}

func TestMigrationsHaveTheSameStepsOnBothEngines(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	names := func(list []store.Migration) (out []string) {
		for _, m := range list {
			out = append(out, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		}
		return out
	}
	if len(lite) == 0 || !reflect.DeepEqual(names(lite), names(pg)) {
		t.Fatalf("migrations differ between engines:\nsqlite:   %v\npostgres: %v", names(lite), names(pg))
	}
}

// TestSchemasMatch migrates both engines and compares every table's columns
// and their nullability: the two schemas must mean the same thing.
func TestSchemasMatch(t *testing.T) {
	ctx := context.Background()
	lite := storetest.Open(t, store.SQLite)
	pg := storetest.Open(t, store.Postgres)
	a, err := store.Columns(ctx, lite)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Columns(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	for table, cols := range a {
		if !reflect.DeepEqual(cols, b[table]) {
			t.Errorf("table %s differs:\nsqlite:   %v\npostgres: %v", table, cols, b[table])
		}
	}
	for table := range b {
		if _, ok := a[table]; !ok {
			t.Errorf("table %s exists only on PostgreSQL", table)
		}
	}
}

func TestMigrateIsIdempotentAndRecordsVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %d migrations, want 0", len(applied))
		}
		all, _ := store.Migrations(db.Engine())
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != all[len(all)-1].Version {
			t.Errorf("schema version %d, want %d", v, all[len(all)-1].Version)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Errorf("CheckSchema on a migrated database: %v", err)
		}
	})
}

func TestFailedMigrationLeavesSchemaAsItWas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before, _ := db.SchemaVersion(ctx)
		bad := store.Migration{Version: before + 1, Name: "broken", SQL: `
			CREATE TABLE half_done (id INTEGER PRIMARY KEY);
			INSERT INTO half_done (id) VALUES (1);
			CREATE TABLE broken (id INTEGER PRIMARY KEY, oops NOT_A_TYPE_AT_ALL (;`}
		_, err := db.MigrateList(ctx, []store.Migration{bad})
		if err == nil || !strings.Contains(err.Error(), "broken failed, schema left at the previous version") {
			t.Fatalf("want a clear migration error, got %v", err)
		}
		after, _ := db.SchemaVersion(ctx)
		if after != before {
			t.Errorf("schema version moved from %d to %d", before, after)
		}
		var n int
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM half_done").Scan(&n)
		if err == nil {
			t.Errorf("table half_done exists after a failed migration")
		}
	})
}

func TestRefusesSchemaNewerThanBinary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', $1)", time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{"CheckSchema": db.CheckSchema(ctx), "Migrate": second(db.Migrate(ctx))} {
			if err == nil || !strings.Contains(err.Error(), "newer than this binary knows") {
				t.Errorf("%s: want a refusal, got %v", name, err)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestTxRollsBackOnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)", "k", "v", time.Now().UTC()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx returned %v, want boom", err)
		}
		var n int
		db.QueryRowContext(ctx, "SELECT count(*) FROM settings").Scan(&n)
		if n != 0 {
			t.Errorf("%d rows after rollback", n)
		}
	})
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ins := func() error {
			_, err := db.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)", "k", "v", time.Now().UTC())
			return err
		}
		if err := ins(); err != nil {
			t.Fatal(err)
		}
		if err := ins(); !store.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%v) = false", err)
		}
	})
}

func TestTimestampsRoundTripInUTC(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		paris, _ := time.LoadLocation("Europe/Paris")
		want := time.Date(2026, 11, 25, 14, 30, 15, 123456000, paris)
		if _, err := db.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ('t', 'v', $1)", want.UTC()); err != nil {
			t.Fatal(err)
		}
		var got time.Time
		if err := db.QueryRowContext(ctx, "SELECT updated_at FROM settings WHERE key = 't'").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Errorf("read back %v, want %v", got, want)
		}
	})
}

func TestOpenCorruptSQLiteFileFailsClearly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corrupt.db")
	junk := []byte(strings.Repeat("this is not a database at all ", 200))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "is not a valid SQLite file") {
		t.Fatalf("want a clear corrupt-file error, got %v", err)
	}
}

func TestOpenUnreachablePostgresFailsClearly(t *testing.T) {
	_, err := store.Open(context.Background(), "postgres://nobody@127.0.0.1:1/vivier?sslmode=disable", store.Options{ConnectTimeout: 3 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "cannot reach PostgreSQL at postgres://127.0.0.1:1/vivier") {
		t.Fatalf("want a clear unreachable error, got %v", err)
	}
}

func TestOpenMissingFolderFailsClearly(t *testing.T) {
	_, err := store.Open(context.Background(), "/no/such/folder/vivier.db", store.Options{})
	if err == nil || !strings.Contains(err.Error(), "folder /no/such/folder does not exist") {
		t.Fatalf("want a clear missing-folder error, got %v", err)
	}
}

// TestAMigrationNumberedBelowTheCurrentVersionIsStillApplied: two branches
// developed side by side may add migration 27 after 30 was applied; it must
// be applied, not skipped.
func TestAMigrationNumberedBelowTheCurrentVersionIsStillApplied(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		current, _ := db.SchemaVersion(ctx)
		late := store.Migration{Version: current + 2, Name: "late", SQL: "CREATE TABLE late_table (id INTEGER PRIMARY KEY)"}
		early := store.Migration{Version: current + 1, Name: "early", SQL: "CREATE TABLE early_table (id INTEGER PRIMARY KEY)"}
		if _, err := db.MigrateList(ctx, []store.Migration{late}); err != nil {
			t.Fatal(err)
		}
		applied, err := db.MigrateList(ctx, []store.Migration{early, late})
		if err != nil || len(applied) != 1 || applied[0].Name != "early" {
			t.Fatalf("applied %v, %v; want the early migration", applied, err)
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM early_table").Scan(&n); err != nil {
			t.Fatalf("early_table: %v", err)
		}
	})
}
