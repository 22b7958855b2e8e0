package geo

import "testing"

func BenchmarkSearch(b *testing.B) {
	r := Default()
	queries := []struct{ name, query string }{
		{"short prefix", "sa"},
		{"saint", "saint"},
		{"abbreviation", "st etienne"},
		{"accented", "Évry-Courc"},
		{"apostrophe", "l'isle"},
		{"postal prefix", "690"},
		{"postal code", "69001"},
		{"no match", "zzzz"},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r.SearchCommunes(q.query, 10) == nil && q.query != "zzzz" {
					b.Fatalf("no result for %q", q.query)
				}
			}
		})
	}
}

// BenchmarkLoad measures building the Reference from the embedded data, which
// Default does once per process.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCommune(b *testing.B) {
	r := Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.Commune("69123"); !ok {
			b.Fatal("Lyon not found")
		}
	}
}

// BenchmarkZoneCoversLocation is the matching engine's inner loop: does an
// expert's zone cover the commune of a need, by dense ID.
func BenchmarkZoneCoversLocation(b *testing.B) {
	r := Default()
	z, err := r.ParseZone("reg:84")
	if err != nil {
		b.Fatal(err)
	}
	n := CommuneID(r.NumCommunes())
	id := CommuneID(1)
	b.ReportAllocs()
	for b.Loop() {
		z.CoversLocation(r.Location(id))
		if id++; id > n {
			id = 1
		}
	}
}
