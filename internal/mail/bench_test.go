package mail_test

import (
	"context"
	"fmt"
	"testing"

	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// BenchmarkSendDue measures the outbox's own cost per message — claim,
// hand to a transport that does nothing (the log transport, discarded),
// mark sent — in batches of 10.
func BenchmarkSendDue(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			db := storetest.Open(b, engine)
			ctx := context.Background()
			s := mail.NewSender(mail.Options{DB: db, Transport: mail.LogTransport{Logger: quietLogger()}, Logger: quietLogger()})
			for i := range b.N {
				m := message(fmt.Sprint("bench:", i))
				if err := mail.Enqueue(ctx, db, m); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			sent := 0
			for sent < b.N {
				n, err := s.SendDue(ctx)
				if err != nil {
					b.Fatal(err)
				}
				sent += n
			}
		})
	}
}
