package app_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestADatabaseThatCannotAnswerIsNotAnAuthenticationFailure: while
// PostgreSQL is down, a signed-in page and an API call with a valid token
// answer 503 with Retry-After — never the login page nor 401, which would
// make a client throw its token away — and work again once it is back. On
// SQLite, a public need submitted while another process holds the writer
// lock past the busy timeout answers 503 « réessayez », never a 500.
func TestADatabaseThatCannotAnswerIsNotAnAuthenticationFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Engine() == store.SQLite {
			busySQLite(t, db)
			return
		}
		cluster, err := storetest.StartCluster()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cluster.Stop)
		ctx := context.Background()
		pg, err := store.Open(ctx, cluster.URL("postgres"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		if _, err := pg.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ta := newTestApp(t, pg)
		token, _ := ta.session(t, "coordinator")
		secret := ta.apiToken(t, "coordinator", account.ScopeRead)
		get := func(path string) *http.Response {
			req, _ := http.NewRequest("GET", ta.srv.URL+path, nil)
			if strings.HasPrefix(path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+secret)
			} else {
				req.AddCookie(&http.Cookie{Name: "vivier_session", Value: token})
			}
			resp, err := walker.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp
		}
		if err := cluster.Kill(); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/tableau-de-bord", "/api/v1/me"} {
			resp := get(path)
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
				t.Errorf("PostgreSQL down, %s: status %d to %q, Retry-After %q; want 503 with Retry-After",
					path, resp.StatusCode, resp.Header.Get("Location"), resp.Header.Get("Retry-After"))
			}
		}
		if err := cluster.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for _, path := range []string{"/tableau-de-bord", "/api/v1/me"} {
			for {
				resp := get(path)
				if resp.StatusCode == http.StatusOK {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("PostgreSQL back, %s still answers %d", path, resp.StatusCode)
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
	})
}

// busySQLite holds the writer lock of db's file from another handle, as a
// command-line import in another process would, and submits a public need
// through an application whose busy timeout is short.
func busySQLite(t *testing.T, db *store.DB) {
	ctx := context.Background()
	short, err := store.Open(ctx, db.Source(), store.Options{BusyTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { short.Close() })
	ta := newTestApp(t, short)
	anonCSRF(t, ta.srv.URL) // the signing key is stored before the lock is taken
	release, held := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE settings SET value = value WHERE key = 'nothing'"); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	resp, body := ta.postPublic(t, "/besoins/nouveau", validNeedForm())
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "réessayez") {
		t.Errorf("a need while another process writes: status %d, Retry-After %q\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), excerptOf([]byte(body)))
	}
	if n := count(t, db, `SELECT COUNT(*) FROM need_submissions`); n != 0 {
		t.Errorf("%d needs kept", n)
	}
	if resp, _ := ta.postPublic(t, "/besoins/nouveau", validNeedForm()); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the same need once the lock is released: %d", resp.StatusCode)
	}
}
