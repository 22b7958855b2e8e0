package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestBackupUnderWriteLoad takes a backup while a writer keeps committing and
// checks that the copy opens, passes its integrity check and holds every row
// committed before the backup began.
func TestBackupUnderWriteLoad(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	if _, err := db.ExecContext(ctx, "CREATE TABLE load (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	var committed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := int64(1); ; id++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.ExecContext(ctx, "INSERT INTO load (id, payload) VALUES ($1, $2)", id, strings.Repeat("x", 500)); err != nil {
				t.Error(err)
				return
			}
			committed.Store(id)
		}
	}()
	for committed.Load() < 2000 {
		time.Sleep(time.Millisecond)
	}
	before := committed.Load()
	dest := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(ctx, dest)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}

	copy, err := store.Open(ctx, dest, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	if err := copy.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	var n int64
	copy.QueryRowContext(ctx, "SELECT count(*) FROM load WHERE id <= $1", before).Scan(&n)
	if n != before {
		t.Errorf("backup holds %d of the %d rows committed before it began", n, before)
	}
	if err := copy.CheckSchema(ctx); err != nil {
		t.Errorf("backup schema: %v", err)
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	dest := filepath.Join(t.TempDir(), "b.db")
	if err := db.Backup(context.Background(), dest); err != nil {
		t.Fatal(err)
	}
	err := db.Backup(context.Background(), dest)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("want a refusal to overwrite, got %v", err)
	}
}

func TestBackupOnPostgresPointsToPgDump(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if !errors.Is(err, store.ErrBackupPostgres) || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("want the pg_dump advice, got %v", err)
	}
}
