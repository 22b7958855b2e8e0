package geo

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Names and queries are compared in a folded form: lower case, without
// accents, and without any separator, so that "Saint-Étienne", "saint
// etienne" and "SAINT ETIENNE" all fold to "saintetienne" and "l'isle" finds
// "L'Isle-Adam" as well as "Lisle". Folding keeps track of where each word
// starts, for word matches and abbreviations.

// appendFold appends the folded form of s to dst and the offset in dst of the
// start of each word of s to words. It does not allocate when dst and words
// have room.
func appendFold(dst []byte, words []int, s string) ([]byte, []int) {
	inWord := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				inWord = false
				continue
			}
			if !inWord {
				words = append(words, len(dst))
				inWord = true
			}
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		folded := foldRune(r, s[i:])
		i += size
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent typed apart from its letter: drop it.
		case folded != "":
			if !inWord {
				words = append(words, len(dst))
				inWord = true
			}
			dst = append(dst, folded...)
		default:
			inWord = false
		}
	}
	return dst, words
}

// foldRune returns the folded form of the non-ASCII rune r found at the start
// of s, or "" when r separates words (punctuation such as ’, «, spaces).
func foldRune(r rune, s string) string {
	switch r {
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case 'ß':
		return "ss"
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return ""
	}
	// A letter with accents decomposes into its base letter followed by
	// combining marks: keep the base letter when it is ASCII.
	if d := norm.NFD.PropertiesString(s).Decomposition(); len(d) > 0 && d[0] < utf8.RuneSelf {
		b := d[0]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return asciiLetters[b : b+1]
	}
	// Other letters (ø, Greek…) stay as they are, in lower case: they still
	// match themselves.
	return string(unicode.ToLower(r))
}

// asciiLetters lets foldRune return a one-byte string without allocating.
const asciiLetters = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f" +
	" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`" +
	"abcdefghijklmnopqrstuvwxyz{|}~\x7f"

// foldString returns the folded form of s.
func foldString(s string) string {
	b, _ := appendFold(make([]byte, 0, len(s)), nil, s)
	return string(b)
}
