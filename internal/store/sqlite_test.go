package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestSQLiteConnectionSettings checks, on the writer connection and on
// every connection of the reader pool, the settings docs/architecture.md
// promises: WAL, synchronous=FULL (an acknowledged write survives a power
// cut), foreign keys, a 10 s busy timeout and the memory-mapped reads; and
// statement journals in memory on the writer.
func TestSQLiteConnectionSettings(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	want := map[string]string{
		"journal_mode": "wal",
		"synchronous":  "2", // FULL
		"foreign_keys": "1",
		"busy_timeout": "10000",
		"mmap_size":    "1073741824",
	}
	check := func(who string, conn *sql.Conn, want map[string]string) {
		t.Helper()
		for pragma, value := range want {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("%s: PRAGMA %s: %v", who, pragma, err)
			}
			if got != value {
				t.Errorf("%s: PRAGMA %s = %s, want %s", who, pragma, got, value)
			}
		}
	}
	w, err := db.Writer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("writer", w, want)
	check("writer", w, map[string]string{"temp_store": "2"}) // MEMORY
	w.Close()

	n := db.ReaderPoolSize()
	if n < 2 {
		t.Fatalf("reader pool of %d connections", n)
	}
	readers, done, err := db.Readers(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	for i, r := range readers {
		check(fmt.Sprintf("reader %d of %d", i+1, n), r, want)
	}
}
