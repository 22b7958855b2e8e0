package expert

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// acceptsZone says whether zones let an expert through the zone filter,
// as Filter.Zone describes it, from the zones themselves.
func acceptsZone(zones []string, filter string) bool {
	g := geo.Default()
	region := func(z string) string {
		if d, ok := g.Departement(strings.TrimPrefix(z, "dep:")); ok && strings.HasPrefix(z, "dep:") {
			return "reg:" + d.RegionCode
		}
		return ""
	}
	for _, z := range zones {
		switch {
		case z == "national" || z == filter:
			return true
		case strings.HasPrefix(filter, "dep:") && z == region(filter):
			return true
		case strings.HasPrefix(filter, "reg:") && region(z) == filter:
			return true
		}
	}
	return false
}

// checkZones compares the zone filter of List with acceptsZone for every
// expert and a set of filters.
func checkZones(t *testing.T, s *Service, step string) {
	t.Helper()
	ctx := context.Background()
	all, err := s.List(ctx, Filter{PageSize: MaxPageSize}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, filter := range []string{"national", "dep:69", "dep:01", "dep:13", "dep:2A", "reg:84", "reg:93", "reg:94", "reg:53", "dep:974"} {
		var want []string
		for _, e := range all.Experts {
			if acceptsZone(e.Zones, filter) {
				want = append(want, e.Reference)
			}
		}
		for _, limit := range []int{0, 1} {
			got, err := s.List(ctx, Filter{Zone: filter, PageSize: MaxPageSize, CountUpTo: limit}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			if limit == 0 && refs(got) != strings.Join(want, ",") {
				t.Errorf("%s: zone %s: %s, want %s", step, filter, refs(got), strings.Join(want, ","))
			}
			if limit == 1 && got.Total != min(len(want), 1) {
				t.Errorf("%s: zone %s counted up to 1: %d, want %d", step, filter, got.Total, min(len(want), 1))
			}
		}
	}
}

// TestZoneFilterFollowsEveryWrite checks the zone filter against the zones
// after a creation, an update of the zones, an import that changes
// them and an anonymisation, on both engines.
func TestZoneFilterFollowsEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		for _, p := range []Profile{
			{Reference: "D", LastName: "Dep", Email: "d@x.fr", Zones: []string{"dep:69"}},
			{Reference: "R", LastName: "Reg", Email: "r@x.fr", Zones: []string{"reg:93"}},
			{Reference: "B", LastName: "Both", Email: "b@x.fr", Zones: []string{"dep:01", "reg:84", "dep:2A"}},
			{Reference: "N", LastName: "Nat", Email: "n@x.fr", Zones: []string{"national", "dep:13"}},
			{Reference: "O", LastName: "Outre-mer", Email: "o@x.fr", Zones: []string{"dep:974"}},
			{Reference: "Z", LastName: "Zero", Email: "z@x.fr"},
		} {
			if _, err := s.Create(ctx, p, coordinator); err != nil {
				t.Fatal(err)
			}
		}
		checkZones(t, s, "created")

		d, _ := s.ByReference(ctx, "D", access.System)
		d.Zones = []string{"reg:53"}
		if _, err := s.Update(ctx, d.ID, d.Profile, coordinator); err != nil {
			t.Fatal(err)
		}
		checkZones(t, s, "zones updated")

		csv := "reference,nom,email,zones\n" +
			"R,Reg,r@x.fr,dep:06\n" +
			"Z,Zero,z@x.fr,national\n" +
			"I,Imported,i@x.fr,reg:94|dep:69\n"
		if _, err := s.Import(ctx, strings.NewReader(csv), ImportOptions{}, access.System); err != nil {
			t.Fatal(err)
		}
		checkZones(t, s, "imported")

		n, _ := s.ByReference(ctx, "N", access.System)
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return Anonymise(ctx, tx, n.ID, coordinator) }); err != nil {
			t.Fatal(err)
		}
		checkZones(t, s, "anonymised")
	})
}
