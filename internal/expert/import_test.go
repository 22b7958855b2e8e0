package expert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func importFile(t *testing.T, s *Service, name string) (Report, error) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return s.Import(context.Background(), f, ImportOptions{}, access.System)
}

func TestImportEncodingsAndSeparators(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tests := []struct {
			file, encoding string
			created        int
			ref, lastName  string
			bio            string
		}{
			{"experts_utf8.csv", "utf-8", 3, "EXP-003", "Nguyễn", ""},
			{"experts_cp1252_semicolon.csv", "windows-1252", 2, "EXP-101", "Lefèvre", "Élue « référente » à l'économie, œuvre pour l'emploi"},
			{"experts_utf16.txt", "utf-16", 1, "EXP-201", "Bérénice", ""},
		}
		s := New(Options{DB: db, Geo: geo.Default()})
		for _, tt := range tests {
			t.Run(tt.file, func(t *testing.T) {
				rep, err := importFile(t, s, tt.file)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Encoding != tt.encoding || rep.Created != tt.created {
					t.Errorf("report %+v", rep)
				}
				e, err := s.ByReference(context.Background(), tt.ref, access.System)
				if err != nil || e.LastName != tt.lastName || e.Bio != tt.bio {
					t.Errorf("%s: %q %q %v", tt.ref, e.LastName, e.Bio, err)
				}
			})
		}
		// The same pool saved with a BOM changes nothing.
		rep, err := importFile(t, s, "experts_bom.csv")
		if err != nil || rep.Unchanged != 3 || rep.Encoding != "utf-8 (BOM)" {
			t.Errorf("BOM file: %+v %v", rep, err)
		}
		e, _ := s.ByReference(context.Background(), "EXP-003", access.System)
		if e.Commune != "01053" || e.DailyRate != nil || e.Status != Candidate {
			t.Errorf("EXP-003 %+v", e)
		}
		e, _ = s.ByReference(context.Background(), "EXP-001", access.System)
		if e.Status != Qualified || len(e.Skills) != 2 || e.Availability[0].DaysPerWeek != 3 {
			t.Errorf("EXP-001 %+v", e)
		}
	})
}

// snapshot is the whole pool as export writes it, to prove a refused file
// changed nothing.
func snapshot(t *testing.T, s *Service) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := s.Export(context.Background(), &b, "csv", access.System); err != nil {
		t.Fatal(err)
	}
	var n int
	s.db.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log`).Scan(&n)
	return fmt.Sprintf("%s\naudit=%d", b.String(), n)
}

func TestImportRefusesBadFilesAndWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := New(Options{DB: db, Geo: geo.Default()})
		if _, err := importFile(t, s, "experts_utf8.csv"); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, s)
		tests := []struct {
			name, file string
			want       []string // "ligne N, colonne C : …" fragments
		}{
			{"planted errors", "experts_errors.csv", []string{
				"ligne 3, colonne competences : compétence « filieres.inconnue » inconnue",
				"ligne 4, colonne competences : niveau 7 impossible",
				"ligne 5, colonne commune : aucune commune n’a le code INSEE « 99999 »",
				"ligne 6, colonne zones : la zone « dep:99 » désigne un département qui n’existe pas",
				"ligne 7, colonne disponibilites : la fin (1er décembre 2026) précède le début",
				"ligne 8, colonne reference : référence « EXP-001 » déjà donnée ligne 2",
				"ligne 9, colonne email : adresse helene.lefevre@example.fr déjà donnée ligne 2",
				"ligne 10, colonne email",
				"ligne 10, colonne statut",
				"ligne 10, colonne employeur_siren",
				"ligne 10, colonne competences",
				"ligne 10, colonne disponibilites",
				"ligne 10, colonne tjm",
				"ligne 10, colonne qualifie",
			}},
			{"missing column", "experts_missing_column.csv", []string{"colonne email : colonne obligatoire « email » absente"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rep, err := importFile(t, s, tt.file)
				var ie *ImportError
				if !errors.As(err, &ie) {
					t.Fatalf("want an ImportError, got %v", err)
				}
				msg := strings.ReplaceAll(err.Error(), "\u00a0", " ")
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("error lacks %q:\n%s", w, msg)
					}
				}
				if len(rep.Errors) != len(ie.Errors) || rep.Created+rep.Updated != 0 {
					t.Errorf("report %+v", rep)
				}
				if after := snapshot(t, s); after != before {
					t.Errorf("database changed by a refused file")
				}
			})
		}
	})
}

func TestImportRefusesBadBytes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := New(Options{DB: db, Geo: geo.Default()})
		tests := []struct {
			name  string
			data  []byte
			limit int64
			want  string
		}{
			{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0, "ni un CSV ni un classeur XLSX"},
			{"empty", []byte(" \n"), 0, "le fichier est vide"},
			{"too large", bytes.Repeat([]byte("a,b\n"), 1<<20), 1 << 20, "dépasse la taille admise (1 Mo)"},
			{"broken zip", []byte("PK\x03\x04garbage"), 0, "archive ZIP abîmée"},
			{"bad quote", []byte("reference,nom,email\nE1,\"Martin,m@x.fr\n"), 0, "guillemet"},
			{"email taken in database", nil, 0, "l’adresse helene.lefevre@example.fr est déjà celle de l’expert EXP-001"},
		}
		if _, err := importFile(t, s, "experts_utf8.csv"); err != nil {
			t.Fatal(err)
		}
		tests[len(tests)-1].data = []byte("reference,nom,email\nEXP-999,Autre,helene.lefevre@example.fr\n")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.Import(context.Background(), bytes.NewReader(tt.data), ImportOptions{Limit: tt.limit}, access.System)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %v, want %q", err, tt.want)
				}
			})
		}
	})
}

func TestMarkupAndFormulasAreStoredAsTypedAndNeutralisedOnExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := New(Options{DB: db, Geo: geo.Default()})
		if _, err := importFile(t, s, "experts_tricky.csv"); err != nil {
			t.Fatal(err)
		}
		e, err := s.ByReference(context.Background(), "EXP-300", access.System)
		if err != nil {
			t.Fatal(err)
		}
		if e.LastName != `=HYPERLINK("http://evil.example";"clic")` || e.FirstName != "@SUM(A1)" {
			t.Errorf("names not stored as typed: %q %q", e.LastName, e.FirstName)
		}
		if e.Bio != `<script>alert('x')</script><b>Bio</b> en gras` {
			t.Errorf("bio altered: %q", e.Bio)
		}
		var b bytes.Buffer
		s.Export(context.Background(), &b, "csv", access.System)
		out := b.String()
		for _, w := range []string{`"'=HYPERLINK(""http://evil.example"";""clic"")"`, `'@SUM(A1)`, `'+33 6 00 00 00 00`} {
			if !strings.Contains(out, w) {
				t.Errorf("export lacks neutralised %s:\n%s", w, out)
			}
		}
	})
}

func TestExportImportRoundTrip(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				s := New(Options{DB: db, Geo: geo.Default()})
				for _, f := range []string{"experts_utf8.csv", "experts_cp1252_semicolon.csv", "experts_tricky.csv"} {
					if _, err := importFile(t, s, f); err != nil {
						t.Fatal(err)
					}
				}
				e, _ := s.ByReference(ctx, "EXP-002", access.System)
				if err := s.SetStatus(ctx, e.ID, Archived, "départ", coordinator); err != nil {
					t.Fatal(err)
				}
				var first bytes.Buffer
				n, err := s.Export(ctx, &first, format, access.System)
				if err != nil || n != 6 {
					t.Fatalf("export %d %v", n, err)
				}
				before := snapshot(t, s)
				// Re-importing the export into the same pool changes nothing…
				rep, err := s.Import(ctx, bytes.NewReader(first.Bytes()), ImportOptions{}, access.System)
				if err != nil || rep.Unchanged != 6 {
					t.Fatalf("re-import %+v %v", rep, err)
				}
				if snapshot(t, s) != before {
					t.Error("re-import changed the pool")
				}
				// …and into an empty pool gives the same file again.
				other := New(Options{DB: storetest.Open(t, db.Engine()), Geo: geo.Default()})
				if _, err := other.Import(ctx, bytes.NewReader(first.Bytes()), ImportOptions{}, access.System); err != nil {
					t.Fatal(err)
				}
				var a, b bytes.Buffer
				s.Export(ctx, &a, "csv", access.System)
				other.Export(ctx, &b, "csv", access.System)
				// Archived experts come back as candidates (the file only says "non").
				want := a.String()
				if got := b.String(); got != want {
					t.Errorf("round trip differs:\n%s\n---\n%s", want, got)
				}
			})
		})
	}
}
