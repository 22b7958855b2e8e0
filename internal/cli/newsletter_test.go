package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/newsletter/nltest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestCampaignSurvivesKill9 sends a campaign with vivier serve as a real
// process, kills it with SIGKILL in the middle, and starts it again: every
// recipient gets the message, and only the messages that were in flight at
// the kill (claimed, their outcome not yet recorded) are sent twice — under
// the same Message-ID.
func TestCampaignSurvivesKill9(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			const n = 3000
			ctx := context.Background()
			src := storetest.Source(t, engine)
			db := openSource(t, src)
			s := newsletter.New(newsletter.Options{DB: db, BaseURL: "https://vivier.test"})
			l, err := s.CreateList(ctx, newsletter.ListInput{Name: "Lettre", Public: true}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			people := make([]newsletter.NewSubscriber, n)
			for i := range people {
				people[i] = newsletter.NewSubscriber{Email: fmt.Sprintf("lecteur%05d@exemple.fr", i), Tracking: i%2 == 0}
			}
			if _, err := s.AddSubscribers(ctx, l.ID, people, access.System); err != nil {
				t.Fatal(err)
			}
			c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Lettre", Body: "Le [forum](https://federation.example/forum).", ListIDs: []int64{l.ID}}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
				t.Fatal(err)
			}
			// A relay slow enough that the kill lands mid-campaign.
			sink := nltest.Start(t, nltest.Options{Delay: 2 * time.Millisecond})
			serve := func() (*exec.Cmd, *bytes.Buffer) {
				addr := freeAddr(t)
				cmd := exec.Command(os.Args[0], "serve", "--addr", addr, "--db", src, "--smtp-url", sink.URL(), "--newsletter-batch", "100")
				cmd.Env = append(os.Environ(), mainEnv+"=1")
				var logs bytes.Buffer
				cmd.Stderr = &logs
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
				waitReady(t, "http://"+addr+"/readyz", &logs)
				return cmd, &logs
			}
			first, logs := serve()
			for deadline := time.Now().Add(60 * time.Second); sink.Count() < n/4; time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("only %d messages sent in a minute; logs:\n%s", sink.Count(), logs)
				}
			}
			first.Process.Kill()
			first.Wait()
			atKill := sink.Count()
			inFlight := map[string]bool{}
			rows, err := db.QueryContext(ctx, `SELECT email FROM campaign_messages WHERE campaign_id = $1 AND status = 'sending'`, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var e string
				rows.Scan(&e)
				inFlight[e] = true
			}
			rows.Close()
			if atKill >= n {
				t.Fatalf("the campaign ended before the kill (%d messages)", atKill)
			}

			// Started again, it finishes the campaign (after the dead
			// instance's leases end).
			serve()
			for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
				got, err := s.Campaign(ctx, c.ID, access.System)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status == newsletter.Sent {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the campaign is %s two minutes after the restart, %d messages sent", got.Status, sink.Count())
				}
			}
			ids := map[string][]string{}
			for _, m := range sink.Messages() {
				ids[m.To] = append(ids[m.To], m.MessageID)
			}
			if len(ids) != n {
				t.Errorf("%d recipients reached, want %d: messages were lost", len(ids), n)
			}
			repeated := 0
			for to, got := range ids {
				if len(got) == 1 {
					continue
				}
				repeated++
				if !inFlight[to] || len(got) > 2 {
					t.Errorf("%s got %d messages but was not in flight at the kill", to, len(got))
				}
				if got[0] != got[1] {
					t.Errorf("%s got two Message-IDs: %v", to, got)
				}
			}
			t.Logf("%s: %d messages sent before the kill, %d in flight, %d sent again", engine, atKill, len(inFlight), repeated)
		})
	}
}

// TestImportSubscribersCommand imports a subscribers file into a list,
// refusing a bad file whole with its lines and columns.
func TestImportSubscribersCommand(t *testing.T) {
	ctx := context.Background()
	src := storetest.Source(t, store.SQLite)
	db := openSource(t, src)
	l, err := newsletter.New(newsletter.Options{DB: db}).CreateList(ctx, newsletter.ListInput{Name: "Adhérents"}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good, bad := dir+"/bons.csv", dir+"/mauvais.csv"
	os.WriteFile(good, []byte("email;nom;mesure\nana@exemple.fr;Ana;oui\nbruno@exemple.fr;Bruno;non\n"), 0o600)
	os.WriteFile(bad, []byte("email;nom;mesure\nana@exemple.fr;Ana;oui\npas-une-adresse;X;non\n"), 0o600)
	list := fmt.Sprint(l.ID)
	for _, st := range []struct {
		name   string
		args   []string
		code   int
		output string
	}{
		{"bad file", []string{"import", "subscribers", "--list", list, "--db", src, bad}, 1, "mauvais.csv: ligne 3, colonne email"},
		{"good file", []string{"import", "subscribers", "--db", src, "--list", list, "--basis", "contract", good}, 0, "2 personnes ajoutées, 0 ignorée"},
		{"again", []string{"import", "subscribers", "--db", src, "--list", list, good}, 0, "0 personne ajoutée, 2 ignorées"},
		{"unknown list", []string{"import", "subscribers", "--db", src, "--list", "999", good}, 1, "aucune liste n° 999"},
		{"unknown basis", []string{"import", "subscribers", "--db", src, "--list", list, "--basis", "envie", good}, 2, "--basis"},
		{"no list", []string{"import", "subscribers", "--db", src, good}, 2, "usage: vivier import subscribers --list ID"},
	} {
		t.Run(st.name, func(t *testing.T) {
			code, stdout, stderr := run(t, ctx, st.args...)
			if code != st.code || !bytes.Contains([]byte(stdout+stderr), []byte(st.output)) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%s%s", code, st.code, st.output, stdout, stderr)
			}
		})
	}
}
