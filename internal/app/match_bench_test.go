package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/need"
	"vivier/internal/store"
)

// Benchmarks of the matching pages over a generated pool (package demo's
// generator, 100,000 experts unless VIVIER_BENCH_EXPERTS says otherwise), on
// SQLite, through the whole HTTP handler: the need page with its shortlist
// (ranking, names, pooling candidates, match_log insert, template) and the
// API ranking. Run them with
//
//	go test ./internal/app -run '^$' -bench 'NeedShortlist|MatchAPI' -benchtime 3x -timeout 30m
//
// The imported database is kept in the temporary directory between runs.

// benchMatchApp opens (importing on first use) the pool, stores a need and
// returns the handler, a coordinator's cookie and the need's id.
func benchMatchApp(b *testing.B) (http.Handler, *http.Cookie, int64) {
	b.Helper()
	ctx := context.Background()
	a, cookie := benchApp(b, "matchweb", store.SQLite)
	rate := 700
	nd, err := a.Needs.Create(ctx, need.Input{Title: "Banc d’essai", Commune: "69123", Kind: need.Mission,
		Start: date.MustParse("2027-01-04"), End: date.MustParse("2027-03-26"), DaysPerWeek: 2, MaxDailyRate: &rate,
		Format: need.Onsite, Languages: []string{"fr"}, Skills: []need.WantedSkill{
			{Code: "filieres.industrie", MinLevel: 2, Required: true}, {Code: "entreprises.foncier", MinLevel: 2},
			{Code: "attractivite.strategie", MinLevel: 2}}}, access.System)
	if err != nil {
		b.Fatal(err)
	}
	return a.Handler(), cookie, nd.ID
}

func benchPercentiles(b *testing.B, target string, h http.Handler, cookie *http.Cookie) {
	var times []time.Duration
	for b.Loop() {
		for range 20 {
			start := time.Now()
			serve(b, h, cookie, target)
			times = append(times, time.Since(start))
		}
	}
	reportPercentiles(b, times)
}

// BenchmarkNeedShortlistPage measures the need page with its shortlist.
func BenchmarkNeedShortlistPage(b *testing.B) {
	h, cookie, id := benchMatchApp(b)
	benchPercentiles(b, fmt.Sprintf("/besoins/%d", id), h, cookie)
}

// BenchmarkMatchAPI measures GET /api/v1/needs/{id}/matches (top 20).
func BenchmarkMatchAPI(b *testing.B) {
	h, cookie, id := benchMatchApp(b)
	benchPercentiles(b, fmt.Sprintf("/api/v1/needs/%d/matches", id), h, cookie)
}
