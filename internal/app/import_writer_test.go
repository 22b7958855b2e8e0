package app_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/demo"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/tabular/tabulartest"
)

// TestANeedSubmittedDuringALongImportIsKept imports 3,000 experts from
// the command line (on SQLite, another handle on the file: another
// process) and, while the import is in progress, a mayor submits a need on
// the public form. The file is checked before any write and written in
// batches, so the need waits at most for one batch and is kept; it used to
// wait for the whole import and fail after SQLite's busy timeout.
func TestANeedSubmittedDuringALongImportIsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		anonCSRF(t, ta.srv.URL) // the signing key is stored before the import
		importer := db
		if db.Engine() == store.SQLite {
			other, err := store.Open(ctx, db.Source(), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			importer = other
		}
		var file bytes.Buffer
		if _, err := demo.NewGenerator(3, geo.Default(), date.Of(time.Now())).WriteExpertsCSV(&file, 3000); err != nil {
			t.Fatal(err)
		}
		submitted := false
		var status int
		var body string
		progress := func(done, total int) {
			if submitted || done == total {
				return
			}
			submitted = true
			resp, b := ta.postPublic(t, "/besoins/nouveau", validNeedForm())
			status, body = resp.StatusCode, b
		}
		rep, err := expert.New(expert.Options{DB: importer, Geo: geo.Default()}).Import(ctx, &file, expert.ImportOptions{Progress: progress}, access.System)
		if err != nil || rep.Created != 3000 {
			t.Fatalf("import: %d created, %v", rep.Created, err)
		}
		if !submitted {
			t.Fatal("the import reported no progress before its end")
		}
		if status != http.StatusSeeOther {
			t.Errorf("the need submitted during the import: status %d\n%s", status, excerptOf([]byte(body)))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM need_submissions`); n != 1 {
			t.Errorf("%d needs kept, want 1", n)
		}
	})
}

// TestImportErrorReportsAreBounded: a header of 400 unknown columns and a
// value of 10,000 characters give a report of the first 100 errors and the
// count of the others, values cut to 80 characters.
func TestImportErrorReportsAreBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		var header strings.Builder
		header.WriteString("reference;nom;prenom;email")
		for i := range 400 {
			header.WriteString(";inconnue_" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + strings.Repeat("y", i))
		}
		file := header.String() + "\n"
		resp, body := upload(t, ta, "coordinator", "/import/experts", "file", "experts.csv", []byte(file))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "400 erreurs") || !strings.Contains(body, "300 autres erreurs") {
			t.Errorf("400 unknown columns: status %d\n%s", resp.StatusCode, excerptOf([]byte(body)))
		}
		if len(body) > 200_000 {
			t.Errorf("a report page of %d bytes", len(body))
		}
		long := "reference;nom;prenom;email;tjm\nEXP-1;Martin;Paul;paul@exemple.fr;" + strings.Repeat("9x", 5000) + "\n"
		resp, body = upload(t, ta, "coordinator", "/import/experts", "file", "experts.csv", []byte(long))
		if resp.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, strings.Repeat("9x", 50)) || !strings.Contains(body, "…") {
			t.Errorf("a long value: status %d, echoed whole or not cut\n%s", resp.StatusCode, excerptOf([]byte(body)))
		}
	})
}

// TestHostileFilesAreRefusedOnUploadAndOnTheCommandLine: a workbook of a
// megabyte whose shared strings unzip to 600 MB, uploaded by a coordinator
// or imported from the command line, is refused with a clear message in
// bounded memory, writing nothing; so is a UTF-8 CSV with one stray byte,
// naming its line and byte, instead of being stored as mojibake.
func TestHostileFilesAreRefusedOnUploadAndOnTheCommandLine(t *testing.T) {
	bomb := tabulartest.Bomb(600 << 20)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		resp, body := upload(t, ta, "coordinator", "/import/experts", "file", "experts.xlsx", bomb)
		_, err := expert.New(expert.Options{DB: db, Geo: geo.Default()}).Import(context.Background(), bytes.NewReader(bomb), expert.ImportOptions{}, access.System)
		runtime.ReadMemStats(&after)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "se décompresse en plus de") {
			t.Errorf("the bomb uploaded: status %d\n%s", resp.StatusCode, excerptOf([]byte(body)))
		}
		var ie *expert.ImportError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "se décompresse en plus de") {
			t.Errorf("the bomb on the command line: %v", err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
			t.Errorf("refusing the bomb twice allocated %d MB in all", alloc>>20)
		}
		stray := "reference;nom;prenom;email\nEXP-1;Lefèvre;H\xe9lène;helene@exemple.fr\n"
		resp, body = upload(t, ta, "coordinator", "/import/experts", "file", "experts.csv", []byte(stray))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "octet invalide") || !strings.Contains(body, "0xE9") {
			t.Errorf("a UTF-8 file with a stray byte: status %d\n%s", resp.StatusCode, excerptOf([]byte(body)))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM experts`); n != 0 {
			t.Errorf("%d experts written from hostile files", n)
		}
	})
}
