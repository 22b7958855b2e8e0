package valid

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
		e.Add(field, "%d caractères au plus (ici %d)", max, n)
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
