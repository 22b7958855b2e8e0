package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAuditLogIsAppendOnly: the triggers of migration 0011 refuse to
// rewrite or remove an entry, whoever asks.
func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, `INSERT INTO audit_log (at, action, subject, details, ip) VALUES ($1, 'account.login', 'user:1', '{}', '127.0.0.1')`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ name, sql string }{
			{"update", `UPDATE audit_log SET action = 'account.nothing_happened'`},
			{"update in a transaction", `UPDATE audit_log SET details = '{"rewritten": true}'`},
			{"delete", `DELETE FROM audit_log`},
		} {
			var err error
			if strings.Contains(c.name, "transaction") {
				err = db.Tx(ctx, func(tx *sql.Tx) error {
					_, err := tx.ExecContext(ctx, c.sql)
					return err
				})
			} else {
				_, err = db.ExecContext(ctx, c.sql)
			}
			if err == nil || !strings.Contains(err.Error(), "audit_log is append-only") {
				t.Errorf("%s: want the append-only refusal, got %v", c.name, err)
			}
		}
		var action, details string
		if err := db.QueryRowContext(ctx, `SELECT action, details FROM audit_log`).Scan(&action, &details); err != nil {
			t.Fatal(err)
		}
		if action != "account.login" || details != "{}" {
			t.Errorf("entry now %s %s, want it as written", action, details)
		}
	})
}
