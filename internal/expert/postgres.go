package expert

import (
	"context"
	"database/sql"
	"strconv"

	"vivier/internal/store"
)

// postgresDialect computes with DATE columns.
type postgresDialect struct{}

// bulk needs nothing on PostgreSQL.
func (postgresDialect) bulk(context.Context, *sql.Tx) (restore func()) { return func() {} }

// analyze refreshes the planner's statistics after a large import:
// autovacuum would, but only later, and until then PostgreSQL plans the
// list as if the pool were empty.
func (postgresDialect) analyze(ctx context.Context, db *store.DB) error {
	_, err := db.ExecContext(ctx, `ANALYZE experts, expert_skills, expert_zones, expert_availability, expert_spans, expert_search`)
	return err
}

// placeholder is "$i".
func (postgresDialect) placeholder(i int) string { return "$" + strconv.Itoa(i) }

// textIDs: none. PostgreSQL counts a text filter through the IN form: a
// rare word's count joined to experts took 400 ms (« Lefèvre »).
func (postgresDialect) textIDs(string) string { return "" }

// fence: a subquery with OFFSET 0 is never pulled up into its query.
func (postgresDialect) fence() string { return " OFFSET 0" }

// keyOnlyHint: the plain column; PostgreSQL already reads the probes
// through the primary key, and an expression there made the region and
// skill list 38 → 68 ms.
func (postgresDialect) keyOnlyHint(column string) string { return column }
