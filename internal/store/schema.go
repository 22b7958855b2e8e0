package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Schema describes the application's tables and triggers as the engine
// reports them, in words common to both engines, so that a test can prove
// that both engines' migrations build the same schema.
type Schema struct {
	Tables map[string]*Table
	// Triggers are listed once per event they fire on, in order.
	Triggers []Trigger
}

// Table describes one table.
type Table struct {
	Columns    []Column // in name order
	PrimaryKey []string // its columns, in the key's order
	Indexes    []Index  // in name order, the constraints' indexes first
}

// Column describes a table column.
type Column struct {
	Name string
	// Type is one of integer, text, timestamp, date, boolean, real and
	// blob (SQLite's INTEGER and PostgreSQL's BIGINT are both integer;
	// TIMESTAMP and TIMESTAMPTZ both timestamp), or else the engine's own
	// name of the type, which then matches nothing on the other engine.
	Type    string
	NotNull bool
	// Default is the default value as SQL writes it, without PostgreSQL's
	// casts ('fr', 0, false, now); "" when there is none, and for ids
	// that the engine hands out.
	Default string
}

// Index describes an index other than the primary key's.
type Index struct {
	// Name is "" for the index of a UNIQUE constraint, which each engine
	// names its own way.
	Name string
	// Columns are the indexed columns in order; an expression is written
	// "(expression)".
	Columns []string
	Unique  bool
	// Partial says the index has a WHERE clause (the clauses themselves
	// are written differently by each engine).
	Partial bool
}

// Trigger is one event a trigger fires on: a PostgreSQL trigger that fires
// on UPDATE OR DELETE is listed twice.
type Trigger struct {
	Table  string
	Name   string
	Timing string // BEFORE, AFTER or INSTEAD OF
	Event  string // INSERT, UPDATE or DELETE
}

// String reads like the trigger's definition: "name AFTER INSERT ON table".
func (tr Trigger) String() string {
	return fmt.Sprintf("%s %s %s ON %s", tr.Name, tr.Timing, tr.Event, tr.Table)
}

// ReadSchema describes db's schema.
func ReadSchema(ctx context.Context, db *DB) (Schema, error) {
	s, err := db.dialect.schema(ctx, db)
	if err != nil {
		return Schema{}, fmt.Errorf("read schema: %w", err)
	}
	for _, t := range s.Tables {
		slices.SortFunc(t.Columns, func(a, b Column) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.Indexes, func(a, b Index) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return slices.Compare(a.Columns, b.Columns)
		})
	}
	slices.SortFunc(s.Triggers, func(a, b Trigger) int { return strings.Compare(a.String(), b.String()) })
	return s, nil
}

func (s *Schema) table(name string) *Table {
	if s.Tables == nil {
		s.Tables = map[string]*Table{}
	}
	t := s.Tables[name]
	if t == nil {
		t = &Table{}
		s.Tables[name] = t
	}
	return t
}

// commonType maps an engine's name of a column type to the common one.
func commonType(engineType string) string {
	t := strings.ToLower(strings.TrimSpace(engineType))
	switch t {
	case "integer", "int", "bigint", "smallint":
		return "integer"
	case "text", "character varying", "varchar":
		return "text"
	case "timestamp", "timestamp with time zone", "timestamptz":
		return "timestamp"
	case "date":
		return "date"
	case "boolean":
		return "boolean"
	case "real", "double precision", "double", "float":
		return "real"
	case "blob", "bytea":
		return "blob"
	}
	// Among them PostgreSQL's "timestamp without time zone": our instants
	// are TIMESTAMPTZ, and a column of local times must show up.
	return t
}

// pgCast is PostgreSQL's cast in a default value, such as 'fr'::text.
var pgCast = regexp.MustCompile(`::[a-z ]+(\[\])?$`)

// commonDefault writes a column default the same way for both engines.
func commonDefault(def, typ string) string {
	d := strings.TrimSpace(def)
	for strings.HasPrefix(d, "(") && strings.HasSuffix(d, ")") {
		d = strings.TrimSpace(d[1 : len(d)-1])
	}
	d = pgCast.ReplaceAllString(d, "")
	switch strings.ToLower(d) {
	case "current_timestamp", "now()":
		return "now"
	case "true", "false":
		return strings.ToLower(d)
	}
	if typ == "boolean" && (d == "0" || d == "1") {
		return map[string]string{"0": "false", "1": "true"}[d]
	}
	return d
}

// sqliteSchema reads the schema from sqlite_schema and the table pragmas,
// leaving out SQLite's own tables and the FTS5 tables of search, which
// PostgreSQL answers with GIN indexes instead.
func sqliteSchema(ctx context.Context, db *DB) (Schema, error) {
	var s Schema
	rows, err := db.read.QueryContext(ctx, `
		SELECT m.name, p.name, p.type, p."notnull" OR p.pk > 0, coalesce(p.dflt_value, ''), p.pk
		FROM sqlite_schema m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.sql NOT LIKE 'CREATE VIRTUAL%'
		  AND m.name NOT IN (SELECT name || suffix FROM sqlite_schema,
		    (SELECT '_data' AS suffix UNION ALL SELECT '_idx' UNION ALL SELECT '_docsize' UNION ALL SELECT '_config' UNION ALL SELECT '_content')
		    WHERE sql LIKE 'CREATE VIRTUAL%')
		ORDER BY m.name, p.pk`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var c Column
		var typ, def string
		var pk int
		if err := rows.Scan(&table, &c.Name, &typ, &c.NotNull, &def, &pk); err != nil {
			return s, err
		}
		c.Type = commonType(typ)
		c.Default = commonDefault(def, c.Type)
		t := s.table(table)
		t.Columns = append(t.Columns, c)
		if pk > 0 {
			t.PrimaryKey = append(t.PrimaryKey, c.Name)
		}
	}
	if err := rows.Err(); err != nil {
		return s, err
	}

	// origin: c for CREATE INDEX, u for a UNIQUE constraint, pk for the
	// primary key (already read above).
	rows, err = db.read.QueryContext(ctx, `
		SELECT m.name, l.name, l."unique", l.partial, l.origin, coalesce(i.name, '(expression)')
		FROM sqlite_schema m JOIN pragma_index_list(m.name) l JOIN pragma_index_info(l.name) i
		WHERE m.type = 'table' AND l.origin <> 'pk'
		ORDER BY m.name, l.name, i.seqno`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, name, origin, column string
		var unique, partial bool
		if err := rows.Scan(&table, &name, &unique, &partial, &origin, &column); err != nil {
			return s, err
		}
		t, ok := s.Tables[table]
		if !ok {
			continue
		}
		if origin == "u" {
			name = "sqlite_autoindex:" + name // named "" below, once its columns are read
		}
		if n := len(t.Indexes); n > 0 && t.Indexes[n-1].Name == name {
			t.Indexes[n-1].Columns = append(t.Indexes[n-1].Columns, column)
			continue
		}
		t.Indexes = append(t.Indexes, Index{Name: name, Columns: []string{column}, Unique: unique, Partial: partial})
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	for _, t := range s.Tables {
		for i := range t.Indexes {
			if strings.HasPrefix(t.Indexes[i].Name, "sqlite_autoindex:") {
				t.Indexes[i].Name = ""
			}
		}
	}

	rows, err = db.read.QueryContext(ctx, `SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger'`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, table, sql string
		if err := rows.Scan(&name, &table, &sql); err != nil {
			return s, err
		}
		m := sqliteTrigger.FindStringSubmatch(strings.Join(strings.Fields(sql), " "))
		if m == nil {
			return s, fmt.Errorf("trigger %s: cannot read when it fires", name)
		}
		timing := strings.ToUpper(m[1])
		if timing == "" {
			timing = "BEFORE" // SQLite's default
		}
		s.Triggers = append(s.Triggers, Trigger{Table: table, Name: name, Timing: timing, Event: strings.ToUpper(m[2])})
	}
	return s, rows.Err()
}

// sqliteTrigger reads when a trigger fires from its CREATE TRIGGER
// statement, as SQLite keeps it (spaces folded).
var sqliteTrigger = regexp.MustCompile(`(?i)^CREATE (?:TEMP |TEMPORARY )?TRIGGER (?:IF NOT EXISTS )?\S+ (?:(BEFORE|AFTER|INSTEAD OF) )?(INSERT|UPDATE|DELETE)\b`)

// postgresSchema reads the schema of the public schema from the catalogs.
func postgresSchema(ctx context.Context, db *DB) (Schema, error) {
	var s Schema
	rows, err := db.read.QueryContext(ctx, `
		SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO',
		       CASE WHEN c.is_identity = 'YES' THEN '' ELSE coalesce(c.column_default, '') END
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, typ, def string
		var c Column
		if err := rows.Scan(&table, &c.Name, &typ, &c.NotNull, &def); err != nil {
			return s, err
		}
		c.Type = commonType(typ)
		c.Default = commonDefault(def, c.Type)
		t := s.table(table)
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return s, err
	}

	// One row per index column; an expression has no attribute (attnum 0).
	// A UNIQUE constraint's index is recognised by its constraint.
	rows, err = db.read.QueryContext(ctx, `
		SELECT t.relname, i.relname, x.indisprimary, x.indisunique, x.indpred IS NOT NULL,
		       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype = 'u'),
		       coalesce(a.attname, '(expression)')
		FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, pos)
		LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
		WHERE n.nspname = 'public'
		ORDER BY t.relname, i.relname, k.pos`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	var last string
	for rows.Next() {
		var table, name, column string
		var primary, unique, partial, constraint bool
		if err := rows.Scan(&table, &name, &primary, &unique, &partial, &constraint, &column); err != nil {
			return s, err
		}
		t, ok := s.Tables[table]
		if !ok {
			continue
		}
		if primary {
			t.PrimaryKey = append(t.PrimaryKey, column)
			continue
		}
		if name == last {
			t.Indexes[len(t.Indexes)-1].Columns = append(t.Indexes[len(t.Indexes)-1].Columns, column)
			continue
		}
		last = name
		ix := Index{Name: name, Columns: []string{column}, Unique: unique, Partial: partial}
		if constraint {
			ix.Name = ""
		}
		t.Indexes = append(t.Indexes, ix)
	}
	if err := rows.Err(); err != nil {
		return s, err
	}

	rows, err = db.read.QueryContext(ctx, `
		SELECT event_object_table, trigger_name, action_timing, event_manipulation
		FROM information_schema.triggers WHERE trigger_schema = 'public'`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var tr Trigger
		if err := rows.Scan(&tr.Table, &tr.Name, &tr.Timing, &tr.Event); err != nil {
			return s, err
		}
		s.Triggers = append(s.Triggers, tr)
	}
	return s, rows.Err()
}
