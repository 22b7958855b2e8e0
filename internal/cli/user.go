package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/config"
	"vivier/internal/valid"
)

// newUser holds the flags of `vivier user create`.
type newUser struct {
	email, name, role string
	org               int64
}

func (u *newUser) register(fs *flag.FlagSet, cfg *config.Config) {
	cfg.DatabaseFlag(fs)
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "public URL of the site, for the link (env VIVIER_BASE_URL)")
	fs.StringVar(&u.email, "email", u.email, "email address of the account (required)")
	fs.StringVar(&u.name, "name", u.name, "name of the person (required)")
	fs.StringVar(&u.role, "role", "admin", "admin, coordinator, expert, requester or member")
	fs.Int64Var(&u.org, "organisation", u.org, "organisation id, for a requester or a member")
}

func userCommand() *command {
	var u newUser
	return &command{
		name:    "user",
		usage:   "create --email EMAIL --name NAME [--role ROLE] [--organisation ID]",
		summary: "create an account and print its invitation link (the first administrator)",
		detail: `vivier user create makes an invited account and prints the link that sets its
password, valid 7 days: on a new installation, create the first administrator
this way; they invite everyone else from the web pages. ROLE is admin (default),
coordinator, expert, requester or member; requesters and members need the id of
their organisation.`,
		flags: u.register,
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) != 1 || args[0] != "create" {
				return usageError{"want: vivier user create --email EMAIL --name NAME"}
			}
			return createUser(ctx, env, cfg, u)
		},
	}
}

func createUser(ctx context.Context, env IO, cfg config.Config, n newUser) error {
	_, db, err := openLogged(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	accounts := account.New(account.Options{DB: db, BaseURL: cfg.PublicURL()})
	u, link, err := accounts.Bootstrap(ctx, account.NewUser{Email: n.email, Name: n.name, Role: access.Role(n.role), OrganisationID: n.org})
	if list, ok := valid.As(err); ok {
		var msgs []string
		for _, fe := range list {
			msgs = append(msgs, "--"+fe.Field+": "+fe.Message)
		}
		return usageError{strings.Join(msgs, "; ")}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Compte créé pour %s (%s). Pour choisir le mot de passe, ouvrir :\n%s\n", u.Email, u.Role.Label(), link)
	return nil
}
