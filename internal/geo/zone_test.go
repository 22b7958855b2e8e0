package geo

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseZone(t *testing.T) {
	r := Default()
	tests := []struct {
		name, in  string
		want      string // canonical form; "" when an error is expected
		wantError string // part of the error message
	}{
		{name: "département", in: "dep:69", want: "dep:69"},
		{name: "region", in: "reg:84", want: "reg:84"},
		{name: "national", in: "national", want: "national"},
		{name: "upper case and spaces", in: " DEP:69 ", want: "dep:69"},
		{name: "National capitalised", in: "National", want: "national"},
		{name: "Corse-du-Sud", in: "dep:2A", want: "dep:2A"},
		{name: "Haute-Corse in lower case", in: "dep:2b", want: "dep:2B"},
		{name: "Guadeloupe", in: "dep:971", want: "dep:971"},
		{name: "Martinique", in: "dep:972", want: "dep:972"},
		{name: "Guyane", in: "dep:973", want: "dep:973"},
		{name: "La Réunion", in: "dep:974", want: "dep:974"},
		{name: "Saint-Pierre-et-Miquelon", in: "dep:975", want: "dep:975"},
		{name: "Mayotte", in: "dep:976", want: "dep:976"},
		{name: "region 93 is PACA", in: "reg:93", want: "reg:93"},
		{name: "département 93 is Seine-Saint-Denis", in: "dep:93", want: "dep:93"},
		{name: "overseas region", in: "reg:01", want: "reg:01"},
		{name: "unknown département", in: "dep:99", wantError: `invalid zone "dep:99": no département has code "99"`},
		{name: "former Corsican département", in: "dep:20", wantError: `no département has code "20"`},
		{name: "unknown region", in: "reg:99", wantError: `invalid zone "reg:99": no region has code "99"`},
		{name: "département code as region", in: "reg:69", wantError: `no region has code "69"`},
		{name: "empty", in: "", wantError: "empty zone"},
		{name: "blank", in: "   ", wantError: "empty zone"},
		{name: "unknown prefix", in: "com:69123", wantError: `unknown prefix "com"`},
		{name: "no prefix", in: "69", wantError: `invalid zone "69": want dep:CODE, reg:CODE or national`},
		{name: "missing code", in: "dep:", wantError: "missing département code"},
		{name: "missing region code", in: "reg:", wantError: "missing region code"},
		{name: "commune code", in: "dep:69123", wantError: `no département has code "69123"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := r.ParseZone(tt.in)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) || !errors.Is(err, ErrInvalidZone) {
					t.Fatalf("ParseZone(%q) = %v, %v; want an ErrInvalidZone containing %q", tt.in, z, err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseZone(%q): %v", tt.in, err)
			}
			if z.String() != tt.want {
				t.Errorf("ParseZone(%q).String() = %q, want %q", tt.in, z, tt.want)
			}
			kind, code, _ := strings.Cut(tt.want, ":")
			wantKind := map[string]ZoneKind{"dep": ZoneDepartement, "reg": ZoneRegion, "national": ZoneNational}[kind]
			if z.Kind() != wantKind || z.Code() != code {
				t.Errorf("ParseZone(%q) kind %d code %q, want %d %q", tt.in, z.Kind(), z.Code(), wantKind, code)
			}
			if again, err := r.ParseZone(z.String()); err != nil || again != z {
				t.Errorf("ParseZone(%q) = %v, %v; want %v back", z.String(), again, err, z)
			}
		})
	}
}

func TestZoneCovers(t *testing.T) {
	r := Default()
	tests := []struct {
		zone, commune string
		want          bool
	}{
		{"dep:69", "69123", true},
		{"dep:69", "69381", true}, // arrondissement of Lyon
		{"dep:69", "01002", false},
		{"reg:84", "69123", true},
		{"reg:84", "01002", true},
		{"reg:84", "75056", false},
		{"reg:93", "13055", true},  // Marseille is in region 93
		{"dep:93", "13055", false}, // but not in département 93
		{"dep:93", "93066", true},  // Saint-Denis
		{"reg:93", "93066", false},
		{"dep:2A", "2A004", true},
		{"dep:2B", "2A004", false},
		{"reg:94", "2A004", true},
		{"dep:976", "97611", true},
		{"reg:06", "97611", true},
		{"national", "97611", true},
		{"national", "75101", true},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.commune, func(t *testing.T) {
			z, err := r.ParseZone(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			c, ok := r.Commune(tt.commune)
			if !ok {
				t.Fatalf("no commune %s", tt.commune)
			}
			if got := z.Covers(c); got != tt.want {
				t.Errorf("%s covers %s %s = %v, want %v", tt.zone, c.Code, c.Name, got, tt.want)
			}
		})
	}
	var zero Zone
	if zero.CoversLocation(r.Location(1)) || zero.String() != "" {
		t.Error("the zero Zone covers a commune or has a name")
	}
	national, _ := r.ParseZone("national")
	if national.CoversLocation(Location{}) {
		t.Error("national covers the zero Location")
	}
}

func TestParseZones(t *testing.T) {
	r := Default()
	tests := []struct {
		name, in  string
		want      []string
		wantError string
	}{
		{name: "two zones", in: "dep:69|reg:84", want: []string{"dep:69", "reg:84"}},
		{name: "one zone", in: "national", want: []string{"national"}},
		{name: "spaces around items", in: "dep:69 | dep:2A", want: []string{"dep:69", "dep:2A"}},
		{name: "repeated zone kept once", in: "dep:69|DEP:69|reg:93|dep:93", want: []string{"dep:69", "reg:93", "dep:93"}},
		{name: "bad item named", in: "dep:69|dep:99", wantError: `zone list "dep:69|dep:99": invalid zone "dep:99": no département has code "99"`},
		{name: "empty item", in: "dep:69||reg:84", wantError: "empty zone"},
		{name: "trailing pipe", in: "dep:69|", wantError: "empty zone"},
		{name: "empty list", in: "", wantError: "empty"},
		{name: "comma instead of pipe", in: "dep:69,dep:01", wantError: `no département has code "69,dep:01"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zones, err := r.ParseZones(tt.in)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) || !errors.Is(err, ErrInvalidZone) {
					t.Fatalf("ParseZones(%q) = %v, %v; want an ErrInvalidZone containing %q", tt.in, zones, err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseZones(%q): %v", tt.in, err)
			}
			var got []string
			for _, z := range zones {
				got = append(got, z.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ParseZones(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
