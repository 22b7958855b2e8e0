package need_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"vivier/internal/need"
	"vivier/internal/valid"
)

// FuzzDecode feeds the needs JSON import arbitrary bytes: it never panics,
// malformed files are an *ImportError, and every text it accepts is clean
// (no NUL, valid UTF-8), whatever the engine that would store it.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"testdata/needs.json", "testdata/needs_errors.json", "testdata/needs_malformed.json"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"title":"a\u0000b"}]`))
	f.Add([]byte("[{\"title\":\"caf\xe9\"}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inputs, _, err := need.Decode(bytes.NewReader(data), 1<<20)
		if err != nil {
			var ie *need.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("not an ImportError: %v", err)
			}
			return
		}
		for _, in := range inputs {
			texts := []string{in.Title, in.Description, in.Commune, in.RequesterSIREN, in.Requester, string(in.Kind), string(in.Format)}
			texts = append(texts, in.Languages...)
			for _, sk := range in.Skills {
				texts = append(texts, sk.Code)
			}
			if in.Contact != nil {
				texts = append(texts, in.Contact.Name, in.Contact.Email, in.Contact.Phone, in.Contact.Role)
			}
			for _, s := range texts {
				if !valid.CleanText(s) {
					t.Fatalf("accepted text that is not clean: %q", s)
				}
			}
		}
	})
}
