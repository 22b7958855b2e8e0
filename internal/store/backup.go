package store

import (
	"context"
	"errors"
)

// ErrBackupPostgres explains that PostgreSQL databases are backed up with
// PostgreSQL's own tools.
var ErrBackupPostgres = errors.New("vivier backup copies SQLite databases only; for PostgreSQL use pg_dump (e.g. pg_dump -Fc -f vivier.dump \"$VIVIER_DATABASE_URL\")")

// Backup writes a consistent copy of a live SQLite database to dest, which
// must not exist: the copy holds exactly the commits made before it began,
// even while the application keeps writing, and opens as a normal database.
// On PostgreSQL it returns ErrBackupPostgres.
func (db *DB) Backup(ctx context.Context, dest string) error {
	return db.dialect.backup(ctx, db, dest)
}

// IntegrityCheck asks the engine to verify the database. On SQLite it runs
// PRAGMA integrity_check; on PostgreSQL it checks every B-tree index with the
// amcheck extension when it is installed.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	return db.dialect.integrityCheck(ctx, db)
}
