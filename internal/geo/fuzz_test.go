package geo

import "testing"

// FuzzParseZone feeds the zone syntax ("dep:33", "reg:75", "epci:…",
// "national"…) arbitrary text: it never panics, and a zone it reads is
// written back and read as the same zone.
func FuzzParseZone(f *testing.F) {
	ref := Default()
	for _, s := range []string{"national", "dep:33", "reg:75", "dep:2A", "epci:200054781", "com:01004", "dep:99", "", "dep:", ":", "DEP:33"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		z, err := ref.ParseZone(s)
		if err != nil {
			return
		}
		again, err := ref.ParseZone(z.String())
		if err != nil || again != z {
			t.Fatalf("%q read as %v, written back and read as %v (%v)", s, z, again, err)
		}
	})
}
