package upload_test

import (
	"context"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/upload"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// The files Take is tried on: one the actor kept, one another person kept.
const (
	own   = "own file"
	other = "another's file"
)

// TestAccess keeps and takes back pending files as every actor: a person
// signed in keeps a file for their own confirmation, and only they take it
// back; another's file is « not found » to everyone, staff included.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		s := upload.New(upload.Options{DB: db})
		keep := func(t *testing.T, a access.Actor) string {
			token, err := s.Keep(ctx, "experts", "experts.csv", []byte("reference,nom\n"), a)
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		// tokens are the files of each record, by the user who takes them.
		tokens := map[string]map[int64]string{own: {}, other: {}}
		prepare := func(t *testing.T, r string) {
			if r == own {
				for _, name := range at.Actors {
					if a := w.Actor(name); a.SignedIn() {
						tokens[own][a.UserID] = keep(t, a)
					}
				}
				return
			}
			someone := w.User(t, access.Coordinator, 0)
			token := keep(t, access.Actor{UserID: someone, Role: access.Coordinator, Via: access.Session})
			for _, name := range at.Actors {
				tokens[other][w.Actor(name).UserID] = token
			}
		}
		take := func(kind string) func(context.Context, access.Actor, string) error {
			return func(ctx context.Context, a access.Actor, r string) error {
				_, _, err := s.Take(ctx, tokens[r][a.UserID], kind, a)
				return err
			}
		}
		// The visitor and the system keep no file of their own.
		byFile := func(ownWant at.Want) func(actor, record string) at.Outcome {
			return func(actor, record string) at.Outcome {
				if record == other {
					return at.NotFound
				}
				return ownWant.Set(at.Skip, at.RAnonymous, at.RSystem).For(actor, "")
			}
		}
		ops := []at.Op{
			{Name: "Keep", Write: true, Want: at.All(at.OK).Set(at.Forbidden, at.RAnonymous, at.RSystem),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					_, err := s.Keep(ctx, "needs", "besoins.json", []byte("[]"), a)
					return err
				}},
			{Name: "Take", Records: []string{own, other}, Write: true, Prepare: prepare, WantFor: byFile(at.All(at.OK)), Do: take("experts")},
			{Name: "Take (as another kind)", Records: []string{own, other}, Prepare: prepare, WantFor: byFile(at.All(at.NotFound)), Do: take("needs")},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
