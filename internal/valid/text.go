package valid

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"vivier/internal/fr"
)

// Text that reaches Vivier from outside — form fields, query strings, JSON
// strings, imported files — must be valid UTF-8 without NUL bytes. PostgreSQL
// refuses a NUL in text (the request failed with a 500 there and stored it
// on SQLite), and decoders silently replace invalid UTF-8 with U+FFFD, which
// would store a corrupted value. Both are refused where the input enters,
// naming the field, the same way on both engines.

// BadTextMessage is the message of a refused value.
const BadTextMessage = "contient un caractère nul ou du texte qui n’est pas de l’UTF-8 valide : retapez la valeur"

// CleanText reports whether s is valid UTF-8 without NUL bytes.
func CleanText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// CheckText returns a FieldError naming field when s is not clean text.
func CheckText(field, s string) error {
	if CleanText(s) {
		return nil
	}
	return FieldError{Field: field, Message: BadTextMessage}
}

// CheckJSON walks a JSON document and returns a FieldError naming the first
// member whose key or string value holds a NUL (escaped as \u0000) or
// invalid UTF-8 (which encoding/json would quietly replace), as a path in
// the API's notation: "contact.email", "skills[0].code", "[3].title" for a
// top-level array. A document that is not JSON is left to its decoder: nil.
func CheckJSON(raw []byte) error {
	invalid := !utf8.Valid(raw)
	if !invalid && !bytes.Contains(raw, []byte(`\u0000`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	type frame struct {
		array bool
		index int
		key   string
		ready bool // an object's key was read, its value comes next
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			} else if f.key != "" {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	bad := func(s string) bool {
		return strings.IndexByte(s, 0) >= 0 || invalid && strings.ContainsRune(s, utf8.RuneError)
	}
	// after a value, move the enclosing container on.
	done := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].ready = false
			}
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) || err != nil {
			if invalid {
				return FieldError{Field: path(), Message: BadTextMessage}
			}
			return nil
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			if n := len(stack); n > 0 && !stack[n-1].array && !stack[n-1].ready {
				stack[n-1].key, stack[n-1].ready = v, true
				if bad(v) {
					return FieldError{Field: path(), Message: BadTextMessage}
				}
				continue
			}
			if bad(v) {
				return FieldError{Field: path(), Message: BadTextMessage}
			}
			done()
		default:
			done()
		}
	}
}

// Text records a message for field when s is not text a person typed:
// invalid UTF-8 (a file in another encoding, hostile bytes), a control
// character (NUL…; line breaks and tabs only when multiline) or more than
// max characters. It reports whether s was accepted.
func (e *Errors) Text(field, s string, max int, multiline bool) bool {
	if !utf8.ValidString(s) {
		e.Add(field, "le texte contient des caractères illisibles (encodage ?)")
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
			e.Add(field, "le texte contient un caractère de contrôle invisible")
			return false
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		e.Add(field, "%s caractères au plus (ici %s)", fr.Int(int64(max)), fr.Int(int64(n)))
		return false
	}
	return true
}

// MaxURLLength bounds the web addresses records keep.
const MaxURLLength = 2000

// WebAddress records a message for field when s, if not empty, is not an
// absolute http or https address of at most MaxURLLength characters: the
// only links Vivier shows people (never javascript: or data:).
func (e *Errors) WebAddress(field, s string) bool {
	if s == "" {
		return true
	}
	if !e.Text(field, s, MaxURLLength, false) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t") {
		e.Add(field, "adresse web invalide : elle commence par https:// (ou http://)")
		return false
	}
	return true
}
