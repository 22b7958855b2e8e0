package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// journalRow changes the matching weights, which the journal triggers
// record with the time of the change, and returns the row's seq and that
// time as read back.
func journalRow(t *testing.T, db *store.DB) (int64, time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('match.weights', '{}', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	var seq int64
	var at time.Time
	if err := db.QueryRowContext(ctx, `SELECT seq, changed_at FROM expert_changes ORDER BY seq DESC LIMIT 1`).Scan(&seq, &at); err != nil {
		t.Fatal(err)
	}
	return seq, at
}

// compares checks that a time.Time parameter compares with the timestamp
// at of the journal row seq as instants do, on the engine's text or
// TIMESTAMPTZ alike: package match prunes the journal with such a
// parameter, and must not know the engine.
func compares(t *testing.T, db *store.DB, seq int64, at time.Time) {
	t.Helper()
	ctx := context.Background()
	for _, c := range []struct {
		cond string
		arg  time.Time
		want int
	}{
		{"changed_at = $1", at, 1},
		{"changed_at < $1", at, 0},
		{"changed_at < $1", at.Add(time.Millisecond), 1},
		{"changed_at > $1", at.Add(-time.Millisecond), 1},
		{"changed_at > $1", at, 0},
	} {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM expert_changes WHERE seq = $2 AND `+c.cond, c.arg.UTC(), seq).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != c.want {
			t.Errorf("row %d at %s: %s with $1 = %s: %d rows, want %d", seq, at.Format(time.RFC3339Nano), c.cond, c.arg.UTC().Format(time.RFC3339Nano), n, c.want)
		}
	}
}

func TestJournalTimestampsCompareWithTimeParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		before := time.Now().UTC().Truncate(time.Millisecond)
		seq, at := journalRow(t, db)
		if after := time.Now().UTC(); at.Before(before) || at.After(after) {
			t.Errorf("journal row at %v, written between %v and %v", at, before, after)
		}
		compares(t, db, seq, at)
		if db.Engine() == store.SQLite {
			// The very text the driver would write for this instant.
			var text string
			if err := db.QueryRowContext(context.Background(), `SELECT changed_at || '' FROM expert_changes`).Scan(&text); err != nil {
				t.Fatal(err)
			}
			if want := at.UTC().Format(store.SQLiteTimeLayout); text != want {
				t.Errorf("trigger wrote %q, the driver writes %q", text, want)
			}
		}
	})
}

// TestJournalRowsWrittenBeforeMigration34CompareToo: the rows the SQLite
// triggers wrote in their former layout ('… 14:30:10.000') are rewritten by
// the migration, also those whose fraction ends in zeros.
func TestJournalRowsWrittenBeforeMigration34CompareToo(t *testing.T) {
	storetest.EachEmpty(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 33); err != nil {
			t.Fatal(err)
		}
		rows := map[int64]time.Time{}
		seq, at := journalRow(t, db)
		rows[seq] = at
		for _, old := range []string{"2026-11-25 14:30:00.000", "2026-11-25 14:30:10.100", "2026-11-25 14:30:10.120", "2026-11-25 14:30:10.123"} {
			at, err := time.Parse("2006-01-02 15:04:05.000", old)
			if err != nil {
				t.Fatal(err)
			}
			var value any = at
			if db.Engine() == store.SQLite {
				value = old // as the former triggers wrote it
			}
			err = db.Tx(ctx, func(tx *sql.Tx) error {
				return tx.QueryRowContext(ctx, `INSERT INTO expert_changes (expert_id, changed_at) VALUES (1, $1) RETURNING seq`, value).Scan(&seq)
			})
			if err != nil {
				t.Fatal(err)
			}
			rows[seq] = at
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for seq, at := range rows {
			compares(t, db, seq, at)
		}
	})
}
