package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/config"
	"vivier/internal/valid"
)

// tokenCommand is `vivier token create --email EMAIL [--name NAME] [--scope read|write]`.
func tokenCommand() *command {
	var email, name, scope string
	days := 365
	register := func(fs *flag.FlagSet, cfg *config.Config) {
		cfg.DatabaseFlag(fs)
		fs.StringVar(&email, "email", email, "email address of the account (required)")
		fs.StringVar(&name, "name", "vivier token create", "what the token is for, shown on the account page")
		fs.StringVar(&scope, "scope", "read", "read (GET only) or write")
		fs.IntVar(&days, "days", days, "how many days the token lives (1 to 730)")
	}
	return &command{
		name:    "token",
		usage:   "create --email EMAIL [--name NAME] [--scope read|write] [--days N]",
		summary: "print a new API token of an account, for scripts and installations",
		detail: `vivier token create prints a new API token (viv_…) of the active account with
EMAIL, to call the API with "Authorization: Bearer viv_…". The token acts as that
account, with its role; --scope read (the default) allows GET only; it expires
after --days days (a year by default, two at most). The secret
is printed once and never stored; the owner sees the token on their account page
and may revoke it there. The creation is recorded in the audit log, by the
command line.`,
		flags: register,
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) == 0 || args[0] != "create" {
				return usageError{"want: vivier token create --email EMAIL [--name NAME] [--scope read|write] [--days N]"}
			}
			if len(args) > 1 {
				return usageError{fmt.Sprintf("unexpected argument %q", args[1])}
			}
			if strings.TrimSpace(email) == "" {
				return usageError{"give the account's address: --email EMAIL"}
			}
			if scope != string(account.ScopeRead) && scope != string(account.ScopeWrite) {
				return usageError{fmt.Sprintf("--scope %q: want read or write", scope)}
			}
			if days < 1 || days > 730 {
				return usageError{fmt.Sprintf("--days %d: want 1 to 730", days)}
			}
			db, err := openQuiet(ctx, env, cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			spec := account.TokenSpec{Name: name, Scope: account.Scope(scope), Lifetime: time.Duration(days) * 24 * time.Hour}
			secret, token, err := account.New(account.Options{DB: db}).IssueToken(ctx, email, spec, access.System)
			if list, ok := valid.As(err); ok {
				var msgs []string
				for _, fe := range list {
					msgs = append(msgs, fe.Message)
				}
				return fmt.Errorf("%s", strings.Join(msgs, " ; "))
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, secret)
			fmt.Fprintf(env.Stderr, "expires %s\n", token.ExpiresAt.Format("2006-01-02"))
			return nil
		},
	}
}
