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
	"vivier/internal/progress"
	"vivier/internal/store"
)

// importCommand is `vivier import experts FILE` and `vivier import needs FILE`.
func importCommand() *command {
	return &command{
		name:    "import",
		summary: "import experts (CSV or XLSX) or needs (JSON) from a file, all or nothing",
		usage:   "experts|needs FILE, or subscribers --list ID [--basis B] FILE",
		detail: `vivier import experts FILE reads a CSV (comma, semicolon or tab; UTF-8 with or
without BOM, Windows-1252 or UTF-16) or XLSX file with French headers and upserts
every row on its reference. vivier import needs FILE reads a JSON array of needs.
A file with any bad row is refused whole: every error is listed with its line and
column (or need and field) and nothing is written. Files up to 200 MB. See
docs/import-export.md.

vivier import subscribers --list ID [--basis consent|contract|legitimate_interest|
legal_obligation|public_task] FILE adds the people of a CSV or XLSX file (columns
email, nom, mesure) to the newsletter list ID under the lawful basis given for the
whole file (default consent), all or nothing; addresses that unsubscribed, bounced
hard or complained are skipped. See docs/newsletters.md.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) { cfg.DatabaseFlag(fs) },
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) > 0 && args[0] == "subscribers" {
				return importSubscribers(ctx, env, cfg, args[1:]) // newsletter.go
			}
			args, err := reparse(args, func(fs *flag.FlagSet) { cfg.DatabaseFlag(fs) })
			if err != nil {
				return err
			}
			if len(args) != 2 || (args[0] != "experts" && args[0] != "needs") {
				return usageError{"usage: vivier import experts FILE or vivier import needs FILE"}
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
			if args[0] == "needs" {
				return importNeeds(ctx, env, db, f)
			}
			return importExperts(ctx, env, db, f)
		},
	}
}

// reparse reads the flags written after the noun ("experts --format xlsx"),
// which the command's flag set stopped at.
func reparse(args []string, register func(fs *flag.FlagSet)) ([]string, error) {
	var out []string
	for len(args) > 0 {
		fs := flag.NewFlagSet("", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		register(fs)
		if err := fs.Parse(args); err != nil {
			return nil, usageError{flagMessage(err)}
		}
		args = fs.Args()
		if len(args) > 0 {
			out = append(out, args[0])
			args = args[1:]
		}
	}
	return out, nil
}

func openQuiet(ctx context.Context, env IO, cfg config.Config) (*store.DB, error) {
	return openDatabase(ctx, cfg, slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}

func importExperts(ctx context.Context, env IO, db *store.DB, f *os.File) error {
	var bar *progress.Bar
	opts := expert.ImportOptions{Limit: expert.MaxImportSize, Progress: func(done, total int) {
		if bar == nil {
			bar = progress.New(env.Stderr, "Import des experts", total)
			bar.Add(done)
			return
		}
		bar.Add(500)
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
		return fmt.Errorf("%s refusé : %s, rien n’a été importé", f.Name(), fr.Plural(len(ie.Errors), "erreur", "erreurs"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s importé (%s%s) : %d créé(s), %d mis à jour, %d inchangé(s).\n",
		f.Name(), rep.Format, encodingNote(rep.Encoding), rep.Created, rep.Updated, rep.Unchanged)
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
	fmt.Fprintf(env.Stdout, "%s importé : %d besoin(s) créé(s).\n", f.Name(), len(ids))
	return nil
}

// exportCommand is `vivier export experts [--format csv|xlsx] [--output FILE]`.
func exportCommand() *command {
	format, output := "csv", ""
	// register keeps the values already parsed as defaults, so that flags
	// read before the noun survive the second parse (see reparse).
	register := func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", format, "csv (UTF-8, comma) or xlsx")
		fs.StringVar(&output, "output", output, "file to write (default: standard output)")
	}
	return &command{
		name:    "export",
		summary: "export the expert pool as CSV or XLSX, re-importable as it is",
		usage:   "experts",
		detail: `Writes every expert with the columns vivier import experts reads; cells that a
spreadsheet would run as a formula are neutralised with a leading apostrophe,
which the import removes again.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) { cfg.DatabaseFlag(fs); register(fs) },
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			args, err := reparse(args, func(fs *flag.FlagSet) { cfg.DatabaseFlag(fs); register(fs) })
			if err != nil {
				return err
			}
			if len(args) != 1 || args[0] != "experts" {
				return usageError{"usage: vivier export experts [--format csv|xlsx] [--output FILE]"}
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
			return exportExperts(ctx, env, db, format, output)
		},
	}
}

func exportExperts(ctx context.Context, env IO, db *store.DB, format, output string) error {
	w := env.Stdout
	var file *os.File
	if output != "" {
		var err error
		if file, err = os.CreateTemp(dirOf(output), ".vivier-export-*"); err != nil {
			return fmt.Errorf("cannot write %s: %w", output, errors.Unwrap(err))
		}
		defer os.Remove(file.Name())
		defer file.Close()
		w = file
	}
	n, err := expert.New(expert.Options{DB: db, Geo: geo.Default()}).Export(ctx, w, format, access.System)
	if err != nil {
		return err
	}
	if file != nil {
		// Written aside then renamed: a failed export never leaves half a file.
		if err := file.Close(); err != nil {
			return err
		}
		if err := os.Rename(file.Name(), output); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "%d experts exportés dans %s.\n", n, output)
	}
	return nil
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}
