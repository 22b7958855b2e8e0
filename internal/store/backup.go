package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupPostgres explains that PostgreSQL databases are backed up with
// PostgreSQL's own tools.
var ErrBackupPostgres = errors.New("vivier backup copies SQLite databases only; for PostgreSQL use pg_dump (e.g. pg_dump -Fc -f vivier.dump \"$VIVIER_DATABASE_URL\")")

// Backup writes a consistent copy of a live SQLite database to dest, which
// must not exist. VACUUM INTO reads the database inside one read transaction,
// so the copy holds exactly the commits made before it began, even while the
// application keeps writing; the copy is compact and ready to open.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if db.engine != SQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup file %s already exists: choose another name", dest)
	}
	if _, err := db.read.ExecContext(ctx, "VACUUM INTO $1", dest); err != nil {
		os.Remove(dest)
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return nil
}

// IntegrityCheck asks the engine to verify the database. On SQLite it runs
// PRAGMA integrity_check; on PostgreSQL it checks every B-tree index with the
// amcheck extension when it is installed.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.engine == SQLite {
		var res string
		if err := db.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
			return err
		}
		if res != "ok" {
			return fmt.Errorf("integrity check failed: %s", res)
		}
		return nil
	}
	return db.postgresAmcheck(ctx)
}
