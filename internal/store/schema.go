package store

import (
	"context"
	"fmt"
	"sort"
)

// Column describes a table column as both engines can report it.
type Column struct {
	Name    string
	NotNull bool
}

// Columns lists every application table with its columns in name order. It
// lets tests prove that both engines' migrations build the same schema.
func Columns(ctx context.Context, db *DB) (map[string][]Column, error) {
	query := `SELECT m.name, p.name, p."notnull" OR p.pk > 0
		FROM sqlite_schema m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.sql NOT LIKE 'CREATE VIRTUAL%'
		  AND m.name NOT IN (SELECT name FROM sqlite_schema WHERE sql LIKE 'CREATE VIRTUAL%')
		  AND m.name NOT LIKE '%\_fts\_%' ESCAPE '\'`
	if db.engine == Postgres {
		query = `SELECT table_name, column_name, is_nullable = 'NO'
			FROM information_schema.columns WHERE table_schema = 'public'`
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list columns: %w", err)
	}
	defer rows.Close()
	tables := map[string][]Column{}
	for rows.Next() {
		var table string
		var c Column
		if err := rows.Scan(&table, &c.Name, &c.NotNull); err != nil {
			return nil, err
		}
		tables[table] = append(tables[table], c)
	}
	for _, cols := range tables {
		sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	}
	return tables, rows.Err()
}
