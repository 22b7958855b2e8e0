package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/config"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/network"
	"vivier/internal/store"
)

// networkService builds the network's service for the commands that use
// it alone (import members, export memberships).
func networkService(db *store.DB, cfg config.Config) *network.Service {
	accounts := account.New(account.Options{DB: db, BaseURL: cfg.PublicURL()})
	return network.New(network.Options{DB: db, Geo: geo.Default(), Accounts: accounts, BaseURL: cfg.PublicURL()})
}

// importMembers is `vivier import members FILE`.
func importMembers(ctx context.Context, env IO, cfg config.Config, db *store.DB, f *os.File) error {
	rep, err := networkService(db, cfg).ImportMembers(ctx, f, access.System)
	var ie *network.ImportError
	if errors.As(err, &ie) {
		for _, e := range ie.Errors {
			fmt.Fprintf(env.Stderr, "%s: %s\n", f.Name(), e.Error())
		}
		return fmt.Errorf("%s refusé : %s, rien n’a été importé", f.Name(), fr.Plural(len(ie.Errors), "erreur", "erreurs"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s importé (%s%s) : %s adhérent(s) créé(s), %s mis à jour, %s référent(s) invité(s).\n",
		f.Name(), rep.Format, encodingNote(rep.Encoding), fr.Int(int64(rep.Created)), fr.Int(int64(rep.Updated)), fr.Int(int64(rep.Invited)))
	return nil
}

// exportMemberships is `vivier export memberships --year YEAR`.
func exportMemberships(ctx context.Context, env IO, cfg config.Config, db *store.DB, year int, format, output string) error {
	n, err := writeOutput(env, output, func(w io.Writer) (int, error) {
		return networkService(db, cfg).ExportMemberships(ctx, w, year, format, access.System)
	})
	if err == nil && output != "" {
		fmt.Fprintf(env.Stderr, "%s adhésions %d exportées dans %s.\n", fr.Int(int64(n)), year, output)
	}
	return err
}
