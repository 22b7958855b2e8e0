package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"vivier/internal/access"
	"vivier/internal/config"
	"vivier/internal/event"
	"vivier/internal/fr"
	"vivier/internal/geo"
)

// importAttendance is `vivier import attendance --event ID FILE`: a webinar
// tool's attendance export (CSV or XLSX) matched to the event's confirmed
// registrations by email. A file with a bad line is refused whole, every
// line named; the lines whose email matches no registration are listed.
func importAttendance(ctx context.Context, env IO, cfg config.Config, eventID int64, args []string) error {
	if len(args) != 1 || eventID <= 0 {
		return usageError{"usage: vivier import attendance --event ID FILE"}
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
	svc := event.New(event.Options{DB: db, Geo: geo.Default()})
	rep, err := svc.ImportAttendance(ctx, eventID, f, access.System)
	var ie *event.ImportError
	if errors.As(err, &ie) {
		for _, e := range ie.Errors {
			fmt.Fprintf(env.Stderr, "%s: %s\n", f.Name(), e.Error())
		}
		return fmt.Errorf("%s refusé : %s, rien n’a été importé", f.Name(), fr.Plural(len(ie.Errors), "erreur", "erreurs"))
	}
	if access.CodeOf(err) == access.NotFound {
		return fmt.Errorf("aucun événement n° %d", eventID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s importé : %s lignes lues, %s inscriptions retrouvées, dont %s présentes.\n", f.Name(), fr.Int(int64(rep.Lines)), fr.Int(int64(rep.Matched)), fr.Int(int64(rep.Present)))
	for _, u := range rep.Unmatched {
		fmt.Fprintf(env.Stdout, "ligne %s : %s (%s min) ne correspond à aucune inscription confirmée\n", fr.Int(int64(u.Line)), u.Email, fr.Int(int64(u.Minutes)))
	}
	return nil
}
