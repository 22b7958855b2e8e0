package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"vivier/internal/access"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/date"
	"vivier/internal/demo"
	"vivier/internal/report"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// Benchmarks of the activity report over the demo's records (two full
// years and this one so far: missions, members, events, trainings,
// newsletters, publications, press, hearings, audiences), on SQLite:
// computing the live report of last year (with the year before it, as the
// report does) and rendering it as a PDF. Run them with
//
//	go test ./internal/app -run '^$' -bench 'Report' -benchtime 5x -timeout 30m

func benchReport(b *testing.B) (*app.App, int) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, store.SQLite)
	if _, err := demo.Fill(ctx, db, demo.Options{Seed: 7}); err != nil {
		b.Fatal(err)
	}
	a, err := app.New(ctx, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return a, date.Today().Year - 1
}

func BenchmarkReportCompute(b *testing.B) {
	a, year := benchReport(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := a.Reports.Live(ctx, year, access.System); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReportPDF(b *testing.B) {
	a, year := benchReport(b)
	v, err := a.Reports.Get(context.Background(), year, access.System)
	if err != nil {
		b.Fatal(err)
	}
	var size int
	for b.Loop() {
		doc, err := report.PDF(v)
		if err != nil {
			b.Fatal(err)
		}
		size = len(doc)
	}
	b.ReportMetric(float64(size)/1024, "KiB")
}
