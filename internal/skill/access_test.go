package skill_test

import (
	"context"
	"fmt"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAccess changes the taxonomy as every actor: the skills are public
// reference data that everyone reads (Catalog takes no actor), and that
// only staff add and rename.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := at.NewWorld(t, db)
		s := skill.New(skill.Options{DB: db})
		seq := 0
		code := "filieres.industrie"
		current := func() string {
			k, err := skill.Get(context.Background(), db, code)
			if err != nil {
				t.Fatal(err)
			}
			return k.Label
		}
		staffOnly := at.All(at.Forbidden).Set(at.OK, at.Staff...)
		ops := []at.Op{
			{Name: "Add", Write: true, Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				seq++
				_, err := s.Add(ctx, fmt.Sprintf("filieres.essai_%d", seq), "Filière d’essai", a)
				return err
			}},
			{Name: "Rename", Write: true, Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				seq++
				return s.Rename(ctx, code, fmt.Sprintf("Industrie (%d)", seq), a)
			}},
			{Name: "Rename (to its label)", Replay: true, Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.Rename(ctx, code, current(), a)
			}},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
