package store

import (
	"context"
	"database/sql"
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

// Writer and Readers give tests the connections behind db: the writer
// connection, and n connections of the reader pool held at once (so they
// are n different ones), released when done is called.
func (db *DB) Writer(ctx context.Context) (*sql.Conn, error) { return db.write.Conn(ctx) }

// Readers: see Writer.
func (db *DB) Readers(ctx context.Context, n int) (conns []*sql.Conn, done func(), err error) {
	done = func() {
		for _, c := range conns {
			c.Close()
		}
	}
	for range n {
		c, err := db.read.Conn(ctx)
		if err != nil {
			done()
			return nil, nil, err
		}
		conns = append(conns, c)
	}
	return conns, done, nil
}

// ReaderPoolSize is how many connections the reader pool holds at most.
func (db *DB) ReaderPoolSize() int { return db.read.Stats().MaxOpenConnections }

// SQLiteTimeLayout is the layout in which the driver writes a time.Time.
const SQLiteTimeLayout = sqliteTimeLayout
