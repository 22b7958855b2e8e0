// Package web is Vivier's HTTP server: the route table of the web pages, the
// middleware every request goes through (logging, metrics, security headers,
// body limits), the embedded templates and assets, and the page handlers.
// The JSON API lives in package api and registers on the same Router.
package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vivier/internal/account"
	"vivier/internal/audience"
	"vivier/internal/audit"
	"vivier/internal/event"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/httpkit"
	"vivier/internal/mail"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/training"
	"vivier/internal/upload"
)

// Deps are what the web layer needs from the rest of the application.
type Deps struct {
	DB          *store.DB // for /readyz and the connection metrics only: pages go through the services
	Logger      *slog.Logger
	Version     string
	BehindProxy bool
	Demo        bool           // shows a banner: this is a demo instance
	Geo         *geo.Reference // names of communes, départements and zones
	Accounts    *account.Service
	Experts     *expert.Service
	Needs       *need.Service
	Skills      *skill.Service
	Missions    *mission.Service // proposals, missions, dashboards
	Match       *match.Service   // ranks experts for needs: match_*.go
	Audit       *audit.Service
	Uploads     *upload.Service   // imports waiting for their confirmation
	Events      *event.Service    // events and registrations: event_*.go
	Trainings   *training.Service // trainings, sign-in, certificates: training_*.go
	Network     *network.Service  // members, memberships, partners, engagement: network_*.go
	// The federation's representation and its yearly report: report_*.go.
	Publications   *publication.Service
	Press          *press.Service
	Representation *representation.Service
	Audiences      *audience.Service
	Reports        *report.Service
	// OIDC is the OpenID Connect login, nil when none is configured.
	OIDC OIDCLogin
	// Mail is the email sender: woken after a change enqueued a message,
	// and read by the outbox page; nil when none runs (tests).
	Mail *mail.Sender

	// HTTPS says the public address is https: behind the proxy, responses
	// then carry HSTS and cookies are Secure whatever the proxy forwards.
	HTTPS bool
	// MaxConnections caps the connections served at once (0: 1000).
	MaxConnections int
	// Newsletter holds lists, campaigns and their figures: newsletter_*.go.
	Newsletter *newsletter.Service
	// Metrics are more collectors for /metrics (the campaign pipeline's).
	Metrics []prometheus.Collector
}

// Server serves the web pages, the API and the operational endpoints.
type Server struct {
	deps     Deps
	places   *places  // names of Deps.Geo's places
	pickers  *pickers // the filters' choices
	router   *httpkit.Router
	pages    *Templates
	metrics  *metrics
	registry *prometheus.Registry
}

// NewServer builds the server and registers the pages' routes. The API
// registers its own routes on Router() before Handler is called. deps.Geo
// is required: the pages name places and offer them in pickers.
func NewServer(deps Deps) (*Server, error) {
	if deps.Geo == nil {
		return nil, errors.New("web: no geography reference (Deps.Geo)")
	}
	options, err := parseOptionTemplates()
	if err != nil {
		return nil, err
	}
	pl := newPlaces(deps.Geo)
	pick, err := newPickers(options, pl)
	if err != nil {
		return nil, err
	}
	pages, err := ParseTemplates(poolFuncs(pl))
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	s := &Server{deps: deps, places: pl, pickers: pick, pages: pages, registry: reg, metrics: newMetrics(reg, deps.DB)}
	reg.MustRegister(deps.Metrics...)
	s.router = httpkit.NewRouter(s)
	s.routes()
	return s, nil
}

// Router is the route table, for other surfaces (the API) to add to.
func (s *Server) Router() *httpkit.Router { return s.router }

// Handler returns the whole application wrapped in its middleware.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.router
	h = httpkit.CachePolicy(h)
	h = s.authenticate(h)
	h = s.securityHeaders(h)
	h = s.observe(h)
	h = recoverPanics(h, s.deps.Logger)
	return h
}

// The server's timeouts bound what a slow or idle client holds: the
// headers must arrive within 5 s (a client trickling them, « slowloris »,
// is cut off), a whole request within 60 s (an upload of 20 MB on a slow
// line), an idle kept-alive connection is closed after 60 s.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 60 * time.Second
)

// ListenAndServe serves on addr until ctx is cancelled, then stops accepting
// connections and waits up to grace for requests in flight. At most
// Deps.MaxConnections connections are served at once; more wait in the
// system's queue until one closes.
func (s *Server) ListenAndServe(ctx context.Context, addr string, grace time.Duration, ready func(net.Addr)) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.deps.Logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln = limitListener(ln, cmp.Or(s.deps.MaxConnections, 1000))
	if ready != nil {
		ready(ln.Addr())
	}
	return serveUntil(ctx, srv, ln, grace, s.deps.Logger)
}

// ServeMetrics serves the Prometheus metrics on addr, apart from the site
// (loopback by default, --metrics-addr): the figures of the routes and of
// the database are for the operators, not for the public. It stops when
// ctx ends.
func (s *Server) ServeMetrics(ctx context.Context, addr string, ready func(net.Addr)) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.MetricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout, WriteTimeout: writeTimeout,
		IdleTimeout: idleTimeout, ErrorLog: slog.NewLogLogger(s.deps.Logger.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics listener: %w", err)
	}
	ln = limitListener(ln, 16)
	if ready != nil {
		ready(ln.Addr())
	}
	return serveUntil(ctx, srv, ln, time.Second, s.deps.Logger)
}

// serveUntil serves srv on ln until ctx ends, then shuts it down, waiting up
// to grace for requests in flight.
func serveUntil(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: waiting for requests in flight", "grace", grace, "addr", ln.Addr().String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
