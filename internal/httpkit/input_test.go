package httpkit

import (
	"net/url"
	"strings"
	"testing"
)

func TestSafeReturnKeepsOnlyPathsOfThisSite(t *testing.T) {
	for _, c := range []struct {
		in   string
		keep bool
	}{
		{"/tableau-de-bord", true},
		{"/experts?zone=01&page=2", true},
		{"/besoins/12#propositions", true},
		{"", false},
		{"tableau-de-bord", false},
		{"//evil.example", false},
		{"/\t/evil.example", false},
		{"/\n/evil.example", false},
		{"/\\evil.example", false},
		{"/%2F%2Fevil.example", false},
		{"/%5Cevil.example", false},
		{"https://evil.example/", false},
		{"javascript:alert(1)", false},
		{"/\x00", false},
		{"/caf\xe9", false},
		{"/\u2028/evil.example", false},
		{"/" + strings.Repeat("a", 2001), false},
	} {
		if got := SafeReturn(c.in); (got != "") != c.keep || c.keep && got != c.in {
			t.Errorf("SafeReturn(%q) = %q, keep %v", c.in, got, c.keep)
		}
	}
}

// FuzzSafeReturn checks that whatever SafeReturn accepts stays on this
// site once a browser has read it: browsers drop tabs and line breaks and
// read a backslash as a slash before resolving a Location.
func FuzzSafeReturn(f *testing.F) {
	for _, s := range []string{"/", "/compte", "//x", "/\t/x", "/\\x", "/%2F/x", "https://x/", "/a?b=c#d", "/@x", "/.//x"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://vivier.example/connexion")
	f.Fuzz(func(t *testing.T, raw string) {
		got := SafeReturn(raw)
		if got == "" {
			return
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := url.Parse(browser)
		if err != nil {
			t.Fatalf("accepted %q, which does not parse: %v", raw, err)
		}
		if r := base.ResolveReference(u); r.Host != "vivier.example" || r.Scheme != "https" {
			t.Fatalf("accepted %q, which leads to %s", raw, r)
		}
		if unescaped, err := url.PathUnescape(u.EscapedPath()); err == nil && strings.HasPrefix(unescaped, "//") {
			t.Fatalf("accepted %q, whose path starts with two slashes once decoded", raw)
		}
	})
}
