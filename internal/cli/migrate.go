package cli

import (
	"context"
	"flag"
	"fmt"

	"vivier/internal/config"
	"vivier/internal/store"
)

func migrateCommand() *command {
	return &command{
		name:    "migrate",
		summary: "apply pending database migrations and print the schema version",
		detail: `Each migration runs in its own transaction: one that fails leaves the schema
at the previous version. serve and demo also migrate at start.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) { cfg.DatabaseFlag(fs) },
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
			}
			db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
			if err != nil {
				return err
			}
			defer db.Close()
			applied, err := db.Migrate(ctx)
			for _, m := range applied {
				fmt.Fprintf(env.Stdout, "applied %04d_%s\n", m.Version, m.Name)
			}
			if err != nil {
				return err
			}
			v, err := db.SchemaVersion(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%s: schema at version %d (%d applied now)\n", db.Source(), v, len(applied))
			return nil
		},
	}
}
