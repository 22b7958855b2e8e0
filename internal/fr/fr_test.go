package fr

import (
	"math"
	"strings"
	"testing"
	"time"

	"vivier/internal/date"
)

// readable turns the no-break spaces into plain spaces to keep the expected
// strings legible; a separate test checks the exact characters.
func readable(s string) string {
	return strings.NewReplacer(thinSpace, " ", nbsp, " ").Replace(s)
}

func TestFormats(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"date", Date(date.MustParse("2026-11-25")), "25 novembre 2026"},
		{"first of month", Date(date.MustParse("2026-12-01")), "1er décembre 2026"},
		{"accented month", Date(date.MustParse("2027-02-14")), "14 février 2027"},
		{"long date", LongDate(date.MustParse("2026-11-25")), "mercredi 25 novembre 2026"},
		{"zero date", Date(date.Date{}), ""},
		{"date time in Paris", readable(DateTime(time.Date(2026, 11, 25, 13, 5, 0, 0, time.UTC))), "25 novembre 2026 à 14 h 05"},
		{"summer time", readable(DateTime(time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC))), "2 juillet 2026 à 0 h 30"},
		{"euros", readable(Euros(1250)), "1 250 €"},
		{"small amount", readable(Euros(650)), "650 €"},
		{"millions", readable(Int(1234567)), "1 234 567"},
		{"negative", readable(Int(-3500)), "−3 500"},
		{"below a thousand", Int(999), "999"},
		{"zero", Int(0), "0"},
		{"smallest int64", readable(Int(math.MinInt64)), "−9 223 372 036 854 775 808"},
		{"largest uint64", readable(Uint(math.MaxUint64)), "18 446 744 073 709 551 615"},
		{"decimal", readable(Decimal(1234.56, 1)), "1 234,6"},
		{"negative decimal", Decimal(-0.25, 2), "−0,25"},
		{"tiny negative rounds to zero", Decimal(-0.001, 1), "0,0"},
		{"percent", readable(Percent(0.125)), "12,5 %"},
		{"quote", readable(Quote("pourquoi pas cet expert ?")), "« pourquoi pas cet expert ? »"},
		{"plural one", Plural(1, "expert", "experts"), "1 expert"},
		{"plural zero", Plural(0, "expert", "experts"), "0 expert"},
		{"plural many", Plural(12, "expert", "experts"), "12 experts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestSpacesDoNotBreak(t *testing.T) {
	if got := Euros(1250); got != "1\u202f250\u00a0€" {
		t.Errorf("Euros(1250) = %q, want narrow no-break space between thousands and no-break space before €", got)
	}
}

func TestInSentence(t *testing.T) {
	for label, want := range map[string]string{
		"Intercommunalité (EPCI)": "intercommunalité (EPCI)", "Écart de zone": "écart de zone", "TJM": "TJM", "": "",
	} {
		if got := InSentence(label); got != want {
			t.Errorf("InSentence(%q) = %q, want %q", label, got, want)
		}
	}
}
