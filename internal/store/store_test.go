package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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

// TestSchemasMatch migrates both engines and compares every table — its
// columns with their common type, nullability and default, its primary key
// and its indexes — and every trigger: the two schemas must mean the same
// thing. Where the engines do one job differently, the difference is listed
// here (engineOnly), with its reason.
func TestSchemasMatch(t *testing.T) {
	ctx := context.Background()
	lite, err := store.ReadSchema(ctx, storetest.Open(t, store.SQLite))
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.ReadSchema(ctx, storetest.Open(t, store.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range lite.Tables {
		b, ok := pg.Tables[name]
		if !ok {
			t.Errorf("table %s exists only on SQLite", name)
			continue
		}
		if !reflect.DeepEqual(a.Columns, b.Columns) {
			t.Errorf("table %s: columns differ:\nsqlite:   %+v\npostgres: %+v", name, a.Columns, b.Columns)
		}
		if !reflect.DeepEqual(a.PrimaryKey, b.PrimaryKey) {
			t.Errorf("table %s: primary key differs: sqlite %v, postgres %v", name, a.PrimaryKey, b.PrimaryKey)
		}
		ia, ib := withoutEngineOnly(store.SQLite, a.Indexes), withoutEngineOnly(store.Postgres, b.Indexes)
		if !reflect.DeepEqual(ia, ib) {
			t.Errorf("table %s: indexes differ:\nsqlite:   %+v\npostgres: %+v", name, ia, ib)
		}
	}
	for name := range pg.Tables {
		if _, ok := lite.Tables[name]; !ok {
			t.Errorf("table %s exists only on PostgreSQL", name)
		}
	}
	ta, tb := firings(withoutEngineOnly(store.SQLite, lite.Triggers)), firings(withoutEngineOnly(store.Postgres, pg.Triggers))
	if !reflect.DeepEqual(ta, tb) {
		t.Errorf("triggers differ:\nsqlite:   %v\npostgres: %v", ta, tb)
	}
}

// firings lists when triggers fire ("BEFORE UPDATE ON audit_log"), without
// their names: one PostgreSQL trigger may fire on several events (its
// function tells them apart) where SQLite needs one trigger per event, so
// the engines' names differ. A trigger's WHEN clause on SQLite is a test
// in the function on PostgreSQL, which this does not compare.
func firings(list []store.Trigger) []string {
	var out []string
	for _, tr := range list {
		f := tr.Timing + " " + tr.Event + " ON " + tr.Table
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// engineOnly lists, by name, the indexes and triggers that one engine has
// and the other does without, because it does the same job another way.
var engineOnly = map[store.Engine]map[string]string{
	store.SQLite: {
		// Keep the FTS5 tables of search in step with the documents.
		"expert_search_ai": "FTS5", "expert_search_ad": "FTS5", "expert_search_au": "FTS5",
		"need_search_ai": "FTS5", "need_search_ad": "FTS5", "need_search_au": "FTS5",
		"publication_search_ai": "FTS5", "publication_search_ad": "FTS5", "publication_search_au": "FTS5",
	},
	store.Postgres: {
		// The GIN indexes over to_tsvector that answer the text
		// searches, which SQLite's FTS5 tables answer.
		"expert_search_tokens": "GIN", "need_search_tokens": "GIN",
		"publication_search_tokens": "GIN",
	},
}

func withoutEngineOnly[T interface{ store.Index | store.Trigger }](engine store.Engine, list []T) []T {
	var out []T
	for _, x := range list {
		var name string
		switch v := any(x).(type) {
		case store.Index:
			name = v.Name
		case store.Trigger:
			name = v.Name
		}
		if engineOnly[engine][name] == "" {
			out = append(out, x)
		}
	}
	return out
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

// TestRefusesAMigrationItDoesNotKnow: whatever its number, a migration
// applied by another build (another branch) means a schema this code does
// not expect. Start-up (Migrate) and CheckSchema refuse it, and apply
// nothing.
func TestRefusesAMigrationItDoesNotKnow(t *testing.T) {
	all, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	last := all[len(all)-1]
	cases := []struct {
		name string
		sql  string // run on a database migrated up to last.Version-1
		want string
	}{
		{"below the newest", "INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, 'mystery', $1)",
			"database has migrations applied that this binary does not know: 0007_mystery;"},
		{"a known number under another name", fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'other_branch', $1)", last.Version),
			fmt.Sprintf("does not know: %04d_other_branch (this binary's %04d is %s);", last.Version, last.Version, last.Name)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.EachEmpty(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				if _, err := db.MigrateTo(ctx, last.Version-1); err != nil {
					t.Fatal(err)
				}
				if _, err := db.ExecContext(ctx, c.sql, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
				applied, err := db.Migrate(ctx)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("Migrate: want an error containing %q, got %v", c.want, err)
				}
				if len(applied) != 0 {
					t.Errorf("Migrate applied %v on a schema it does not know", applied)
				}
				if err := db.CheckSchema(ctx); err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("CheckSchema: want an error containing %q, got %v", c.want, err)
				}
			})
		})
	}
}

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

// TestMigrationTimesAreUTC: applied_at holds the instant a migration was
// applied, also when the PostgreSQL session runs in another time zone and
// a migration changes schema_migrations itself (0035).
func TestMigrationTimesAreUTC(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			source := storetest.Source(t, engine)
			if engine == store.Postgres {
				source += "&timezone=Pacific/Auckland"
			}
			db, err := store.Open(ctx, source, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			start := time.Now().Add(-time.Second)
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			end := time.Now().Add(time.Second)
			rows, err := db.QueryContext(ctx, "SELECT version, applied_at FROM schema_migrations ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var v int
				var at time.Time
				if err := rows.Scan(&v, &at); err != nil {
					t.Fatal(err)
				}
				if at.Before(start) || at.After(end) {
					t.Errorf("migration %04d applied at %v, not between %v and %v", v, at.UTC(), start.UTC(), end.UTC())
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
