package skill

import (
	"context"
	"errors"
	"testing"

	"vivier/internal/access"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestSeedHoldsTheBriefTaxonomy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c, err := LoadCatalog(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(c.All()); n != 26 {
			t.Errorf("%d skills seeded, want 26", n)
		}
		s, ok := c.Lookup("management.direction_interim")
		if !ok || s.Label != "Direction d'agence ou de service par intérim" || s.Domain != "management" {
			t.Errorf("Lookup = %+v, %v", s, ok)
		}
		if got := c.All()[0].Code; got != "attractivite.strategie" {
			t.Errorf("first skill %s, want attractivite.strategie", got)
		}
		if n := len(c.InDomain("filieres")); n != 8 {
			t.Errorf("%d skills in filieres, want 8", n)
		}
	})
}

func TestAddAndRenameKeepCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, err := New(Options{DB: db}).Add(ctx, "filieres.economie_circulaire", "Économie circulaire", access.System)
		if err != nil {
			t.Fatal(err)
		}
		if s.Domain != "filieres" {
			t.Errorf("domain %q", s.Domain)
		}
		if err := New(Options{DB: db}).Rename(ctx, "filieres.tourisme", "Tourisme et loisirs", access.System); err != nil {
			t.Fatal(err)
		}
		got, err := Get(ctx, db, "filieres.tourisme")
		if err != nil || got.Label != "Tourisme et loisirs" {
			t.Errorf("after rename: %+v, %v", got, err)
		}
		if err := New(Options{DB: db}).Rename(ctx, "filieres.nothing", "X", access.System); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rename unknown: %v", err)
		}
	})
}

func TestAddRefusesBadCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		tests := []struct{ name, code, label, field string }{
			{"no domain", "industrie", "Industrie", "code"},
			{"unknown domain", "sport.football", "Football", "code"},
			{"accent in code", "filieres.énergie", "Énergie", "code"},
			{"taken", "filieres.industrie", "Industrie bis", "code"},
			{"no label", "filieres.bois", " ", "label"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := New(Options{DB: db}).Add(context.Background(), tt.code, tt.label, access.System)
				errs, ok := valid.As(err)
				if !ok || !errs.Has(tt.field) {
					t.Errorf("Add(%q, %q) = %v, want an error on %s", tt.code, tt.label, err, tt.field)
				}
			})
		}
	})
}

func TestLevels(t *testing.T) {
	for _, tt := range []struct {
		name  string
		level Level
		valid bool
		label string
	}{
		{"one", 1, true, "notions"}, {"three", 3, true, "confirmé"}, {"four", 4, true, "expert"},
		{"seven", 7, false, "niveau 7"}, {"zero", 0, false, "niveau 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.level.Valid() != tt.valid || tt.level.Label() != tt.label {
				t.Errorf("level %d: valid %v label %q", tt.level, tt.level.Valid(), tt.level.Label())
			}
		})
	}
}
