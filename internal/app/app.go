// Package app wires Vivier together, top to bottom: configuration →
// database → domain services → HTTP server → background workers. The vivier
// command and the end-to-end tests build the application the same way,
// through New.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"vivier/internal/account"
	"vivier/internal/api"
	"vivier/internal/config"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/jobs"
	"vivier/internal/mail"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/oidc"
	"vivier/internal/store"
	"vivier/internal/web"
)

// Options are what differs between a normal run, the demo and tests.
type Options struct {
	Demo    bool   // a demo instance: shows the demo banner
	Version string // the running version, shown in the footer
}

// App is the wired application.
type App struct {
	Config   config.Config
	Logger   *slog.Logger
	DB       *store.DB
	Accounts *account.Service
	Experts  *expert.Service
	Needs    *need.Service
	Match    *match.Engine
	Mail     *mail.Sender
	Web      *web.Server
	Missions *mission.Service
}

// New wires the application on an open, migrated database.
func New(cfg config.Config, logger *slog.Logger, db *store.DB, opts Options) (*App, error) {
	accounts := account.NewService(db, cfg.PublicURL())
	// Missions first: the expert profile unlinks its account when erased.
	accounts.Personal = []account.PersonalData{mission.Privacy{}, expert.Privacy{}}
	experts := expert.New(db, geo.Default())
	needs := need.New(db, geo.Default())
	missions := mission.New(db, geo.Default())
	missions.BaseURL = cfg.PublicURL()
	missions.ExpiryDays = cfg.ProposalExpiryDays
	engine, err := match.Load(context.Background(), db, geo.Default(), match.Options{History: mission.MatchHistory{Geo: geo.Default()}})
	if err != nil {
		return nil, fmt.Errorf("matching engine: %w", err)
	}
	transport, err := cfg.MailTransport(logger)
	if err != nil {
		return nil, err
	}
	sender := mail.NewSender(db, transport, mail.Options{Logger: logger})
	var login web.OIDCLogin
	if oc, ok, err := cfg.OIDC(); err != nil {
		return nil, err
	} else if ok {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		client, err := oidc.New(ctx, oc)
		if err != nil {
			return nil, fmt.Errorf("OpenID Connect provider %s: %w", oc.Issuer, err)
		}
		login = oidcLogin{client}
	}
	srv, err := web.NewServer(web.Deps{
		DB:          db,
		Logger:      logger,
		Version:     opts.Version,
		BehindProxy: cfg.BehindProxy,
		Demo:        opts.Demo,
		Accounts:    accounts,
		Mail:        sender,
		OIDC:        login,
		Experts:     experts,
		Needs:       needs,
		Missions:    missions,
		Match:       engine,
	})
	if err != nil {
		return nil, err
	}
	api.Register(srv.Router(), api.Deps{DB: db, Accounts: accounts, Experts: experts, Needs: needs, Missions: missions, Match: engine})
	return &App{Config: cfg, Logger: logger, DB: db, Accounts: accounts, Experts: experts, Needs: needs, Missions: missions, Match: engine, Mail: sender, Web: srv}, nil
}

// Handler is the whole HTTP application, for tests to serve with httptest.
func (a *App) Handler() http.Handler { return a.Web.Handler() }

// Run starts the background workers and serves HTTP on the configured address
// until ctx ends, then shuts down gracefully: the server stops taking
// requests and finishes those in flight, then the workers stop. ready is
// told the address.
func (a *App) Run(ctx context.Context, ready func(net.Addr)) error {
	workers, stop := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := a.scheduler().Run(workers); err != nil {
			a.Logger.Error("scheduler stopped", "err", err)
		}
	})
	wg.Go(func() {
		if err := a.Mail.Run(workers); err != nil {
			a.Logger.Error("email sender stopped", "err", err)
		}
	})
	wg.Go(func() { a.Match.Run(workers) })
	err := a.Web.ListenAndServe(ctx, a.Config.Addr, a.Config.ShutdownTimeout, ready)
	stop()
	wg.Wait()
	return err
}

// scheduler lists the periodic maintenance jobs.
func (a *App) scheduler() *jobs.Scheduler {
	return &jobs.Scheduler{DB: a.DB, Logger: a.Logger, Jobs: []jobs.Job{
		{Name: "accounts.purge", Every: time.Hour, Run: a.Accounts.Purge},
		{Name: "experts.retention", Every: 24 * time.Hour, Run: a.anonymiseExpiredExperts},
		{Name: "missions.expire_proposals", Every: time.Hour, Run: a.expireProposals},
		{Name: "missions.reminders", Every: time.Hour, Run: func(ctx context.Context) error { _, err := a.Missions.Remind(ctx); return err }},
		{Name: "missions.digest", Every: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Missions.SendDigests(ctx); return err }},
	}}
}

// anonymiseExpiredExperts anonymises archived expert profiles kept longer
// than the retention period (GDPR storage limitation).
func (a *App) anonymiseExpiredExperts(ctx context.Context) error {
	n, err := expert.AnonymiseExpired(ctx, a.DB, time.Now().UTC(), a.Config.Retention())
	if n > 0 {
		a.Logger.Info("archived expert profiles anonymised after the retention period", "count", n)
	}
	return err
}

// expireProposals expires the proposals left unanswered past their due
// date and tells the coordinators.
func (a *App) expireProposals(ctx context.Context) error {
	n, err := a.Missions.ExpireDue(ctx)
	if n > 0 {
		a.Logger.Info("unanswered proposals expired", "count", n)
	}
	return err
}
