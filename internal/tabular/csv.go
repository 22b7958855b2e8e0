package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"vivier/internal/fr"
)

// decode turns the bytes of a CSV file into text, deciding the encoding
// from the whole file: UTF-16 when it starts with a UTF-16 byte order mark
// (Excel's "Unicode text"); UTF-8 when every byte is valid UTF-8 (a BOM is
// dropped); Windows-1252 (French Excel's "CSV (separator: semicolon)") only
// when no accented letter of the file is written the UTF-8 way and every
// byte is a Windows-1252 character. A UTF-8 file with one stray byte has
// both kinds and is refused, naming the line and the byte, rather than read
// as Windows-1252 into « LefÃ¨vre ». A file holding NUL bytes, or control
// characters no text file has, is refused as binary.
func decode(data []byte) (string, string, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil || !utf8.Valid(out) {
			return "", "", &Error{Message: "le fichier UTF-16 est abîmé : enregistrez-le en « CSV UTF-8 »"}
		}
		return strings.TrimPrefix(string(out), "\uFEFF"), "utf-16", checkText(string(out))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", &Error{Message: "ce fichier n’est ni un CSV ni un classeur XLSX (contenu binaire) : enregistrez-le en « CSV UTF-8 » ou en XLSX"}
	}
	if utf8.Valid(data) {
		if rest, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF")); ok {
			return string(rest), "utf-8 (BOM)", checkText(string(rest))
		}
		return string(data), "utf-8", checkText(string(data))
	}
	firstBad, multibyte := -1, false
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if firstBad < 0 {
				firstBad = i
			}
		case n > 1:
			multibyte = true
		}
		i += n
	}
	if multibyte {
		return "", "", badByte(data, firstBad, "le fichier est en UTF-8 mais contient un octet invalide")
	}
	for i, b := range data {
		if b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D {
			return "", "", badByte(data, i, "le fichier n’est ni de l’UTF-8 valide ni du Windows-1252")
		}
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", &Error{Message: "encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 »"}
	}
	return string(out), "windows-1252", checkText(string(out))
}

// badByte names the line of the byte at offset and its place in the line
// and in the file.
func badByte(data []byte, offset int, what string) *Error {
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	start := bytes.LastIndexByte(data[:offset], '\n') + 1
	return &Error{Line: line, Message: fmt.Sprintf("%s : l’octet 0x%02X, %se octet de la ligne (%se du fichier) ; enregistrez le fichier en « CSV UTF-8 »",
		what, data[offset], fr.Int(int64(offset-start+1)), fr.Int(int64(offset+1)))}
}

// checkText refuses control characters other than tab and line breaks: a
// text file does not hold them, a mis-detected binary file does.
func checkText(s string) error {
	line := 1
	for _, r := range s {
		if r == '\n' {
			line++
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return &Error{Line: line, Message: "caractère de contrôle inattendu : ce fichier n’est pas un CSV texte (enregistrez-le en « CSV UTF-8 » ou en XLSX)"}
		}
	}
	return nil
}

// separator guesses the separator from the header line: the most frequent
// of semicolon, comma and tab outside quotes.
func separator(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func readCSV(text, enc string) (Table, error) {
	rd := csv.NewReader(strings.NewReader(text))
	rd.Comma = separator(text)
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = false
	t := Table{Format: "csv", Encoding: enc}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line {
					return Table{}, &Error{Line: pe.StartLine, Message: fmt.Sprintf(
						"guillemet ouvert à cette ligne et jamais refermé (le fichier finit ligne %s) : fermez la cellule entre guillemets", fr.Int(int64(pe.Line)))}
				}
				return Table{}, &Error{Line: pe.Line, Column: pe.Column, Message: csvMessage(pe.Err)}
			}
			return Table{}, err
		}
		line, _ := rd.FieldPos(0)
		if e := t.add(line, rec); e != nil {
			return Table{}, e
		}
	}
	return t, t.check()
}

func csvMessage(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "guillemet en trop dans une cellule (doublez les guillemets à l’intérieur d’une cellule entre guillemets)"
	case errors.Is(err, csv.ErrBareQuote):
		return "guillemet inattendu dans une cellule non entourée de guillemets"
	}
	return err.Error()
}
