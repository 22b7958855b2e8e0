package event_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/event"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// BenchmarkRegister measures a registration — the event's row lock, the
// count, the insert, the audit entry and the email with its .ics — from
// parallel clients, past the capacity so that half wait on the list.
//
//	go test ./internal/event -run '^$' -bench Register -benchtime 2000x
func BenchmarkRegister(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			db := storetest.Open(b, engine)
			svc := event.New(event.Options{DB: db, Now: func() time.Time { return start.Add(-48 * time.Hour) }})
			id, err := svc.Create(context.Background(), event.Input{Title: "Forum", Kind: event.Forum, StartsAt: start, EndsAt: start.Add(8 * time.Hour),
				Commune: "33063", Capacity: max(1, b.N/2)}, access.System)
			if err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if _, err := svc.Register(context.Background(), id, event.RegistrationInput{Email: fmt.Sprintf("p%d@exemple.fr", i), Name: "P"}, access.System); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
