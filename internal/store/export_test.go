package store

import (
	"context"
	"slices"
)

// MigrateList applies the embedded migrations and then the given ones, so
// tests can check what a failing or a late migration does.
func (db *DB) MigrateList(ctx context.Context, list []Migration) ([]Migration, error) {
	all, err := Migrations(db.engine)
	if err != nil {
		return nil, err
	}
	all = append(all, list...)
	slices.SortFunc(all, func(a, b Migration) int { return a.Version - b.Version })
	return db.migrate(ctx, all)
}

// MigrateTo applies the embedded migrations up to version, so tests can
// check what a migration does to rows written before it.
func (db *DB) MigrateTo(ctx context.Context, version int) ([]Migration, error) {
	all, err := Migrations(db.engine)
	if err != nil {
		return nil, err
	}
	return db.migrate(ctx, slices.DeleteFunc(all, func(m Migration) bool { return m.Version > version }))
}

// SQLiteTimeLayout is the layout in which the driver writes a time.Time.
const SQLiteTimeLayout = sqliteTimeLayout
