package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/store"
)

// newTestServer serves the whole application on db over a loopback port.
func newTestServer(t *testing.T, db *store.DB) *httptest.Server {
	t.Helper()
	a, err := app.New(context.Background(), config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}
