package mail

import "vivier/internal/store"

// skipLocked is what the claim's subquery adds on engine: on PostgreSQL,
// rows another sender is claiming right now are skipped instead of waited
// for; SQLite has no row locks (its writers take turns), so nothing.
func skipLocked(engine store.Engine) string {
	if engine == store.Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
