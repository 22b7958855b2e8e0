package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"vivier/internal/config"
	"vivier/internal/store"
)

func backupCommand() *command {
	return &command{
		name:    "backup",
		summary: "copy a live SQLite database to FILE, consistently, while the server runs",
		usage:   "FILE",
		detail: `The copy holds every change committed before the backup began and opens as a
normal Vivier database. FILE must not exist. For PostgreSQL, use pg_dump.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) { cfg.DatabaseFlag(fs) },
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) != 1 {
				return usageError{"give the backup file: vivier backup FILE"}
			}
			if store.IsPostgresURL(cfg.DatabaseURL) {
				return store.ErrBackupPostgres
			}
			if _, err := os.Stat(cfg.DatabaseURL); err != nil {
				return fmt.Errorf("database %s does not exist", cfg.DatabaseURL)
			}
			db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.Backup(ctx, args[0]); err != nil {
				return err
			}
			info, err := os.Stat(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "backup of %s written to %s (%d bytes)\n", db.Source(), args[0], info.Size())
			return nil
		},
	}
}
