package mail_test

import (
	"context"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestOutboxAccess reads the outbox as every actor: messages hold people's
// addresses and links, so it is the administrators'.
func TestOutboxAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		if err := mail.Enqueue(ctx, db, message("access-test")); err != nil {
			t.Fatal(err)
		}
		s := mail.NewSender(mail.Options{DB: db, Transport: nil, Name: "access-test"})
		adminOnly := at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem)
		ops := []at.Op{
			{Name: "Outbox", Want: adminOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				list, err := s.Outbox(ctx, "", 10, a)
				if err == nil && len(list) != 1 {
					return store.NotFound("the message in the outbox")
				}
				return err
			}},
			{Name: "Counts", Want: adminOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Counts(ctx, a)
				return err
			}},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
