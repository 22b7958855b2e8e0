package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"vivier/internal/store"
)

// metrics are the server's Prometheus series, scraped at /metrics.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry, db *store.DB) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vivier_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "vivier_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		reg.MustRegister(dbStats{db})
	}
	return m
}

func (m *metrics) observe(route, method string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
}

// dbStats exports the database pools' figures.
type dbStats struct{ db *store.DB }

var (
	dbOpenDesc  = prometheus.NewDesc("vivier_db_open_connections", "Open database connections, by pool.", []string{"pool"}, nil)
	dbInUseDesc = prometheus.NewDesc("vivier_db_in_use_connections", "Database connections in use, by pool.", []string{"pool"}, nil)
	dbWaitDesc  = prometheus.NewDesc("vivier_db_wait_seconds_total", "Time spent waiting for a database connection, by pool.", []string{"pool"}, nil)
)

func (d dbStats) Describe(ch chan<- *prometheus.Desc) {
	ch <- dbOpenDesc
	ch <- dbInUseDesc
	ch <- dbWaitDesc
}

func (d dbStats) Collect(ch chan<- prometheus.Metric) {
	read, write := d.db.Stats()
	for pool, s := range map[string]struct {
		open, inUse int
		wait        time.Duration
	}{"read": {read.OpenConnections, read.InUse, read.WaitDuration}, "write": {write.OpenConnections, write.InUse, write.WaitDuration}} {
		ch <- prometheus.MustNewConstMetric(dbOpenDesc, prometheus.GaugeValue, float64(s.open), pool)
		ch <- prometheus.MustNewConstMetric(dbInUseDesc, prometheus.GaugeValue, float64(s.inUse), pool)
		ch <- prometheus.MustNewConstMetric(dbWaitDesc, prometheus.CounterValue, s.wait.Seconds(), pool)
	}
}

// MetricsHandler serves the Prometheus metrics; ServeMetrics serves it on
// its own listener.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
}
