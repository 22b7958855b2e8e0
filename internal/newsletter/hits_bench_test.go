package newsletter_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// BenchmarkTrackHits records hits as the pixel and redirect handlers do
// (four pixel fetches for one click, over 50,000 sent messages, from
// people, Apple's proxy, a security gateway and Gmail's image proxy) while
// the tracker writes them in the background as it does in the server, on
// SQLite: each batch appends its hits and rewrites the engagement of its
// messages. It reports hits per second, from the first hit until the last
// is written.
//
//	go test ./internal/newsletter -run '^$' -bench TrackHits -benchtime 150000x
func BenchmarkTrackHits(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	s := newService(db, nil)
	tokens := sentCampaign(b, s, 50000)
	ctx := context.Background()
	agents := []struct{ ip, ua string }{
		{"192.0.2.10", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"},
		{"17.58.1.1", "Mozilla/5.0"},
		{"203.0.113.9", "Mozilla/5.0 (compatible; Barracuda Sentinel)"},
		{"198.51.100.4", "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"},
	}
	start, cpu := time.Now(), processCPU()
	n := 0
	// The tracker writes in the background as it does in the server.
	tracker, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.RunTracker(tracker); close(done) }()
	for i := 0; b.Loop(); i++ {
		tok := tokens[i%len(tokens)]
		a := agents[i%len(agents)]
		actor := access.Visitor(a.ip)
		if i%5 == 0 { // a click for four pixel fetches
			s.Click(ctx, tok, (i/5)%3, a.ua, actor)
		} else {
			s.Open(ctx, tok, a.ua, actor)
		}
		n++
	}
	stop()
	<-done
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "hits/s")
	var stored int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM newsletter_hits`).Scan(&stored); err != nil || stored != n {
		b.Fatalf("%d hits stored of %d recorded (%v)", stored, n, err)
	}
	// The machine is shared: hits per second of the process's CPU time
	// (recording and writing, all threads) is what the code costs.
	if used := processCPU() - cpu; used > 0 {
		b.ReportMetric(float64(n)/used.Seconds(), "hits/cpu-s")
	}
}

// sentCampaign sends a campaign to n tracked subscribers through a relay
// that takes everything, and returns the tokens of its messages.
func sentCampaign(t testing.TB, s *newsletter.Service, n int) []string {
	t.Helper()
	_, id := audience(t, s, n)
	ctx := context.Background()
	if err := s.Send(ctx, id, nil, access.System); err != nil {
		t.Fatal(err)
	}
	p, err := s.NewSender(newsletter.SenderOptions{BatchSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sendAll(t, s, p, id)
	tokens, err := s.Tokens(ctx, id, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) == 0 {
		t.Fatal(fmt.Sprint("no tokens for campaign ", id))
	}
	return tokens
}
