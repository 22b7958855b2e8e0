// Package app wires Vivier together, top to bottom: configuration →
// database → domain services → HTTP server → background workers. The vivier
// command and the end-to-end tests build the application the same way,
// through New.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/api"
	"vivier/internal/audience"
	"vivier/internal/audit"
	"vivier/internal/config"
	"vivier/internal/event"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/jobs"
	"vivier/internal/mail"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/oidc"
	"vivier/internal/press"
	"vivier/internal/publication"
	"vivier/internal/report"
	"vivier/internal/representation"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/training"
	"vivier/internal/upload"
	"vivier/internal/web"
)

// Options are what differs between a normal run, the demo and tests.
type Options struct {
	Demo    bool   // a demo instance: shows the demo banner
	Version string // the running version, shown in the footer
	// Argon2 sets the cost of password hashes; zero is account.DefaultArgon2
	// (tests pass cheaper ones to keep their logins fast).
	Argon2 account.Argon2Params
}

// App is the wired application.
type App struct {
	Config   config.Config
	Logger   *slog.Logger
	DB       *store.DB
	Geo      *geo.Reference
	Accounts *account.Service
	Experts  *expert.Service
	Needs    *need.Service
	Skills   *skill.Service
	Match    *match.Service
	Missions *mission.Service
	// Events and Trainings: the network's events and courses.
	Events    *event.Service
	Trainings *training.Service
	Audit     *audit.Service
	Network   *network.Service
	Uploads   *upload.Service
	Mail      *mail.Sender
	Web       *web.Server
	// Newsletter holds lists, campaigns and their figures; Campaigns is
	// its send pipeline.
	Newsletter *newsletter.Service
	Campaigns  *newsletter.Sender

	// The federation's representation and its activity report (report.go).
	Publications   *publication.Service
	Press          *press.Service
	Representation *representation.Service
	Audiences      *audience.Service
	Reports        *report.Service
}

// New wires the application on an open, migrated database. ctx bounds the
// start (the matching engine's load, the OpenID Connect discovery): a
// signal during a long start stops it.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger, db *store.DB, opts Options) (*App, error) {
	ref := geo.Default()
	a := &App{Config: cfg, Logger: logger, DB: db, Geo: ref}
	a.Experts = expert.New(expert.Options{DB: db, Geo: ref})
	a.Needs = need.New(need.Options{DB: db, Geo: ref, BaseURL: cfg.PublicURL()})
	a.Missions = mission.New(mission.Options{DB: db, Geo: ref, BaseURL: cfg.PublicURL(), ExpiryDays: cfg.ProposalExpiryDays})
	// Missions first: the expert profile unlinks its account when erased.
	a.Accounts = account.New(account.Options{DB: db, BaseURL: cfg.PublicURL(), Argon2: opts.Argon2,
		Personal: []account.PersonalData{mission.Privacy{}, expert.Privacy{}, event.Privacy{}, newsletter.Privacy{}}})
	// A renamed skill rewrites the search documents of experts and needs in
	// its own transaction: wired here once, so that no caller can forget one.
	a.Skills = skill.New(skill.Options{DB: db, Reindex: []skill.Reindexer{a.Experts.ReindexSkill, a.Needs.ReindexSkill}})
	a.Audit = audit.New(audit.Options{DB: db})
	// The network says which agencies are current members: member-only
	// events and trainings open to their staff, who enrol at the member
	// price. Its engagement counts what those staff did in the other
	// packages (engagement.go).
	a.Network = network.New(network.Options{DB: db, Geo: ref, Accounts: a.Accounts, BaseURL: cfg.PublicURL(), Sources: a.engagementSources()})
	a.Events = event.New(event.Options{DB: db, Geo: ref, BaseURL: cfg.PublicURL(), Members: a.Network})
	a.Trainings = training.New(training.Options{DB: db, Geo: ref, BaseURL: cfg.PublicURL(), Members: a.Network})
	a.Uploads = upload.New(upload.Options{DB: db})
	engine, err := match.Load(ctx, db, ref, match.Options{History: mission.MatchHistory{Geo: ref}, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("matching engine: %w", err)
	}
	a.Match = match.NewService(match.ServiceOptions{Engine: engine, DB: db, Geo: ref, Needs: a.Needs})
	transport, err := MailTransport(cfg, logger)
	if err != nil {
		return nil, err
	}
	if _, logged := transport.(mail.LogTransport); logged && opts.Demo {
		// The demo's data queue dozens of emails at start: a line each
		// would bury the accounts printed for the visitor. They stay
		// readable on the outbox page.
		transport = mail.LogTransport{Logger: slog.New(slog.DiscardHandler)}
	}
	a.Mail = mail.NewSender(mail.Options{DB: db, Transport: transport, Logger: logger})
	if err := a.newsletter(cfg, logger); err != nil {
		return nil, err
	}
	// The report reads the newsletters' figures: wired after them.
	a.wireReport(ref)
	var login web.OIDCLogin
	if oc, ok, err := OIDC(cfg); err != nil {
		return nil, err
	} else if ok {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		client, err := oidc.New(ctx, oc)
		if err != nil {
			return nil, fmt.Errorf("OpenID Connect provider %s: %w", oc.Issuer, err)
		}
		login = oidcLogin{client}
	}
	a.Web, err = web.NewServer(web.Deps{
		DB: db, Logger: logger, Version: opts.Version, BehindProxy: cfg.BehindProxy, HTTPS: cfg.HTTPS(), MaxConnections: cfg.MaxConnections,
		Demo: opts.Demo, Geo: ref,
		Accounts: a.Accounts, Mail: a.Mail, OIDC: login, Experts: a.Experts, Needs: a.Needs, Skills: a.Skills,
		Missions: a.Missions, Match: a.Match, Audit: a.Audit, Uploads: a.Uploads, Network: a.Network,
		Events: a.Events, Trainings: a.Trainings,
		Newsletter: a.Newsletter, Metrics: []prometheus.Collector{a.Newsletter.Collector()},
		Publications: a.Publications, Press: a.Press, Representation: a.Representation, Audiences: a.Audiences, Reports: a.Reports,
	})
	if err != nil {
		return nil, err
	}
	api.Register(a.Web.Router(), api.Deps{Logger: logger, Experts: a.Experts, Needs: a.Needs, Missions: a.Missions, Match: a.Match,
		Events: a.Events, Trainings: a.Trainings, Network: a.Network,
		Newsletter:   a.Newsletter,
		Publications: a.Publications, Press: a.Press, Representation: a.Representation, Audiences: a.Audiences, Reports: a.Reports})
	return a, nil
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
	wg.Go(func() {
		if err := a.Campaigns.Run(workers); err != nil {
			a.Logger.Error("campaign sender stopped", "err", err)
		}
	})
	// The tracker writes its last hits once the server has answered its
	// last request and workers is cancelled.
	wg.Go(func() { a.Newsletter.RunTracker(workers) })
	// The metrics have their own listener; if it cannot serve (its port is
	// taken), the server stops too rather than run unobserved.
	serving, stopServing := context.WithCancel(ctx)
	defer stopServing()
	metricsErr := make(chan error, 1)
	if a.Config.MetricsAddr != "" {
		wg.Go(func() {
			err := a.Web.ServeMetrics(workers, a.Config.MetricsAddr, func(addr net.Addr) {
				a.Logger.Info("serving metrics", "url", "http://"+addr.String()+"/metrics")
			})
			if err != nil {
				stopServing()
			}
			metricsErr <- err
		})
	}
	err := a.Web.ListenAndServe(serving, a.Config.Addr, a.Config.ShutdownTimeout, ready)
	stop()
	wg.Wait()
	close(metricsErr)
	return errors.Join(err, <-metricsErr)
}

// scheduler lists the periodic maintenance jobs.
func (a *App) scheduler() *jobs.Scheduler {
	return &jobs.Scheduler{DB: a.DB, Logger: a.Logger, Jobs: []jobs.Job{
		{Name: "accounts.purge", Every: time.Hour, Run: a.Accounts.Purge},
		{Name: "needs.expire_submissions", Every: time.Hour, Run: func(ctx context.Context) error { _, err := a.Needs.ExpireSubmissions(ctx, access.System); return err }},
		{Name: "audit.bursts", Every: 5 * time.Minute, Run: func(ctx context.Context) error { _, err := audit.FlushBursts(ctx, a.DB, time.Now()); return err }},
		{Name: "experts.retention", Every: 24 * time.Hour, Run: a.anonymiseExpiredExperts},
		{Name: "missions.expire_proposals", Every: time.Hour, Run: a.expireProposals},
		{Name: "missions.reminders", Every: time.Hour, Run: func(ctx context.Context) error { _, err := a.Missions.Remind(ctx, access.System); return err }},
		{Name: "missions.digest", Every: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Missions.SendDigests(ctx, access.System); return err }},
		{Name: "events.reminders", Every: time.Hour, Run: func(ctx context.Context) error { _, err := a.Events.SendReminders(ctx, access.System); return err }},
		{Name: "trainings.notices", Every: time.Hour, Run: func(ctx context.Context) error { _, err := a.Trainings.SendNotices(ctx, access.System); return err }},
		{Name: "events.retention", Every: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Events.Anonymise(ctx, access.System); return err }},
		{Name: "network.reminders", Every: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Network.Remind(ctx, access.System); return err }},
		{Name: "network.lapse", Every: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Network.LapseOverdue(ctx, access.System); return err }},
		{Name: "newsletter.retention", Every: 24 * time.Hour, Run: func(ctx context.Context) error { _, err := a.Newsletter.Retain(ctx, access.System); return err }},
		{Name: "publications.forget_visitors", Every: 24 * time.Hour, Run: func(ctx context.Context) error { return a.Publications.ForgetVisitors(ctx, access.System) }},
	}}
}

// anonymiseExpiredExperts anonymises archived expert profiles kept longer
// than the retention period (GDPR storage limitation).
func (a *App) anonymiseExpiredExperts(ctx context.Context) error {
	n, err := a.Experts.AnonymiseExpired(ctx, time.Now().UTC(), a.Config.Retention(), access.System)
	if n > 0 {
		a.Logger.Info("archived expert profiles anonymised after the retention period", "count", n)
	}
	return err
}

// expireProposals expires the proposals left unanswered past their due
// date and tells the coordinators.
func (a *App) expireProposals(ctx context.Context) error {
	n, err := a.Missions.ExpireDue(ctx, access.System)
	if n > 0 {
		a.Logger.Info("unanswered proposals expired", "count", n)
	}
	return err
}

// newsletter wires the newsletters: the service, and its send pipeline on
// the relay of the transactional emails (app.SMTP), with the pipeline's
// own settings.
func (a *App) newsletter(cfg config.Config, logger *slog.Logger) error {
	a.Newsletter = newsletter.New(newsletter.Options{DB: a.DB, BaseURL: cfg.PublicURL(), From: cfg.MailFrom,
		WebhookSecret: cfg.NewsletterWebhookSecret, Logger: logger, Notify: a.Mail.Notify, Cards: a.newsletterCards(cfg.PublicURL())})
	relay, ok, err := SMTP(cfg)
	if err != nil {
		return err
	}
	a.Campaigns, err = a.Newsletter.NewSender(newsletter.SenderOptions{Relay: relay, HasRelay: ok,
		Connections: cfg.NewsletterConnections, Rate: cfg.NewsletterRate, BatchSize: cfg.NewsletterBatch})
	if err != nil {
		return fmt.Errorf("VIVIER_SMTP_URL: %w", err)
	}
	return nil
}
