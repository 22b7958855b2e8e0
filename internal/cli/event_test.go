package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/event"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestImportAttendanceCommand imports a webinar tool's export: a file with
// bad lines is refused whole, each line named; a good one marks the
// present and lists the lines that match no registration.
func TestImportAttendanceCommand(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			src := storetest.Source(t, engine)
			db := openSource(t, src)
			start := time.Now().Add(time.Hour).UTC().Truncate(time.Minute)
			svc := event.New(event.Options{DB: db})
			id, err := svc.Create(ctx, event.Input{Title: "Webinaire", StartsAt: start, EndsAt: start.Add(time.Hour), OnlineURL: "https://visio.example.org/x", Capacity: 5}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			for _, who := range []string{"ana", "bob"} {
				if _, err := svc.Register(ctx, id, event.RegistrationInput{Email: who + "@exemple.fr", Name: who}, access.System); err != nil {
					t.Fatal(err)
				}
			}
			dir := t.TempDir()
			bad := filepath.Join(dir, "bad.csv")
			good := filepath.Join(dir, "good.csv")
			os.WriteFile(bad, []byte("Email;Durée (minutes)\nana@exemple.fr;50\nbob@exemple.fr;beaucoup\nnimporte;10\n"), 0o644)
			os.WriteFile(good, []byte("Full Name,Email,Duration\nAna,ana@exemple.fr,50m\nBob,bob@exemple.fr,5m\nZoé,zoe@ailleurs.fr,1h 0m\n"), 0o644)
			ev := fmt.Sprint(id)
			code, _, stderr := run(t, ctx, "import", "--db", src, "attendance", "--event", ev, bad)
			if code != 1 || !strings.Contains(stderr, "bad.csv: ligne 3, colonne 2 : durée illisible") || !strings.Contains(stderr, "ligne 4, colonne 1") ||
				!strings.Contains(stderr, "refusé : 2 erreurs, rien n’a été importé") {
				t.Errorf("bad file: exit %d, %s", code, stderr)
			}
			e, _ := svc.Get(ctx, id, access.System)
			if e.Present != 0 {
				t.Errorf("a refused file marked %d present", e.Present)
			}
			code, stdout, stderr := run(t, ctx, "import", "attendance", "--db", src, "--event", ev, good)
			if code != 0 || !strings.Contains(stdout, "3 lignes lues, 2 inscriptions retrouvées, dont 1 présentes") ||
				!strings.Contains(stdout, "ligne 4 : zoe@ailleurs.fr (60 min)") {
				t.Errorf("good file: exit %d, %s %s", code, stdout, stderr)
			}
			if code, _, stderr := run(t, ctx, "import", "--db", src, "attendance", good); code != 2 || !strings.Contains(stderr, "--event ID") {
				t.Errorf("without --event: exit %d, %s", code, stderr)
			}
			if code, _, stderr := run(t, ctx, "import", "--db", src, "attendance", "--event", "999", good); code != 1 || !strings.Contains(stderr, "aucun événement n° 999") {
				t.Errorf("unknown event: exit %d, %s", code, stderr)
			}
		})
	}
}
