package date

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "2026-12-01", true},
		{"leap day", "2028-02-29", true},
		{"impossible day", "2026-02-30", false},
		{"french order", "01/12/2026", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("Parse(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if tt.ok && d.String() != tt.in {
				t.Errorf("round trip gave %q", d.String())
			}
		})
	}
}

func TestArithmetic(t *testing.T) {
	d := MustParse("2026-12-30")
	if got := d.AddDays(3).String(); got != "2027-01-02" {
		t.Errorf("AddDays across the year: %s", got)
	}
	if n := MustParse("2026-12-01").DaysUntil(MustParse("2027-03-01")); n != 90 {
		t.Errorf("DaysUntil = %d, want 90", n)
	}
	if !d.Before(d.AddDays(1)) || d.After(d) || d.Compare(d) != 0 {
		t.Error("comparisons are wrong")
	}
	if d.Weekday() != time.Wednesday {
		t.Errorf("2026-12-30 is a %v", d.Weekday())
	}
}

func TestScanAndJSON(t *testing.T) {
	var d Date
	for _, src := range []any{"2026-12-01", []byte("2026-12-01 00:00:00+00:00"), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)} {
		if err := d.Scan(src); err != nil || d.String() != "2026-12-01" {
			t.Errorf("Scan(%v) = %v, %v", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", d, err)
	}
	b, _ := json.Marshal(struct{ D Date }{MustParse("2027-01-05")})
	if string(b) != `{"D":"2027-01-05"}` {
		t.Errorf("JSON = %s", b)
	}
	var back struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2027-02-31"}`), &back); err == nil {
		t.Error("JSON with an impossible day was accepted")
	}
}
