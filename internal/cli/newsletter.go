package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"vivier/internal/access"
	"vivier/internal/config"
	"vivier/internal/fr"
	"vivier/internal/newsletter"
)

// importSubscribers is `vivier import subscribers --list ID [--basis B] FILE`.
func importSubscribers(ctx context.Context, env IO, cfg config.Config, id int64, basis string, args []string) error {
	if len(args) != 1 || id <= 0 {
		return usageError{"usage: vivier import subscribers --list ID [--basis consent|contract|legitimate_interest|legal_obligation|public_task] FILE"}
	}
	b, err := newsletter.ParseBasis(basis)
	if err != nil {
		return usageError{"--basis: want consent, contract, legitimate_interest, legal_obligation or public_task"}
	}
	f, err := os.Open(args[0])
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", args[0], errors.Unwrap(err))
	}
	defer f.Close()
	db, err := openQuiet(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	s := newsletter.New(newsletter.Options{DB: db, BaseURL: cfg.PublicURL(), From: cfg.MailFrom})
	added, err := s.Import(ctx, id, f, b, access.System)
	var ie *newsletter.ImportError
	switch {
	case errors.As(err, &ie):
		for _, e := range ie.Errors {
			fmt.Fprintf(env.Stderr, "%s: %s\n", f.Name(), e.Error())
		}
		return fmt.Errorf("%s refusé : %s, rien n’a été importé", f.Name(), fr.Plural(len(ie.Errors), "erreur", "erreurs"))
	case access.CodeOf(err) == access.NotFound:
		return fmt.Errorf("aucune liste n° %d", id)
	case err != nil:
		return err
	}
	fmt.Fprintf(env.Stdout, "%s importé dans la liste %d : %s, %s (désabonnés, rejets définitifs, plaintes ou déjà inscrits).\n",
		f.Name(), id, fr.Plural(added.Added, "personne ajoutée", "personnes ajoutées"), fr.Plural(added.Skipped, "ignorée", "ignorées"))
	return nil
}
