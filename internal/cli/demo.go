package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"vivier/internal/config"
	"vivier/internal/demo"
)

func demoCommand() *command {
	return &command{
		name:    "demo",
		summary: "serve Vivier with a realistic demo data set and print the demo accounts",
		detail: `Without --db the demo runs on a fresh SQLite database in a temporary folder,
removed when the server stops. With --db it fills the database given, which must
be empty (or hold an earlier demo, which is then reused as it is). The demo
serves no /metrics unless --metrics-addr is given, so that it starts beside a
running vivier serve.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			if cfg.DatabaseURL == config.Default().DatabaseURL {
				cfg.DatabaseURL = "" // a fresh temporary database unless one is named
			}
			if cfg.MetricsAddr == config.Default().MetricsAddr {
				cfg.MetricsAddr = "" // no metrics listener unless one is named
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
			accounts, err := prepareDemo(ctx, env, cfg)
			if err != nil {
				return err
			}
			// The accounts are printed once the port is ours, last and
			// apart from the logs: a stale server on the same port makes
			// the start fail instead of silently taking the visitor's
			// requests.
			return serveThen(ctx, env, cfg, true, func(addr net.Addr) { printDemoAccounts(env, cfg, addr, accounts) })
		},
	}
}

// prepareDemo fills the demo database (unless it already holds a demo) and
// returns the demo accounts. Its logs are quiet (warnings only): the
// migrations are not news to someone trying Vivier; the progress bars of the
// demo data go to the terminal.
func prepareDemo(ctx context.Context, env IO, cfg config.Config) ([]demo.Account, error) {
	db, err := openQuiet(ctx, env, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return demo.Fill(ctx, db, demo.Options{Progress: env.Stderr, BaseURL: cfg.PublicURL()})
}

// printDemoAccounts tells where the demo is served and with which accounts.
func printDemoAccounts(env IO, cfg config.Config, addr net.Addr, accounts []demo.Account) {
	url := cfg.BaseURL
	if url == "" {
		url = "http://" + addr.String()
	}
	w := env.Stdout
	fmt.Fprintf(w, "\nDémo Vivier prête : %s\n\n", url)
	if len(accounts) > 0 {
		fmt.Fprintln(w, "Comptes de démonstration :")
		for _, a := range accounts {
			fmt.Fprintf(w, "  %-15s %-30s mot de passe : %s\n", a.Role, a.Email, a.Password)
		}
		fmt.Fprintln(w, "\nLa double authentification est désactivée pour ces comptes de démonstration ; elle est obligatoire pour les coordinateurs et administrateurs réels.")
	}
	fmt.Fprintln(w, "Arrêt : Ctrl-C (la base de démonstration est alors effacée).")
}
