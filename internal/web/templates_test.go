package web

import (
	"html/template"
	"math"
	"strings"
	"testing"

	"vivier/internal/fr"
)

// TestIntGroupsEveryIntegerType renders the int func the way a page does, on
// each integer type the domain hands to templates.
func TestIntGroupsEveryIntegerType(t *testing.T) {
	type level int
	tests := []struct {
		name string
		n    any
		want string
	}{
		{"int", 1997, "1\u202f997"},
		{"small int", 999, "999"},
		{"int32", int32(12500), "12\u202f500"},
		{"int64", int64(1234567), "1\u202f234\u202f567"},
		{"negative int64", int64(-3500), "−3\u202f500"},
		{"int8", int8(-128), "−128"},
		{"uint", uint(1000), "1\u202f000"},
		{"uint16", uint16(65535), "65\u202f535"},
		{"uint32", uint32(4000000000), "4\u202f000\u202f000\u202f000"},
		{"largest uint64", uint64(math.MaxUint64), "18\u202f446\u202f744\u202f073\u202f709\u202f551\u202f615"},
		{"named integer type", level(2048), "2\u202f048"},
	}
	page := template.Must(template.New("page").Funcs(funcs()).Parse(`{{int .}}`))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := page.Execute(&b, tt.n); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("int %v = %q, want %q", tt.n, b.String(), tt.want)
			}
		})
	}
}

// TestIntRefusesWhatIsNotAnInteger keeps a float or a string from being
// printed as if it were a count: the page fails to render instead.
func TestIntRefusesWhatIsNotAnInteger(t *testing.T) {
	page := template.Must(template.New("page").Funcs(funcs()).Parse(`{{int .}}`))
	for _, v := range []any{1.5, "1997", nil} {
		if err := page.Execute(&strings.Builder{}, v); err == nil {
			t.Errorf("int %#v rendered without error", v)
		}
	}
}

// BenchmarkInt measures the int func a page calls for each count, against
// fr.Int alone: the cost of taking any integer type.
//
//	go test ./internal/web -run '^$' -bench 'BenchmarkInt' -benchmem
func BenchmarkInt(b *testing.B) {
	b.Run("groupedInt", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := groupedInt(1997 + i%1000); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fr.Int", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			_ = fr.Int(int64(1997 + i%1000))
		}
	})
}
