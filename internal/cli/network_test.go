package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/config"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// openSource opens and migrates the database of source, for a test to
// prepare what a command needs.
func openSource(t *testing.T, source string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, source, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestMembersImportExportAndTokenCommands(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			src := storetest.Source(t, engine)
			db := openSource(t, src)
			year := date.Today().Year
			fixed := int64(1_500)
			sch := network.Schedule{Year: year, Bands: []network.Band{{Basis: network.Budget, From: 0, Fixed: &fixed}, {Basis: network.Population, From: 0, RatePPM: 50_000}}}
			if err := networkService(db, config.Default()).SaveSchedule(ctx, sch, access.System); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			testdata := "../network/testdata/"
			// The file's newcomer joins this year, whatever year it is.
			raw, err := os.ReadFile(testdata + "members.csv")
			if err != nil {
				t.Fatal(err)
			}
			members := filepath.Join(dir, "members.csv")
			if err := os.WriteFile(members, []byte(strings.ReplaceAll(string(raw), ";2027\n", fmt.Sprintf(";%d\n", year))), 0o600); err != nil {
				t.Fatal(err)
			}
			steps := []struct {
				name         string
				args         []string
				code         int
				stdout, errs []string
			}{
				{"bad members file", []string{"import", "--db", src, "members", testdata + "members_errors.csv"}, 1, nil,
					[]string{"members_errors.csv: ligne 2, colonne budget : indiquez le budget", "members_errors.csv: ligne 4, colonne themes", "rien n’a été importé"}},
				{"members file", []string{"import", "members", members, "--db", src}, 0,
					[]string{"(csv, utf-8) : 3 adhérent(s) créé(s), 0 mis à jour, 3 référent(s) invité(s)"}, nil},
				{"memberships without a year", []string{"export", "--db", src, "memberships"}, 2, nil, []string{"--year"}},
				{"memberships in CSV", []string{"export", "--db", src, "memberships", "--year", fmt.Sprint(year)}, 0,
					[]string{"annee,organisation,siren", "Métropole de Lyon,200046977,epci,invited,population,1400000"}, nil},
				{"memberships in XLSX", []string{"export", "memberships", "--db", src, "--year", fmt.Sprint(year), "--format", "xlsx", "--output", filepath.Join(dir, "cotisations.xlsx")}, 0,
					nil, []string{fmt.Sprintf("3 adhésions %d exportées", year)}},
				{"token of an invited account", []string{"token", "create", "--db", src, "--email", "direction@loire.test"}, 1, nil, []string{"n’est pas actif"}},
				{"token of nobody", []string{"token", "create", "--db", src, "--email", "personne@nulle.part"}, 1, nil, []string{"Aucun compte"}},
				{"token without email", []string{"token", "create", "--db", src}, 2, nil, []string{"--email"}},
				{"token with a bad scope", []string{"token", "create", "--db", src, "--email", "a@b.fr", "--scope", "admin"}, 2, nil, []string{"read or write"}},
				{"token living too long", []string{"token", "create", "--db", src, "--email", "a@b.fr", "--days", "1000"}, 2, nil, []string{"1 to 730"}},
			}
			for _, st := range steps {
				code, stdout, stderr := run(t, ctx, st.args...)
				if code != st.code {
					t.Errorf("%s: exit %d, want %d (stderr %q)", st.name, code, st.code, stderr)
				}
				for _, w := range st.stdout {
					if !strings.Contains(stdout, w) {
						t.Errorf("%s: stdout %q lacks %q", st.name, stdout, w)
					}
				}
				for _, w := range st.errs {
					if !strings.Contains(stderr, w) {
						t.Errorf("%s: stderr %q lacks %q", st.name, stderr, w)
					}
				}
			}
			if info, err := os.Stat(filepath.Join(dir, "cotisations.xlsx")); err != nil || info.Size() == 0 {
				t.Errorf("the workbook: %v", err)
			}

			// A token of an active account opens the API as that account,
			// and its creation is audited as the command line's.
			accounts := account.New(account.Options{DB: db})
			if _, err := accounts.CreateWithPassword(ctx, account.NewUser{Email: "script@federation.test", Name: "Scripts", Role: access.Coordinator},
				"une phrase de passe assez longue", false); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := run(t, ctx, "token", "create", "--db", src, "--email", "Script@Federation.test", "--name", "export nocturne")
			secret := strings.TrimSpace(stdout)
			if code != 0 || !strings.HasPrefix(secret, "viv_") || strings.Contains(secret, "\n") {
				t.Fatalf("token create: %d %q %q", code, stdout, stderr)
			}
			u, scope, err := accounts.AuthenticateToken(ctx, secret)
			if err != nil || u.Email != "script@federation.test" || scope != account.ScopeRead {
				t.Errorf("the token: %v %s %v", u.Email, scope, err)
			}
			entries, _, err := audit.New(audit.Options{DB: db}).List(ctx, audit.Filter{Action: "account.token_created"}, access.System)
			if err != nil || len(entries) != 1 || entries[0].Actor.UserID != 0 || entries[0].Actor.IP != "système" || entries[0].SubjectUserID != u.ID {
				t.Errorf("audit of the token: %+v %v", entries, err)
			}
		})
	}
}
