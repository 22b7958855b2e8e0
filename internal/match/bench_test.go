package match_test

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/match/matchtest"
)

// benchPool is an engine over a realistic synthetic pool, built once per
// size and kept across the benchmark's runs.
type benchPool struct {
	e        *match.Engine
	needs    []match.Request
	perExp   float64 // heap bytes per expert
	build    time.Duration
	eligible int
}

var (
	poolsMu sync.Mutex
	pools   = map[int]*benchPool{}
)

func pool(b *testing.B, n int) *benchPool {
	poolsMu.Lock()
	defer poolsMu.Unlock()
	if p, ok := pools[n]; ok {
		return p
	}
	g := geo.Default()
	w := matchtest.NewWorld(g, matchtest.Config{Seed: 2026})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	e, err := match.New(g, w.Experts(n), opts())
	if err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	p := &benchPool{e: e, needs: w.Needs(200), build: build,
		perExp: float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)}
	pools[n] = p
	return p
}

// BenchmarkMatch ranks the top 20 of a realistic pool for varied needs (two
// required skills and one optional, over real communes), one query at a
// time on one goroutine. Run with -cpu 1 for one core. It reports the 99th
// percentile latency over the needs, the engine's heap bytes per expert and
// the time to build the engine from the generated experts. p99-cpu-ms is
// the same percentile in CPU time of the benchmark's thread, which the
// other processes of a shared machine do not inflate.
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		b.Run(fmt.Sprintf("experts=%d", n), func(b *testing.B) {
			p := pool(b, n)
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			times := make([]time.Duration, 0, b.N)
			cpu := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				req := p.needs[i%len(p.needs)]
				c0, ok := threadCPU()
				t := time.Now()
				res, err := p.e.Rank(ctx, req, 20)
				times = append(times, time.Since(t))
				if c1, _ := threadCPU(); ok {
					cpu = append(cpu, c1-c0)
				}
				if err != nil {
					b.Fatal(err)
				}
				p.eligible = res.Eligible
			}
			b.StopTimer()
			report := func(d []time.Duration, unit string) {
				if len(d) > 0 {
					slices.Sort(d)
					b.ReportMetric(float64(d[len(d)*99/100].Nanoseconds())/1e6, unit)
				}
			}
			report(times, "p99-ms")
			report(cpu, "p99-cpu-ms")
			if len(times) > 0 {
				b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1e6, "p50-ms")
			}
			b.ReportMetric(p.perExp, "B/expert")
			b.ReportMetric(p.build.Seconds(), "build-s")
		})
	}
}

// BenchmarkExplain explains the 10th-ranked expert of each need: the
// reference lookup, the constraint checks and the rank among all eligible.
func BenchmarkExplain(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		b.Run(fmt.Sprintf("experts=%d", n), func(b *testing.B) {
			p := pool(b, n)
			var refs []string
			var reqs []match.Request
			for _, req := range p.needs[:50] {
				res, err := p.e.Rank(ctx, req, 10)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Matches) > 0 {
					refs = append(refs, res.Matches[len(res.Matches)-1].Reference)
					reqs = append(reqs, req)
				}
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, err := p.e.Explain(ctx, reqs[i%len(reqs)], refs[i%len(refs)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
