// Package pdftest reads the text of Vivier's PDFs back, for tests that
// check what a generated document says (amounts, names, dates) rather than
// trusting that it was written. Vivier's documents write every string with
// the embedded DejaVu font, in two-byte codes that are the characters'
// Unicode values (package pdf); this reader decodes them so, and reads the
// file's structure and streams with github.com/ledongthuc/pdf (whose own
// text decoder gets characters above U+00FF wrong for such fonts).
package pdftest

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// Text returns the text of every page of doc, in the order it was written,
// the strings of one text object joined and text objects separated by a
// space; every run of white space, no-break spaces included, folds to one
// space (so "4 000 €" matches whatever spaces a document used). It fails t
// when doc is not a PDF.
func Text(t testing.TB, doc []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatalf("not a readable PDF: %v", err)
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		contents := r.Page(i).V.Key("Contents")
		var streams []pdf.Value
		if contents.Kind() == pdf.Array {
			for j := 0; j < contents.Len(); j++ {
				streams = append(streams, contents.Index(j))
			}
		} else {
			streams = append(streams, contents)
		}
		for _, s := range streams {
			raw, err := io.ReadAll(s.Reader())
			if err != nil {
				t.Fatalf("page %d: %v", i, err)
			}
			b.WriteString(textOf(raw))
			b.WriteString(" ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Pages returns the number of pages of doc.
func Pages(t testing.TB, doc []byte) int {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatalf("not a readable PDF: %v", err)
	}
	return r.NumPage()
}

// textOf returns the strings shown in a content stream: literal (…) and
// hexadecimal <…> strings, decoded as UTF-16BE, a space after each text
// object (ET).
func textOf(stream []byte) string {
	var b strings.Builder
	for i := 0; i < len(stream); i++ {
		switch c := stream[i]; {
		case c == '(':
			s, end := literal(stream, i+1)
			b.WriteString(decode(s))
			i = end
		case c == '<' && i+1 < len(stream) && stream[i+1] != '<':
			end := bytes.IndexByte(stream[i:], '>')
			if end < 0 {
				return b.String()
			}
			b.WriteString(decode(unhex(stream[i+1 : i+end])))
			i += end
		case c == 'E' && i+1 < len(stream) && stream[i+1] == 'T' && (i+2 == len(stream) || isSpace(stream[i+2])):
			b.WriteString(" ")
		}
	}
	return b.String()
}

// literal reads a literal string whose content starts at i, with its
// escapes and balanced parentheses; it returns the bytes and the index of
// the closing parenthesis.
func literal(s []byte, i int) ([]byte, int) {
	var out []byte
	depth := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r', '\n':
			default:
				if e >= '0' && e <= '7' {
					v, n := 0, 0
					for n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
						v = v*8 + int(s[i]-'0')
						i, n = i+1, n+1
					}
					i--
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		case c == '(':
			depth++
			out = append(out, c)
		case c == ')':
			if depth == 0 {
				return out, i
			}
			depth--
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out, i
}

func unhex(h []byte) []byte {
	var out []byte
	var hi byte
	half := false
	for _, c := range h {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return out
}

// decode reads two-byte codes as UTF-16BE.
func decode(s []byte) string {
	if len(s)%2 != 0 {
		return string(s)
	}
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return string(utf16.Decode(u))
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }
