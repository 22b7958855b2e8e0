package store

import "context"

// MigrateList applies the given migrations instead of the embedded ones, so
// tests can check what a failing migration leaves behind.
func (db *DB) MigrateList(ctx context.Context, list []Migration) ([]Migration, error) {
	return db.migrate(ctx, list)
}
