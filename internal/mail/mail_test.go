package mail_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"testing"

	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func message(key string) mail.Message {
	return mail.Message{
		To:      "Élodie Martin <elodie@example.org>",
		Subject: "Invitation à rejoindre Vivier",
		Text:    "Bonjour Élodie,\n\nVous êtes invitée.",
		HTML:    "<p>Bonjour Élodie,</p><p>Vous êtes invitée.</p>",
		Key:     key,
	}
}

func TestEnqueueFollowsTheCallersTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rollback := errors.New("the domain change failed")
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if err := mail.Enqueue(ctx, tx, message("invite:1")); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("Tx: %v", err)
		}
		if list := mustList(t, db); len(list) != 0 {
			t.Fatalf("a rolled-back transaction left %d messages in the outbox", len(list))
		}
		err = db.Tx(ctx, func(tx *sql.Tx) error { return mail.Enqueue(ctx, tx, message("invite:2")) })
		if err != nil {
			t.Fatal(err)
		}
		list := mustList(t, db)
		if len(list) != 1 || !reflect.DeepEqual(list[0].Message, message("invite:2")) || list[0].Status != mail.Pending {
			t.Fatalf("outbox after a committed enqueue: %+v", list)
		}
	})
}

func TestEnqueueTwiceWithOneKeyKeepsOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for range 2 {
			// In one transaction with another statement after it: on
			// PostgreSQL a failed insert would abort the transaction.
			err := db.Tx(ctx, func(tx *sql.Tx) error {
				if err := mail.Enqueue(ctx, tx, message("magic-link:7")); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, "SELECT 1")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if err := mail.Enqueue(ctx, db, message("")); err != nil {
				t.Fatal(err)
			}
		}
		if list := mustList(t, db); len(list) != 3 {
			t.Fatalf("want 1 message for the key and 2 without a key, got %d", len(list))
		}
	})
}

func TestEnqueueRejectsIncompleteMessages(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	tests := []struct {
		name string
		edit func(*mail.Message)
	}{
		{"no recipient", func(m *mail.Message) { m.To = "" }},
		{"bad recipient", func(m *mail.Message) { m.To = "pas une adresse" }},
		{"no subject", func(m *mail.Message) { m.Subject = " " }},
		{"subject with a line break", func(m *mail.Message) { m.Subject = "a\r\nBcc: x@y.z" }},
		{"no text", func(m *mail.Message) { m.Text = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := message(tt.name)
			tt.edit(&m)
			if err := mail.Enqueue(context.Background(), db, m); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if list := mustList(t, db); len(list) != 0 {
		t.Fatalf("%d invalid messages written", len(list))
	}
}

func mustList(t *testing.T, db *store.DB) []mail.Entry {
	t.Helper()
	list, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
