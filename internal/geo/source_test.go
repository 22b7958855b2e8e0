package geo

import (
	"bytes"
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"vivier/internal/geo/internal/source"
)

// TestEmbeddedMatchesSource compares the embedded data with the upstream
// package's own JSON files, independently of the generator's code. It reads
// the package from the directory VIVIER_GEO_SOURCE names (an extracted
// package, the one holding package.json), for example:
//
//	curl -sL https://registry.npmjs.org/@etalab/decoupage-administratif/-/decoupage-administratif-6.0.0.tgz | tar xz -C /tmp
//	VIVIER_GEO_SOURCE=/tmp/package go test ./internal/geo -run Source
//
// Without it, the test is skipped, except under CI, where it downloads the
// pinned tarball from the npm registry and verifies its integrity instead:
// CI never skips it.
func TestEmbeddedMatchesSource(t *testing.T) {
	pkg := sourcePackage(t)
	r := Default()

	t.Run("regions", func(t *testing.T) {
		if len(pkg.Regions) != len(r.Regions()) {
			t.Errorf("%d regions, want %d", len(r.Regions()), len(pkg.Regions))
		}
		for _, want := range pkg.Regions {
			if got, ok := r.Region(want.Code); !ok || got.Name != want.Name {
				t.Errorf("region %s = %q, %v; want %q", want.Code, got.Name, ok, want.Name)
			}
		}
	})
	t.Run("départements", func(t *testing.T) {
		if len(pkg.Departements) != len(r.Departements()) {
			t.Errorf("%d départements, want %d", len(r.Departements()), len(pkg.Departements))
		}
		for _, want := range pkg.Departements {
			got, ok := r.Departement(want.Code)
			if !ok || got.Name != want.Name || got.RegionCode != want.Region {
				t.Errorf("département %s = %+v, %v; want %+v", want.Code, got, ok, want)
			}
		}
	})

	epciOf := make(map[string]string)
	t.Run("EPCI", func(t *testing.T) {
		n := 0
		for range r.EPCIs() {
			n++
		}
		if n != len(pkg.EPCI) {
			t.Errorf("%d EPCI, want %d", n, len(pkg.EPCI))
		}
		for _, want := range pkg.EPCI {
			got, ok := r.EPCI(want.SIREN)
			if !ok || got.Name != want.Name || string(got.Kind) != want.Type {
				t.Errorf("EPCI %s = %q %q, %v; want %q %q", want.SIREN, got.Name, got.Kind, ok, want.Name, want.Type)
				continue
			}
			var members []string
			for _, m := range want.Members {
				members = append(members, m.Code)
				epciOf[m.Code] = want.SIREN
			}
			slices.Sort(members)
			if !slices.Equal(got.Members, members) {
				t.Errorf("EPCI %s members = %v, want %v", want.SIREN, got.Members, members)
			}
		}
	})

	t.Run("communes", func(t *testing.T) {
		kept := 0
		for _, want := range pkg.Communes {
			got, ok := r.Commune(want.Code)
			switch want.Type {
			case source.TypeCommune, source.TypeArrondissement:
			default:
				continue // dropped on purpose; see the package doc
			}
			kept++
			if !ok {
				t.Errorf("commune %s %s missing", want.Code, want.Name)
				continue
			}
			population := 0
			if want.Population != nil {
				population = *want.Population
			}
			wantEPCI := epciOf[want.Code]
			if want.Type == source.TypeArrondissement {
				wantEPCI = epciOf[want.Parent]
			}
			if got.Name != want.Name || got.DepartementCode != want.Departement || got.RegionCode != want.Region ||
				got.SIREN != want.SIREN || got.Population != population || got.Parent != want.Parent ||
				got.EPCISIREN != wantEPCI {
				t.Errorf("commune %s = %+v, want %+v in EPCI %q", want.Code, got, want, wantEPCI)
			}
			if !slices.Equal(got.PostalCodes, slices.Compact(slices.Sorted(slices.Values(want.PostalCodes)))) {
				t.Errorf("commune %s postal codes = %v, want %v", want.Code, got.PostalCodes, want.PostalCodes)
			}
		}
		if kept != r.NumCommunes() {
			t.Errorf("%d communes and arrondissements, want %d", r.NumCommunes(), kept)
		}
	})
}

func sourcePackage(t *testing.T) *source.Package {
	t.Helper()
	var (
		pkg *source.Package
		err error
	)
	switch dir := os.Getenv("VIVIER_GEO_SOURCE"); {
	case dir != "":
		pkg, err = source.ReadDir(dir)
	case os.Getenv("CI") != "":
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var raw []byte
		if raw, err = source.Download(ctx); err == nil {
			pkg, err = source.ReadTarGz(bytes.NewReader(raw))
		}
	default:
		t.Skip("VIVIER_GEO_SOURCE is not set: set it to an extracted @etalab/decoupage-administratif package directory to compare the embedded data with it")
	}
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}
