package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestImportAndExportCommands(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Source(t, engine)
			experts := "../expert/testdata/"
			dir := t.TempDir()
			steps := []struct {
				name         string
				args         []string
				code         int
				stdout, errs []string
			}{
				{"good file", []string{"import", "--db", db, "experts", experts + "experts_cp1252_semicolon.csv"}, 0,
					[]string{"(csv, windows-1252) : 2 créé(s), 0 mis à jour, 0 inchangé(s)"}, nil},
				{"bad file", []string{"import", "experts", experts + "experts_errors.csv", "--db", db}, 1, nil,
					[]string{"experts_errors.csv: ligne 4, colonne competences : niveau 7 impossible", "refusé : 14 erreurs, rien n’a été importé"}},
				{"export csv", []string{"export", "--db", db, "experts"}, 0,
					[]string{"reference,nom,prenom,email", "EXP-101,Lefèvre,Hélène"}, nil},
				{"export xlsx to a file", []string{"export", "experts", "--db", db, "--format", "xlsx", "--output", filepath.Join(dir, "pool.xlsx")}, 0,
					nil, []string{"2 experts exportés"}},
				{"re-import the workbook", []string{"import", "--db", db, "experts", filepath.Join(dir, "pool.xlsx")}, 0,
					[]string{"(xlsx) : 0 créé(s), 0 mis à jour, 2 inchangé(s)"}, nil},
				{"xlsx on stdout", []string{"export", "--db", db, "--format", "xlsx", "experts"}, 2, nil, []string{"give --output"}},
				{"needs", []string{"import", "--db", db, "needs", "../need/testdata/needs.json"}, 0, []string{"2 besoin(s) créé(s)"}, nil},
				{"malformed needs", []string{"import", "--db", db, "needs", "../need/testdata/needs_malformed.json"}, 1, nil,
					[]string{"JSON mal formé ligne 3, colonne 24"}},
				{"missing file", []string{"import", "--db", db, "experts", filepath.Join(dir, "none.csv")}, 1, nil, []string{"cannot open"}},
				{"no noun", []string{"import", "--db", db, "pool.csv"}, 2, nil, []string{"usage: vivier import experts FILE"}},
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
			if _, err := os.Stat(filepath.Join(dir, "pool.xlsx")); err != nil {
				t.Error(err)
			}
		})
	}
}
