package audit_test

import (
	"context"
	"fmt"
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

// TestListNamesSubjects: an entry about a record carries the record's
// name, read when the log is shown; an entry about a record that is gone
// keeps its number only. Every kind the page names is read on the engine.
func TestListNamesSubjects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		agency := w.Orgs["agence"]
		var name string
		if err := db.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = $1`, agency).Scan(&name); err != nil {
			t.Fatal(err)
		}
		kinds := []string{"need", "expert", "mission", "proposal", "event", "training", "session", "campaign", "newsletter_list",
			"partner", "membership", "representation", "publication", "press_mention", "audience_account"}
		for _, kind := range kinds {
			if err := audit.Record(ctx, db, audit.Entry{Actor: access.System, Action: "test.gone", Subject: kind + ":999999"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := audit.Record(ctx, db, audit.Entry{Actor: access.System, Action: "test.named", Subject: fmt.Sprintf("member:%d", agency)}); err != nil {
			t.Fatal(err)
		}
		s := audit.New(audit.Options{DB: db})
		lines, _, err := s.List(ctx, audit.Filter{Action: "test.", Limit: 100}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != len(kinds)+1 {
			t.Fatalf("%d entries, want %d", len(lines), len(kinds)+1)
		}
		for _, l := range lines {
			want := ""
			if l.Action == "test.named" {
				want = name
			}
			if l.SubjectTitle != want {
				t.Errorf("%s: named %q, want %q", l.Subject, l.SubjectTitle, want)
			}
		}
	})
}
