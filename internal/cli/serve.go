package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"

	"vivier/internal/app"
	"vivier/internal/config"
)

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "run the web application and the JSON API",
		detail: `Applies pending migrations, then serves the web pages, the API under /api/v1,
/healthz and /readyz, and the Prometheus /metrics on their own listener
(--metrics-addr, loopback by default), until SIGINT or SIGTERM, when it stops
accepting connections and lets requests in flight finish.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			cfg.DatabaseFlag(fs)
			cfg.ServerFlags(fs)
			cfg.MailFlags(fs)
			cfg.NewsletterFlags(fs)
			cfg.OIDCFlags(fs)
			cfg.LogFlags(fs)
		},
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
			}
			return serve(ctx, env, cfg, false)
		},
	}
}

// serve opens the database, wires the application and serves until ctx ends.
func serve(ctx context.Context, env IO, cfg config.Config, demo bool) error {
	return serveThen(ctx, env, cfg, demo, nil)
}

// serveThen is serve, calling ready (when not nil) once the address is
// bound and before the first request is taken.
func serveThen(ctx context.Context, env IO, cfg config.Config, demo bool, ready func(net.Addr)) error {
	logger, db, err := openLogged(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := app.New(ctx, cfg, logger, db, app.Options{Demo: demo, Version: Version})
	if err != nil {
		return err
	}
	err = a.Run(ctx, func(addr net.Addr) {
		logger.Info("serving", "url", "http://"+addr.String(), "database", db.Source(), "engine", db.Engine(), "version", Version)
		if ready != nil {
			ready(addr)
		}
	})
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "listen" {
		return fmt.Errorf("cannot listen on %s: %v (another server may be running there: stop it, or give --addr)", cfg.Addr, opErr.Err)
	}
	return err
}
