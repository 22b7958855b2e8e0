package audit_test

import (
	"context"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// TestServiceAccess reads the audit log as every actor: it is staff's.
func TestServiceAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		s := audit.New(audit.Options{DB: db})
		if err := audit.Record(ctx, db, audit.Entry{Actor: access.System, Action: "test.entry", SubjectUserID: w.Users[at.ExpertA]}); err != nil {
			t.Fatal(err)
		}
		staffOnly := at.All(at.Forbidden).Set(at.OK, at.Staff...)
		ops := []at.Op{
			{Name: "List", Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				lines, total, err := s.List(ctx, audit.Filter{Action: "test.entry"}, a)
				if err == nil && (total != 1 || len(lines) != 1) {
					return store.NotFound("the entry in the log")
				}
				return err
			}},
			{Name: "Actions", Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Actions(ctx, a)
				return err
			}},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
