package organisation

import (
	"context"
	"database/sql"
	"testing"

	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestCheckSIREN(t *testing.T) {
	tests := []struct {
		name, siren string
		ok          bool
	}{
		{"Lyon", "216901231", true},
		{"Métropole de Lyon", "200046977", true},
		{"wrong check digit", "216901232", false},
		{"too short", "21690123", false},
		{"letters", "21690123A", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckSIREN(tt.siren) == ""; got != tt.ok {
				t.Errorf("CheckSIREN(%q) ok = %v, want %v (%s)", tt.siren, got, tt.ok, CheckSIREN(tt.siren))
			}
		})
	}
	if got := NormalizeSIREN(" 216 901 231 "); got != "216901231" {
		t.Errorf("NormalizeSIREN = %q", got)
	}
}

func TestCommunesAndEPCIComeFromTheReference(t *testing.T) {
	ref := geo.Default()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var first, again, arr Organisation
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			if first, err = EnsureCommune(ctx, tx, ref, "69123"); err != nil {
				return err
			}
			if again, err = EnsureCommune(ctx, tx, ref, "69123"); err != nil {
				return err
			}
			arr, err = EnsureCommune(ctx, tx, ref, "69381")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if first.Name != "Lyon" || first.Kind != Commune || first.SIREN != "216901231" || again.ID != first.ID || arr.ID != first.ID {
			t.Errorf("EnsureCommune: %+v, again %+v, arrondissement %+v", first, again, arr)
		}
		epci, err := BySIREN(ctx, db, ref, "200046977")
		if err != nil || epci.Kind != EPCI {
			t.Errorf("BySIREN(Métropole de Lyon) = %+v, %v", epci, err)
		}
		byCommuneSIREN, err := BySIREN(ctx, db, ref, "216901231")
		if err != nil || byCommuneSIREN.ID != first.ID {
			t.Errorf("BySIREN(Lyon) = %+v, %v", byCommuneSIREN, err)
		}
		if _, err := EnsureCommune(ctx, db, ref, "99999"); err == nil {
			t.Error("an unknown INSEE code was accepted")
		}
	})
}

func TestCreateByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, err := Create(ctx, db, Input{Kind: Agence, Name: "Agence de développement du Rhône", SIREN: "732 829 320"})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := BySIREN(ctx, db, geo.Default(), "732829320"); err != nil || got.ID != a.ID {
			t.Errorf("BySIREN = %+v, %v", got, err)
		}
		tests := []struct {
			name  string
			in    Input
			field string
		}{
			{"commune typed by hand", Input{Kind: Commune, Name: "Lyon"}, "kind"},
			{"bad SIREN", Input{Kind: Agence, Name: "X", SIREN: "123456789"}, "siren"},
			{"no name", Input{Kind: Partenaire}, "name"},
			{"duplicate SIREN", Input{Kind: Partenaire, Name: "Y", SIREN: "732829320"}, "siren"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := Create(ctx, db, tt.in)
				if errs, ok := valid.As(err); !ok || !errs.Has(tt.field) {
					t.Errorf("Create(%+v) = %v, want an error on %s", tt.in, err, tt.field)
				}
			})
		}
		if _, err := BySIREN(ctx, db, geo.Default(), "552100554"); err == nil {
			t.Error("an unknown SIREN was accepted as requester")
		}
	})
}
