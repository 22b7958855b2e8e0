package expert

import (
	"fmt"
	"testing"
)

// FuzzParsePeriod feeds the availability syntax of the files
// ("2026-12-01..2027-03-31:3") arbitrary text: it never panics, and a
// period it reads is written back the same way.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-12-01..2027-03-31:3", " 2026-12-01 .. 2027-03-31 : 5 ", "2026-12-01:3", "..:", "2026-02-30..2026-03-01:1", "2026-12-01..2027-03-31:-9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, msg := parsePeriod(s)
		if msg != "" {
			if len(msg) > 400 {
				t.Fatalf("a message of %d bytes", len(msg))
			}
			return
		}
		again, msg := parsePeriod(fmt.Sprintf("%s..%s:%d", p.Start, p.End, p.DaysPerWeek))
		if msg != "" || again != p {
			t.Fatalf("%q read as %+v, written back and read as %+v (%s)", s, p, again, msg)
		}
	})
}
