package newsletter_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/newsletter/nltest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// BenchmarkCampaignSend sends whole campaigns through the pipeline (4
// pipelined connections, batches of 500, no rate limit) to a loopback SMTP
// relay written with go-smtp, on SQLite: materialising the messages,
// claiming them, composing each message (its own tokens, links and MIME
// parts), the SMTP exchanges and recording the outcomes. It reports
// messages per minute (and per minute of the process's CPU time, the
// relay's included, for a shared machine), and the process's peak heap
// during the send, which stays flat as the campaign grows.
//
//	go test ./internal/newsletter -run '^$' -bench CampaignSend -benchtime 3x
func BenchmarkCampaignSend(b *testing.B) {
	for _, size := range []int{10_000, 40_000} {
		b.Run(fmt.Sprintf("recipients=%d", size), func(b *testing.B) {
			db := storetest.Open(b, store.SQLite)
			s := newService(db, nil)
			list, _ := audience(b, s, size)
			sink := nltest.Start(b, nltest.Options{CountOnly: true})
			p := sender(b, s, sink, "banc", 500)
			ctx := context.Background()
			var peak atomic.Uint64
			var sent int
			var elapsed, cpu time.Duration
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: fmt.Sprintf("Lettre n°%d", i),
					Body:    "# Nouvelles\n\nLe [forum](https://federation.example/forum) et le [guide](https://federation.example/guide).\n\n::: bouton Lire | https://federation.example/lire",
					ListIDs: []int64{list}}, access.System)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				before := sink.Count()
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() { sampleHeap(stop, &peak) })
				b.StartTimer()
				start, startCPU := time.Now(), processCPU()
				sendAll(b, s, p, c.ID)
				elapsed += time.Since(start)
				cpu += processCPU() - startCPU
				b.StopTimer()
				close(stop)
				wg.Wait()
				sent += sink.Count() - before
				b.StartTimer()
			}
			if sent == 0 {
				b.Fatal("nothing sent")
			}
			b.ReportMetric(float64(sent)/elapsed.Minutes(), "msgs/min")
			// The machine is shared: messages per minute of the process's
			// CPU time (the pipeline and the relay, all threads) is what
			// the code costs.
			if cpu > 0 {
				b.ReportMetric(float64(sent)/cpu.Minutes(), "msgs/cpu-min")
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		})
	}
}

func sampleHeap(stop <-chan struct{}, peak *atomic.Uint64) {
	var m runtime.MemStats
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}
