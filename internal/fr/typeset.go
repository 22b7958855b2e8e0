package fr

import "bytes"

// Typeset applies French typography to the text of an HTML document, once,
// where pages are rendered, so that no template has to remember it:
//
//   - a narrow no-break space (U+202F) before « ; : ! ? », replacing the
//     ordinary or no-break space written there (a colon with no space
//     before it, as in « 14:05 » or an address, is left alone);
//   - a narrow no-break space inside « guillemets »;
//   - the typographic apostrophe (’) for the straight one.
//
// Only text between tags changes: tags and their attributes (URLs, form
// values, scripts' handlers), comments, and the content of <script>,
// <style>, <pre>, <code>, <textarea> and <option> (whose text may be the
// value sent back) are copied as they are. The result is appended to dst.
func Typeset(dst, html []byte) []byte {
	for len(html) > 0 {
		lt := bytes.IndexByte(html, '<')
		if lt < 0 {
			return typesetText(dst, html)
		}
		dst = typesetText(dst, html[:lt])
		html = html[lt:]
		n := markupLength(html)
		dst = append(dst, html[:n]...)
		html = html[n:]
	}
	return dst
}

// TypesetString is Typeset for a string: a flash message, an error.
func TypesetString(s string) string { return string(Typeset(nil, []byte(s))) }

// verbatim are the elements whose content is copied as it is.
var verbatim = [][]byte{[]byte("script"), []byte("style"), []byte("pre"), []byte("code"), []byte("textarea"), []byte("option")}

// verbatimStart marks the lower-case first letters of the verbatim names.
var verbatimStart = [256]bool{'s': true, 'p': true, 'c': true, 't': true, 'o': true}

// closers are the verbatim elements' closing tags, in the same order.
var closers = func() (out [][]byte) {
	for _, name := range verbatim {
		out = append(out, append([]byte("</"), name...))
	}
	return out
}()

// markupLength returns the length of the markup starting at html[0] ('<'):
// a comment, a tag, or an opening verbatim tag with its content up to its
// closing tag (excluded).
func markupLength(html []byte) int {
	if bytes.HasPrefix(html, []byte("<!--")) {
		if end := bytes.Index(html[4:], []byte("-->")); end >= 0 {
			return 4 + end + 3
		}
		return len(html)
	}
	end := tagEnd(html)
	if len(html) < 2 || !verbatimStart[html[1]|0x20] {
		return end
	}
	for k, name := range verbatim {
		if len(html) > len(name)+1 && bytes.EqualFold(html[1:1+len(name)], name) && !isNameByte(html[1+len(name)]) {
			if i := indexFold(html[end:], closers[k]); i >= 0 {
				return end + i
			}
			return len(html)
		}
	}
	return end
}

// tagEnd returns the length of the tag starting at html[0], quotes
// respected, so that a « > » inside an attribute does not end it.
func tagEnd(html []byte) int {
	i := 1
	for i < len(html) {
		j := bytes.IndexAny(html[i:], "\"'>")
		if j < 0 {
			break
		}
		i += j
		if html[i] == '>' {
			return i + 1
		}
		q := bytes.IndexByte(html[i+1:], html[i])
		if q < 0 {
			break
		}
		i += 1 + q + 1
	}
	return len(html)
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

// indexFold is bytes.Index ignoring the ASCII case of sep.
func indexFold(s, sep []byte) int {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i] == '<' && bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

const (
	narrowNBSP = "\u202f"
	apostrophe = "’"
)

// special marks the bytes typesetText looks at: the punctuation, the
// apostrophe, the start of an entity and the first byte of « and ».
var special = func() (t [256]bool) {
	for _, c := range []byte(":;!?'&\xc2") {
		t[c] = true
	}
	return t
}()

// typesetText typesets one text node, copying the runs between the bytes
// it must look at in one go.
func typesetText(dst, text []byte) []byte {
	i := 0
	for i < len(text) {
		j := i
		for j < len(text) && !special[text[j]] {
			j++
		}
		dst = append(dst, text[i:j]...)
		if j == len(text) {
			break
		}
		i = j
		c := text[i]
		switch {
		case c == ':' || c == ';' || c == '!' || c == '?':
			dst = spaceBefore(dst)
			dst = append(dst, c)
			i++
		case c == '\'':
			dst = append(dst, apostrophe...)
			i++
		case c == '&' && bytes.HasPrefix(text[i:], entityApostrophe):
			dst = append(dst, apostrophe...)
			i += len(entityApostrophe)
		case bytes.HasPrefix(text[i:], openQuote):
			dst = append(dst, openQuote...)
			dst = append(dst, narrowNBSP...)
			i += len(openQuote)
			i += spaceLength(text[i:])
		case bytes.HasPrefix(text[i:], closeQuote):
			// « texte» gets the space it lacks.
			dst = spaceBefore(dst)
			if !bytes.HasSuffix(dst, []byte(narrowNBSP)) {
				dst = append(dst, narrowNBSP...)
			}
			dst = append(dst, closeQuote...)
			i += len(closeQuote)
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst
}

var (
	entityApostrophe = []byte("&#39;")
	openQuote        = []byte("«")
	closeQuote       = []byte("»")
)

// spaces are what typography replaces by the narrow no-break space.
var spaces = [][]byte{[]byte(" "), []byte("\u00a0"), []byte("&nbsp;"), []byte("&#160;"), []byte(narrowNBSP)}

// spaceLength is the length of the one space text starts with, 0 if none.
func spaceLength(text []byte) int {
	for _, s := range spaces {
		if bytes.HasPrefix(text, s) {
			return len(s)
		}
	}
	return 0
}

// spaceBefore replaces the space that ends dst by a narrow no-break
// space. Without a space, dst is left alone: « 14:05 », « https: », a
// question mark right after a word in a code.
func spaceBefore(dst []byte) []byte {
	for _, s := range spaces {
		if bytes.HasSuffix(dst, s) {
			return append(dst[:len(dst)-len(s)], narrowNBSP...)
		}
	}
	return dst
}
