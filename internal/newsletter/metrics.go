package newsletter

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the pipeline's and the tracker's counters, exported to
// Prometheus by the collector Collector returns (the web server registers
// it on its /metrics registry).
type Metrics struct {
	sentTotal    atomic.Int64
	failedTotal  sync.Map // kind → *atomic.Int64
	storedHits   atomic.Int64
	refusedHits  atomic.Int64
	mu           sync.Mutex
	window       [10]int64 // messages sent in each of the last ten seconds
	windowSecond int64
}

func newMetrics() *Metrics { return &Metrics{} }

func (m *Metrics) sent(n int, now time.Time) {
	if n == 0 {
		return
	}
	m.sentTotal.Add(int64(n))
	m.mu.Lock()
	defer m.mu.Unlock()
	m.advance(now.Unix())
	m.window[now.Unix()%10] += int64(n)
}

// advance clears the seconds of the window that passed since the last.
func (m *Metrics) advance(sec int64) {
	if sec-m.windowSecond >= 10 {
		m.window = [10]int64{}
	} else {
		for s := m.windowSecond + 1; s <= sec; s++ {
			m.window[s%10] = 0
		}
	}
	if sec > m.windowSecond {
		m.windowSecond = sec
	}
}

// Rate is the messages handed to the relay per second, over the last ten
// seconds, by this instance.
func (m *Metrics) Rate(now time.Time) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.advance(now.Unix())
	var sum int64
	for _, v := range m.window {
		sum += v
	}
	return float64(sum) / 10
}

func (m *Metrics) failed(kind string) {
	v, _ := m.failedTotal.LoadOrStore(kind, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (m *Metrics) hit(result string) {
	if result == "refused" {
		m.refusedHits.Add(1)
	}
}

func (m *Metrics) hits(stored, refused int) {
	m.storedHits.Add(int64(stored))
	m.refusedHits.Add(int64(refused))
}

var (
	sentDesc    = prometheus.NewDesc("vivier_newsletter_messages_sent_total", "Campaign messages accepted by the relay.", nil, nil)
	failedDesc  = prometheus.NewDesc("vivier_newsletter_messages_failed_total", "Campaign messages refused or not sent, by kind: soft and hard bounces, rejected (content, policy), retry (relay or connection).", []string{"kind"}, nil)
	rateDesc    = prometheus.NewDesc("vivier_newsletter_send_rate", "Campaign messages handed to the relay per second, over the last ten seconds.", nil, nil)
	hitsDesc    = prometheus.NewDesc("vivier_newsletter_hits_total", "Tracking hits (opens and clicks), stored or refused (unknown or untracked message, or before it was sent).", []string{"result"}, nil)
	pendingDesc = prometheus.NewDesc("vivier_newsletter_hits_pending", "Tracking hits received and not yet written.", nil, nil)
)

type collector struct{ s *Service }

// Collector returns the Prometheus collector of the service's counters.
func (s *Service) Collector() prometheus.Collector { return collector{s} }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- sentDesc
	ch <- failedDesc
	ch <- rateDesc
	ch <- hitsDesc
	ch <- pendingDesc
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	m := c.s.metrics
	ch <- prometheus.MustNewConstMetric(sentDesc, prometheus.CounterValue, float64(m.sentTotal.Load()))
	for _, kind := range []string{"soft", "hard", "rejected", "retry"} {
		var n int64
		if v, ok := m.failedTotal.Load(kind); ok {
			n = v.(*atomic.Int64).Load()
		}
		ch <- prometheus.MustNewConstMetric(failedDesc, prometheus.CounterValue, float64(n), kind)
	}
	ch <- prometheus.MustNewConstMetric(rateDesc, prometheus.GaugeValue, m.Rate(time.Now()))
	ch <- prometheus.MustNewConstMetric(hitsDesc, prometheus.CounterValue, float64(m.storedHits.Load()), "stored")
	ch <- prometheus.MustNewConstMetric(hitsDesc, prometheus.CounterValue, float64(m.refusedHits.Load()), "refused")
	c.s.hits.mu.Lock()
	n := len(c.s.hits.pending)
	c.s.hits.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(n))
}
