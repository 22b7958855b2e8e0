package cli

import (
	"context"
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
/healthz, /readyz and /metrics until SIGINT or SIGTERM, when it stops accepting
connections and lets requests in flight finish.`,
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
	logger, db, err := openLogged(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := app.New(ctx, cfg, logger, db, app.Options{Demo: demo, Version: Version})
	if err != nil {
		return err
	}
	return a.Run(ctx, func(addr net.Addr) {
		logger.Info("serving", "url", "http://"+addr.String(), "database", db.Source(), "engine", db.Engine(), "version", Version)
	})
}
