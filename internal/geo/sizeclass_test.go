package geo

import "testing"

func TestSizeClassOf(t *testing.T) {
	tests := []struct {
		population int
		want       SizeClass
		wantID     string
	}{
		{-1, SizeUnder500, "lt500"},
		{0, SizeUnder500, "lt500"},
		{499, SizeUnder500, "lt500"},
		{500, SizeUnder3500, "lt3500"},
		{3499, SizeUnder3500, "lt3500"},
		{3500, SizeUnder10000, "lt10000"},
		{9999, SizeUnder10000, "lt10000"},
		{10000, SizeUnder50000, "lt50000"},
		{49999, SizeUnder50000, "lt50000"},
		{50000, Size50000Plus, "gte50000"},
		{2103778, Size50000Plus, "gte50000"},
	}
	for _, tt := range tests {
		t.Run(tt.wantID, func(t *testing.T) {
			got := SizeClassOf(tt.population)
			if got != tt.want || got.String() != tt.wantID {
				t.Errorf("SizeClassOf(%d) = %v, want %v", tt.population, got, tt.wantID)
			}
			if back, ok := ParseSizeClass(tt.wantID); !ok || back != got {
				t.Errorf("ParseSizeClass(%q) = %v, %v", tt.wantID, back, ok)
			}
		})
	}
}

func TestSizeClassLabels(t *testing.T) {
	want := []string{
		"Moins de 500 habitants",
		"De 500 à 3\u00a0499 habitants",
		"De 3\u00a0500 à 9\u00a0999 habitants",
		"De 10\u00a0000 à 49\u00a0999 habitants",
		"50\u00a0000 habitants et plus",
	}
	for i, c := range SizeClasses() {
		if c.Label() != want[i] {
			t.Errorf("%v.Label() = %q, want %q", c, c.Label(), want[i])
		}
	}
	var zero SizeClass
	if zero.String() != "" || zero.Label() != "" {
		t.Error("the zero SizeClass has a name")
	}
	if _, ok := ParseSizeClass("big"); ok {
		t.Error(`ParseSizeClass("big") succeeded`)
	}
}
