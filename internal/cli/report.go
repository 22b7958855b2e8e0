package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/event"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/report"
	"vivier/internal/store"
	"vivier/internal/training"
)

func reportCommand() *command {
	var year int
	var format, output string
	return &command{
		name:    "report",
		summary: "write the activity report of a year as JSON, HTML or PDF",
		usage:   "--year YEAR",
		detail: `Computes the activity report of the year from the records, as the page
/rapport/YEAR and GET /api/v1/reports/YEAR show it to staff: the published
snapshot (with the figures that moved since) once the report is published, the
live draft before. JSON goes to standard output unless --output FILE is given;
HTML and PDF need --output FILE or standard output redirected to a file.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			cfg.DatabaseFlag(fs)
			fs.IntVar(&year, "year", 0, "the year of the report, e.g. 2027")
			fs.StringVar(&format, "format", "json", "json, html or pdf")
			fs.StringVar(&output, "output", "", "file to write (default: standard output)")
		},
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
			}
			if year < 2000 || year > 2100 {
				return usageError{"give the year of the report: --year 2027"}
			}
			format = strings.ToLower(format)
			if format != "json" && format != "html" && format != "pdf" {
				return usageError{fmt.Sprintf("format %q: want json, html or pdf", format)}
			}
			if format != "json" && output == "" && isTerminal(env.Stdout) {
				return usageError{fmt.Sprintf("a %s report is a file: give --output FILE.%s or redirect standard output", strings.ToUpper(format), format)}
			}
			db, err := openQuiet(ctx, env, cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			v, err := reportServices(db, cfg).Reports.Get(ctx, year, access.System)
			if err != nil {
				return err
			}
			_, err = writeOutput(env, output, func(w io.Writer) (int, error) { return 0, writeReport(w, v, format) })
			if err == nil && output != "" {
				fmt.Fprintf(env.Stderr, "Rapport d’activité %d écrit dans %s.\n", year, output)
			}
			return err
		},
	}
}

// reportServices builds the report as the application does, on the
// services that feed it.
func reportServices(db *store.DB, cfg config.Config) app.ReportServices {
	ref := geo.Default()
	accounts := account.New(account.Options{DB: db, BaseURL: cfg.PublicURL()})
	return app.NewReportServices(db, ref, app.ReportSources{
		Missions:   mission.New(mission.Options{DB: db, Geo: ref, BaseURL: cfg.PublicURL(), ExpiryDays: cfg.ProposalExpiryDays}),
		Network:    network.New(network.Options{DB: db, Geo: ref, Accounts: accounts, BaseURL: cfg.PublicURL()}),
		Events:     event.New(event.Options{DB: db, Geo: ref, BaseURL: cfg.PublicURL()}),
		Trainings:  training.New(training.Options{DB: db, Geo: ref, BaseURL: cfg.PublicURL()}),
		Newsletter: newsletter.New(newsletter.Options{DB: db, BaseURL: cfg.PublicURL(), From: cfg.MailFrom}),
	})
}

// writeReport writes v in format: the JSON of the API, the standalone HTML
// page or the PDF.
func writeReport(w io.Writer, v report.View, format string) error {
	switch format {
	case "html":
		return report.WriteHTML(w, v)
	case "pdf":
		b, err := report.PDF(v)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(report.JSON(v))
}

// isTerminal reports whether w is a terminal, where a binary file would be
// noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
