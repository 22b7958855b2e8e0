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
	_, err := db.ExecContext(ctx, `ANALYZE experts, expert_skills, expert_zones, expert_coverage, expert_availability, expert_spans, expert_search`)
	return err
}

// placeholder is "$i".
func (postgresDialect) placeholder(i int) string { return "$" + strconv.Itoa(i) }

// textIDs: the subquery selects expert_search.expert_id.
func (postgresDialect) textIDs(match string) string {
	return `SELECT t.expert_id AS id FROM (` + match + `) t`
}
