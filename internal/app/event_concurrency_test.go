package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/event"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// secondServer is another `vivier serve` instance on the database at
// source: its own connections, its own application.
func secondServer(t *testing.T, source string) *httptest.Server {
	t.Helper()
	db, err := store.Open(context.Background(), source, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a, err := app.New(context.Background(), config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test", Argon2: cheapHashes})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// apiCall sends one API request from any goroutine (failures are t.Error)
// and decodes the answer into out.
func apiCall(t *testing.T, method, url, token, body string, out any) int {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req, call := contractOf(req)
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	call.report(t)
	if resp.StatusCode >= 400 && resp.StatusCode != 409 {
		t.Logf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Errorf("%s %s: %v in %s", method, url, err, b)
		}
	}
	return resp.StatusCode
}

type regAnswer struct {
	ID           int64  `json:"id"`
	Status       string `json:"status"`
	Position     *int   `json:"position"`
	Email        string `json:"email"`
	Organisation string `json:"organisation"`
}

// TestRegistrationsNeverOverbook fires 60 concurrent registrations at an
// event of 20 seats — through two servers on one PostgreSQL database, and
// through one on SQLite — then 5 concurrent cancellations: exactly 20 are
// confirmed, 40 wait at positions 1–40, the cancellations promote positions
// 1–5, and the outbox holds one message per fact, none lost or doubled.
func TestRegistrationsNeverOverbook(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			source := storetest.Source(t, engine)
			db, err := store.Open(context.Background(), source, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			ta := newTestApp(t, db)
			servers := []string{ta.srv.URL}
			if engine == store.Postgres {
				servers = append(servers, secondServer(t, source).URL)
			}
			staff := ta.apiToken(t, "coordinator", account.ScopeWrite)
			start := time.Now().Add(10 * 24 * time.Hour).UTC().Truncate(time.Minute)
			var created struct{ ID int64 }
			body := fmt.Sprintf(`{"title":"Forum national","kind":"forum","starts_at":%q,"ends_at":%q,"capacity":20,"commune":"69123"}`,
				start.Format(time.RFC3339), start.Add(8*time.Hour).Format(time.RFC3339))
			if st := apiCall(t, "POST", servers[0]+"/api/v1/events", staff, body, &created); st != http.StatusCreated {
				t.Fatalf("create the event: %d", st)
			}
			answers := make([]regAnswer, 60)
			var wg sync.WaitGroup
			for i := range 60 {
				wg.Go(func() {
					url := fmt.Sprintf("%s/api/v1/events/%d/registrations", servers[i%len(servers)], created.ID)
					b := fmt.Sprintf(`{"email":"p%02d@exemple.fr","name":"Participant %02d","organisation":"Agence %d"}`, i, i, i%7)
					if st := apiCall(t, "POST", url, "", b, &answers[i]); st != http.StatusCreated {
						t.Errorf("registration %d: status %d", i, st)
					}
					answers[i].Email = fmt.Sprintf("p%02d@exemple.fr", i)
				})
			}
			wg.Wait()
			var list struct{ Registrations []regAnswer }
			apiCall(t, "GET", fmt.Sprintf("%s/api/v1/events/%d/registrations", servers[len(servers)-1], created.ID), staff, "", &list)
			confirmed, positions := 0, []int{}
			byPosition := map[int]regAnswer{}
			var confirmedIDs []int64
			for _, r := range list.Registrations {
				switch r.Status {
				case "confirmed":
					confirmed++
					confirmedIDs = append(confirmedIDs, r.ID)
				case "waitlisted":
					positions = append(positions, *r.Position)
					byPosition[*r.Position] = r
				}
			}
			sort.Ints(positions)
			if confirmed != 20 || len(positions) != 40 || positions[0] != 1 || positions[39] != 40 {
				t.Fatalf("%d confirmed and positions %v, want 20 and 1–40", confirmed, positions)
			}
			for i, p := range positions {
				if p != i+1 {
					t.Fatalf("positions %v are not 1–40", positions)
				}
			}
			// The answers agree with the list.
			for _, a := range answers {
				if (a.Status == "waitlisted") != (a.Position != nil) {
					t.Errorf("answer %+v: a position exactly when waitlisted", a)
				}
			}
			// Five cancellations at once, through every server.
			for i, id := range confirmedIDs[:5] {
				wg.Go(func() {
					url := fmt.Sprintf("%s/api/v1/registrations/%d/cancel", servers[i%len(servers)], id)
					if st := apiCall(t, "POST", url, staff, "", nil); st != http.StatusOK {
						t.Errorf("cancel %d: status %d", id, st)
					}
				})
			}
			wg.Wait()
			regs, err := ta.Events.Registrations(context.Background(), created.ID, access.System)
			if err != nil {
				t.Fatal(err)
			}
			status := map[int64]event.Status{}
			count := map[event.Status]int{}
			for _, r := range regs {
				status[r.ID] = r.Status
				count[r.Status]++
			}
			if count[event.Confirmed] != 20 || count[event.Waitlisted] != 35 || count[event.Cancelled] != 5 {
				t.Errorf("after 5 cancellations: %v", count)
			}
			for p := 1; p <= 40; p++ {
				want := event.Waitlisted
				if p <= 5 {
					want = event.Confirmed
				}
				if got := status[byPosition[p].ID]; got != want {
					t.Errorf("position %d is %s, want %s", p, got, want)
				}
			}
			// The outbox: one message per fact.
			msgs, err := mail.List(context.Background(), db, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			perRecipient := map[string]int{}
			for _, m := range msgs {
				kind, _, _ := strings.Cut(m.Message.Key, ":")
				kinds[kind]++
				perRecipient[m.Message.To+" "+kind]++
			}
			if kinds["event-confirm"] != 20 || kinds["event-waitlist"] != 40 || kinds["event-promote"] != 5 || kinds["event-cancel"] != 5 {
				t.Errorf("outbox: %v, want 20 confirmations, 40 waitlist notices, 5 promotions, 5 cancellations", kinds)
			}
			for k, n := range perRecipient {
				if n != 1 {
					t.Errorf("%s: %d messages", k, n)
				}
			}
			for p := 1; p <= 5; p++ {
				if perRecipient[byPosition[p].Email+" event-promote"] != 1 {
					t.Errorf("position %d (%s) was not told of the promotion", p, byPosition[p].Email)
				}
			}
		})
	}
}
