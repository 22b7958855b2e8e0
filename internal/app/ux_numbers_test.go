package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/event"
	"vivier/internal/fr"
	"vivier/internal/mail"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestPagesGroupTheDigitsOfTheirCounts renders pages whose counts pass a
// thousand and reads them as a person does: « 1 500 places », « ligne
// 1 202 », « En attente : 1 200 », with a narrow no-break space between the
// thousands, never « 1500 ». SQLite only: the pages, not the engines, are
// under test, and each count is raised by one cheap write.
func TestPagesGroupTheDigitsOfTheirCounts(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()

	start := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Minute)
	eventID, err := ta.Events.Create(ctx, event.Input{Title: "Congrès national des agences", Kind: event.Forum, StartsAt: start, EndsAt: start.Add(6 * time.Hour),
		Commune: "75056", Address: "Palais des congrès", Capacity: 1500}, access.System)
	if err != nil {
		t.Fatal(err)
	}

	// 1 200 messages wait in the outbox, written as the services write them.
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		for i := range 1200 {
			m, err := mail.Compose(fmt.Sprintf("lecteur%d@exemple.fr", i), fmt.Sprintf("numbers:%d", i), "magic_link", mail.LinkData{URL: "https://vivier.test/l"})
			if err != nil {
				return err
			}
			if err := mail.Enqueue(ctx, tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A file of 1 201 subscribers whose last line, line 1 202, is wrong.
	list, err := ta.Newsletter.CreateList(ctx, newsletter.ListInput{Name: "La lettre des agences", Public: true}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	var file strings.Builder
	file.WriteString("email;nom\n")
	for i := range 1200 {
		fmt.Fprintf(&file, "abonne%d@exemple.fr;Abonné %d\n", i, i)
	}
	file.WriteString("pas-une-adresse;Erreur\n")
	status, importPage := uploadSubscribers(t, ta, list.ID, file.String())
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("a file with a bad line: status %d, want 422\n%s", status, excerptOf([]byte(importPage)))
	}

	const g = "\u202f" // the narrow no-break space between thousands
	tests := []struct {
		name, who, path string
		body            string // when the page is already at hand
		want            []string
		notWant         []string
	}{
		{name: "the public event page", path: fmt.Sprintf("/evenements/%d", eventID),
			want: []string{"1" + g + "500 places restantes sur 1" + g + "500"}, notWant: []string{"sur 1500"}},
		{name: "the event's check-in page", who: "coordinator", path: fmt.Sprintf("/admin/evenements/%d", eventID),
			want: []string{"confirmés sur 1" + g + "500 places"}, notWant: []string{"sur 1500 places"}},
		{name: "the staff's list of events", who: "coordinator", path: "/admin/evenements",
			want: []string{"0 / 1" + g + "500"}, notWant: []string{"0 / 1500"}},
		{name: "the outbox's counters", who: "admin", path: "/admin/courriels",
			want: []string{fr.TypesetString("En attente : 1" + g + "200")}, notWant: []string{"1200"}},
		{name: "the line of an import error", body: importPage,
			want: []string{"<td>1" + g + "202</td>"}, notWant: []string{"<td>1202</td>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if body == "" {
				resp, b := ta.get(t, tt.who, tt.path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: status %d", tt.path, resp.StatusCode)
				}
				body = b
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the page does not read %q\n%s", w, excerptOf([]byte(body)))
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("the page reads %q, digits not grouped", w)
				}
			}
		})
	}
}

// uploadSubscribers posts a CSV of subscribers to a list's import form, as
// staff do, and returns the page shown.
func uploadSubscribers(t *testing.T, ta *testApp, listID int64, csv string) (int, string) {
	t.Helper()
	token, csrf := ta.session(t, "coordinator")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	mw.WriteField("basis", string(newsletter.Consent))
	fw, _ := mw.CreateFormFile("file", "abonnes.csv")
	fw.Write([]byte(csv))
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/admin/lettres/%d/import", ta.srv.URL, listID), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "vivier_session", Value: token})
	resp, body := do(t, req)
	return resp.StatusCode, body
}
