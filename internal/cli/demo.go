package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"vivier/internal/config"
	"vivier/internal/demo"
	"vivier/internal/store"
)

func demoCommand() *command {
	return &command{
		name:    "demo",
		summary: "serve Vivier with a realistic demo data set and print the demo accounts",
		detail: `Without --db the demo runs on a fresh SQLite database in a temporary folder,
removed when the server stops. With --db it fills the database given, which must
be empty (or hold an earlier demo, which is then reused as it is).`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			if cfg.DatabaseURL == config.Default().DatabaseURL {
				cfg.DatabaseURL = "" // a fresh temporary database unless one is named
			}
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
			if cfg.DatabaseURL == "" {
				dir, err := os.MkdirTemp("", "vivier-demo-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(dir)
				cfg.DatabaseURL = filepath.Join(dir, "demo.db")
			}
			if err := prepareDemo(ctx, env, cfg); err != nil {
				return err
			}
			return serve(ctx, env, cfg, true)
		},
	}
}

// prepareDemo fills the demo database (unless it already holds a demo) and
// prints the demo accounts.
func prepareDemo(ctx context.Context, env IO, cfg config.Config) error {
	_, db, err := openLogged(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	accounts, err := demo.Fill(ctx, db, demo.Options{Progress: env.Stderr, BaseURL: cfg.PublicURL()})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Démo Vivier prête sur %s (base %s).\n", cfg.PublicURL(), dbLabel(db))
	if len(accounts) > 0 {
		fmt.Fprintln(env.Stdout, "Comptes de démonstration :")
		for _, a := range accounts {
			fmt.Fprintf(env.Stdout, "  %-15s %-30s mot de passe : %s\n", a.Role, a.Email, a.Password)
		}
		fmt.Fprintln(env.Stdout, "La double authentification est désactivée pour ces comptes de démonstration ; elle est obligatoire pour les coordinateurs et administrateurs réels.")
	}
	return nil
}

func dbLabel(db *store.DB) string { return string(db.Engine()) + " " + db.Source() }
