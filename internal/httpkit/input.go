package httpkit

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vivier/internal/fr"
	"vivier/internal/valid"
)

// Every route gets these checks of its input for free, from the router,
// before its handler runs: the path, every query parameter and every field
// of a submitted form must be clean text (valid.CleanText: UTF-8 without
// NUL), and a page number must be a whole number from 1 to MaxPage. The
// JSON bodies are checked by Decode, files by their readers.

// MaxPage is the largest page number a list accepts: far beyond any real
// list, small enough that page × size never overflows an OFFSET.
const MaxPage = 10000

// InputError is a request refused by these checks: which field, and why.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Field + " : " + e.Message }

// checkInput returns the first problem of r's path, query and form, nil
// when there is none. It parses the form of a state-changing request (the
// CSRF check reads it next anyway); a form it cannot parse is left to the
// handler, which meets the same error.
func checkInput(r *http.Request) *InputError {
	if !valid.CleanText(r.URL.Path) {
		return &InputError{Field: "adresse", Message: valid.BadTextMessage}
	}
	if r.URL.RawQuery != "" {
		q, _ := url.ParseQuery(r.URL.RawQuery)
		if e := checkValues(q); e != nil {
			return e
		}
		if v, ok := q["page"]; ok && len(v) > 0 {
			if n, err := strconv.Atoi(v[0]); err != nil || n < 1 || n > MaxPage {
				return &InputError{Field: "page", Message: "numéro de page invalide : un nombre entier de 1 à " + fr.Int(MaxPage) + " est attendu"}
			}
		}
	}
	if SafeMethod(r.Method) || r.Body == nil {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		_ = r.ParseForm()
	case "multipart/form-data":
		_ = r.ParseMultipartForm(32 << 20)
	default:
		return nil
	}
	return checkValues(r.PostForm)
}

func checkValues(vs url.Values) *InputError {
	for k, list := range vs {
		if !valid.CleanText(k) {
			return &InputError{Field: strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "?"), Message: valid.BadTextMessage}
		}
		for _, v := range list {
			if !valid.CleanText(v) {
				return &InputError{Field: k, Message: valid.BadTextMessage}
			}
		}
	}
	return nil
}

// SafeReturn returns raw when it is a path of this site to go back to after
// logging in, "" otherwise. It parses the value instead of looking at its
// first characters: browsers drop tabs and line breaks from a URL and read
// a backslash as a slash, so "/\t/evil.example" and "/\\evil.example"
// both lead to another host. Accepted: an absolute path, without scheme,
// host or user, without control characters or backslash, not starting with
// two slashes, at most 2 000 bytes.
func SafeReturn(raw string) string {
	if raw == "" || len(raw) > 2000 || raw[0] != '/' || !valid.CleanText(raw) {
		return ""
	}
	if strings.HasPrefix(raw, "//") || strings.ContainsRune(raw, '\\') {
		return ""
	}
	for _, c := range raw {
		if c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029' {
			return ""
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	if strings.HasPrefix(u.Path, "//") || strings.Contains(u.Path, "\\") {
		return "" // %2F%2F and %5C decode to what browsers treat as a host
	}
	return raw
}
