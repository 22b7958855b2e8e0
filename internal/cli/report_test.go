package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/config"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/press"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestReportCommand writes the activity report of a year as JSON on
// standard output, as a PDF and as an HTML file, with the figures of the
// records (a press mention, a partner's agreement and its counterparts),
// and refuses what it cannot do, on both engines.
func TestReportCommand(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			src := storetest.Source(t, engine)
			db := openSource(t, src)
			year := date.Today().Year
			if _, err := press.New(press.Options{DB: db}).Create(ctx, press.Input{Outlet: "Les Échos", Scope: press.National,
				PublishedOn: date.Date{Year: year, Month: time.March, Day: 12}, Title: "Les agences au chevet des petites communes",
				URL: "https://presse.exemple.fr/agences"}, access.System); err != nil {
				t.Fatal(err)
			}
			nw := networkService(db, config.Default())
			partner, err := nw.CreatePartner(ctx, network.PartnerInput{Name: "Banque des territoires", Sector: "banque publique"}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			agreement, err := nw.AddAgreement(ctx, partner, network.AgreementInput{Year: year, Amount: 40_000,
				StartsOn: date.Date{Year: year, Month: time.January, Day: 1}, EndsOn: date.Date{Year: year, Month: time.December, Day: 31}}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			for _, title := range []string{"Webinaire commun", "Guide co-signé"} {
				if _, err := nw.AddCounterpart(ctx, agreement, network.CounterpartInput{Kind: network.KindOther, Title: title,
					DueOn: date.Date{Year: year, Month: time.October, Day: 1}}, access.System); err != nil {
					t.Fatal(err)
				}
			}
			y := fmt.Sprint(year)

			code, stdout, stderr := run(t, ctx, "report", "--db", src, "--year", y)
			if code != 0 {
				t.Fatalf("report: exit %d: %s", code, stderr)
			}
			var doc struct {
				Year          int            `json:"year"`
				PublishedAt   *time.Time     `json:"published_at"`
				Communication map[string]any `json:"communication"`
				Partners      map[string]any `json:"partners"`
				Network       map[string]any `json:"network"`
			}
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("the JSON: %v\n%s", err, stdout)
			}
			if doc.Year != year || doc.PublishedAt != nil || doc.Communication["press_mentions"] != 1.0 ||
				doc.Partners["agreements"] != 1.0 || doc.Partners["agreements_eur"] != 40_000.0 || doc.Partners["counterparts_due"] != 2.0 ||
				doc.Partners["counterparts_delivered"] != 0.0 || doc.Partners["tracked"] != true || doc.Network["tracked"] != true {
				t.Errorf("the JSON's figures: year %d, published %v, communication %v, partners %v", doc.Year, doc.PublishedAt, doc.Communication, doc.Partners)
			}

			dir := t.TempDir()
			file := filepath.Join(dir, "rapport.pdf")
			if code, _, stderr := run(t, ctx, "report", "--db", src, "--year", y, "--format", "pdf", "--output", file); code != 0 || !strings.Contains(stderr, "rapport.pdf") {
				t.Fatalf("report as PDF: exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := pdftest.Text(t, b)
			for _, want := range []string{"Rapport d’activité " + y, "Retombées presse", "Conventions avec les membres associés", "40 000 €"} {
				if !strings.Contains(strings.ReplaceAll(text, "\u202f", " "), strings.ReplaceAll(want, "\u202f", " ")) {
					t.Errorf("the PDF's text lacks %q", want)
				}
			}
			// Standard output redirected (not a terminal): the HTML goes there.
			code, stdout, stderr = run(t, ctx, "report", "--db", src, "--year", y, "--format", "html")
			if code != 0 || !strings.Contains(stdout, "<html") || !strings.Contains(stdout, "Les Échos") {
				t.Errorf("report as HTML: exit %d, %s, %.200q", code, stderr, stdout)
			}

			for _, bad := range []struct {
				args []string
				want string
			}{
				{[]string{"report", "--db", src}, "--year 2027"},
				{[]string{"report", "--db", src, "--year", y, "--format", "docx"}, "want json, html or pdf"},
				{[]string{"report", "--db", src, "--year", y, "extra"}, "unexpected argument"},
			} {
				if code, _, stderr := run(t, ctx, bad.args...); code != 2 || !strings.Contains(stderr, bad.want) {
					t.Errorf("%v: exit %d, %q; want 2 and %q", bad.args, code, stderr, bad.want)
				}
			}
			if code, _, stderr := run(t, ctx, "report", "--db", src, "--year", "1999"); code != 2 {
				t.Errorf("a year before any report: exit %d, %q", code, stderr)
			}
		})
	}
}
