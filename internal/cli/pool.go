package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"vivier/internal/access"
	"vivier/internal/config"
	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/newsletter"
	"vivier/internal/progress"
	"vivier/internal/store"
)

// importCommand is `vivier import experts FILE`, `vivier import needs FILE`
// `vivier import members FILE` and `vivier import attendance --event ID FILE`.
func importCommand() *command {
	var eventID, listID int64
	basis := string(newsletter.Consent)
	return &command{
		name:    "import",
		summary: "import experts (CSV or XLSX), needs (JSON), members (CSV or XLSX), newsletter subscribers or an event's attendance from a file, all or nothing",
		usage:   "experts|needs|members FILE, attendance --event ID FILE, or subscribers --list ID [--basis B] FILE",
		detail: `vivier import experts FILE reads a CSV (comma, semicolon or tab; UTF-8 with or
without BOM, Windows-1252 or UTF-16) or XLSX file with French headers and upserts
every row on its reference. vivier import needs FILE reads a JSON array of needs.
A file with any bad row is refused whole: every error is listed with its line and
column (or need and field) and nothing is written. Files up to 200 MB. See
docs/import-export.md. vivier import members FILE reads the network's members
(CSV or XLSX: organisation, siren, email_referent, budget or population…; see
docs/network.md): new members join with this year's membership and their
referent is invited. vivier import attendance --event ID FILE reads a webinar
tool's attendance export (email, join and leave times or a duration) and marks
present the confirmed registrations that attended the event's share; see
docs/events.md.

vivier import subscribers --list ID [--basis consent|contract|legitimate_interest|
legal_obligation|public_task] FILE adds the people of a CSV or XLSX file (columns
email, nom, mesure) to the newsletter list ID under the lawful basis given for the
whole file (default consent), all or nothing; addresses that unsubscribed, bounced
hard or complained are skipped. See docs/newsletters.md.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			cfg.DatabaseFlag(fs)
			fs.Int64Var(&eventID, "event", 0, "with attendance: the id of the event whose attendance the file holds")
			fs.Int64Var(&listID, "list", 0, "with subscribers: the id of the newsletter list")
			fs.StringVar(&basis, "basis", basis, "with subscribers: the lawful basis of the whole file")
		},
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) > 0 && args[0] == "attendance" {
				return importAttendance(ctx, env, cfg, eventID, args[1:]) // event.go
			}
			if len(args) > 0 && args[0] == "subscribers" {
				return importSubscribers(ctx, env, cfg, listID, basis, args[1:]) // newsletter.go
			}
			if len(args) != 2 || (args[0] != "experts" && args[0] != "needs" && args[0] != "members") {
				return usageError{"usage: vivier import experts FILE, vivier import needs FILE or vivier import members FILE"}
			}
			f, err := os.Open(args[1])
			if err != nil {
				return fmt.Errorf("cannot open %s: %w", args[1], errors.Unwrap(err))
			}
			defer f.Close()
			db, err := openQuiet(ctx, env, cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			switch args[0] {
			case "needs":
				return importNeeds(ctx, env, db, f)
			case "members":
				return importMembers(ctx, env, cfg, db, f)
			}
			return importExperts(ctx, env, db, f)
		},
	}
}

func openQuiet(ctx context.Context, env IO, cfg config.Config) (*store.DB, error) {
	return openDatabase(ctx, cfg, slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}

func importExperts(ctx context.Context, env IO, db *store.DB, f *os.File) error {
	var bar *progress.Bar
	shown := 0
	opts := expert.ImportOptions{Limit: expert.MaxImportSize, Progress: func(done, total int) {
		if bar == nil {
			bar = progress.New(env.Stderr, "Import des experts", total)
		}
		bar.Add(done - shown)
		shown = done
	}}
	rep, err := expert.New(expert.Options{DB: db, Geo: geo.Default()}).Import(ctx, f, opts, access.System)
	if bar != nil {
		bar.Finish()
	}
	var ie *expert.ImportError
	if errors.As(err, &ie) {
		for _, e := range ie.Errors {
			fmt.Fprintf(env.Stderr, "%s: %s\n", f.Name(), e.Error())
		}
		if ie.More > 0 {
			fmt.Fprintf(env.Stderr, "%s: … et %s, non affichées\n", f.Name(), fr.Plural(ie.More, "autre erreur", "autres erreurs"))
		}
		return fmt.Errorf("%s refusé : %s, rien n’a été importé", f.Name(), fr.Plural(ie.Total(), "erreur", "erreurs"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s importé (%s%s) : %s créé(s), %s mis à jour, %s inchangé(s).\n",
		f.Name(), rep.Format, encodingNote(rep.Encoding), fr.Int(int64(rep.Created)), fr.Int(int64(rep.Updated)), fr.Int(int64(rep.Unchanged)))
	return nil
}

func encodingNote(enc string) string {
	if enc == "" {
		return ""
	}
	return ", " + enc
}

func importNeeds(ctx context.Context, env IO, db *store.DB, f *os.File) error {
	ids, err := need.New(need.Options{DB: db, Geo: geo.Default()}).Import(ctx, f, need.MaxImportSize, access.System)
	var ie *need.ImportError
	if errors.As(err, &ie) {
		for _, e := range ie.Errors {
			fmt.Fprintf(env.Stderr, "%s: %s : %s\n", f.Name(), e.Field, e.Message)
		}
		return fmt.Errorf("%s refusé : %s, rien n’a été importé", f.Name(), fr.Plural(len(ie.Errors), "erreur", "erreurs"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s importé : %s besoin(s) créé(s).\n", f.Name(), fr.Int(int64(len(ids))))
	return nil
}

// exportCommand is `vivier export experts [--format csv|xlsx] [--output FILE]`.
func exportCommand() *command {
	format, output, year := "csv", "", 0
	// register keeps the values already parsed as defaults, so that flags
	// read before the noun survive.
	register := func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", format, "csv (UTF-8, comma) or xlsx")
		fs.StringVar(&output, "output", output, "file to write (default: standard output)")
		fs.IntVar(&year, "year", year, "the year of the memberships (export memberships)")
	}
	return &command{
		name:    "export",
		summary: "export the expert pool (re-importable as it is) or a year's memberships as CSV or XLSX",
		usage:   "experts | memberships --year YEAR",
		detail: `Writes every expert with the columns vivier import experts reads; cells that a
spreadsheet would run as a formula are neutralised with a leading apostrophe,
which the import removes again. vivier export memberships --year YEAR writes the
memberships of a year (status, fee and its formula, invoice, payment).`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) { cfg.DatabaseFlag(fs); register(fs) },
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) != 1 || args[0] != "experts" && args[0] != "memberships" {
				return usageError{"usage: vivier export experts [--format csv|xlsx] [--output FILE] or vivier export memberships --year YEAR [--format csv|xlsx] [--output FILE]"}
			}
			if args[0] == "memberships" && (year < 2000 || year > 2100) {
				return usageError{"give the year of the memberships: --year 2027"}
			}
			format = strings.ToLower(format)
			if format != "csv" && format != "xlsx" {
				return usageError{fmt.Sprintf("format %q: want csv or xlsx", format)}
			}
			if format == "xlsx" && output == "" {
				return usageError{"an XLSX workbook is binary: give --output FILE.xlsx"}
			}
			db, err := openQuiet(ctx, env, cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			if args[0] == "memberships" {
				return exportMemberships(ctx, env, cfg, db, year, format, output)
			}
			return exportExperts(ctx, env, db, format, output)
		},
	}
}

func exportExperts(ctx context.Context, env IO, db *store.DB, format, output string) error {
	n, err := writeOutput(env, output, func(w io.Writer) (int, error) {
		return expert.New(expert.Options{DB: db, Geo: geo.Default()}).Export(ctx, w, format, access.System)
	})
	if err == nil && output != "" {
		fmt.Fprintf(env.Stderr, "%s experts exportés dans %s.\n", fr.Int(int64(n)), output)
	}
	return err
}

// writeOutput runs write on output, or on standard output when output is
// "": a file is written aside then renamed, so that a failed export never
// leaves half a file. It returns write's count.
func writeOutput(env IO, output string, write func(io.Writer) (int, error)) (int, error) {
	if output == "" {
		return write(env.Stdout)
	}
	file, err := os.CreateTemp(dirOf(output), ".vivier-export-*")
	if err != nil {
		return 0, fmt.Errorf("cannot write %s: %w", output, errors.Unwrap(err))
	}
	defer os.Remove(file.Name())
	defer file.Close()
	n, err := write(file)
	if err != nil {
		return n, err
	}
	if err := file.Close(); err != nil {
		return n, err
	}
	return n, os.Rename(file.Name(), output)
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}
