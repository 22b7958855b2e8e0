package mail_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAttachmentsGoThroughTheOutboxAndSMTP checks that a file attached to a
// message is kept by the outbox and arrives over SMTP as an attachment.
func TestAttachmentsGoThroughTheOutboxAndSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ics := []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
		m := message("event-confirm:1")
		m.Attachments = []mail.Attachment{{Name: "invitation.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: ics}}
		if err := mail.Enqueue(ctx, db, m); err != nil {
			t.Fatal(err)
		}
		list, err := mail.List(ctx, db, "", 0)
		if err != nil || len(list) != 1 || len(list[0].Message.Attachments) != 1 || string(list[0].Message.Attachments[0].Data) != string(ics) {
			t.Fatalf("outbox: %+v %v", list, err)
		}
		srv := newSMTPServer(t, plainServer, "", "")
		env := envelope()
		env.Message = list[0].Message
		if err := srv.transport(t, mail.NoTLS).Send(ctx, env); err != nil {
			t.Fatal(err)
		}
		got := srv.messages()
		if len(got) != 1 {
			t.Fatalf("received %d messages", len(got))
		}
		raw := strings.ReplaceAll(got[0].Content, "\r\n", "\n")
		if !strings.Contains(raw, `filename="invitation.ics"`) || !strings.Contains(raw, "text/calendar") ||
			!strings.Contains(strings.ReplaceAll(raw, "\n", ""), base64.StdEncoding.EncodeToString(ics)) {
			t.Errorf("the attachment is not in the message:\n%s", raw)
		}
	})
}
