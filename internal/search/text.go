// Package search is Vivier's French full-text search over experts, needs and
// publications, the same on SQLite and PostgreSQL.
//
// Neither engine stems French the way we need on both: SQLite's FTS5 has no
// French stemmer, and PostgreSQL's 'french' configuration with unaccent
// would give results that SQLite cannot reproduce. So the text is analysed
// here, in Go, once: split into words, lower-cased, French stop words
// dropped, each word stemmed by the Snowball French stemmer, accents folded,
// and a few derivational endings the Snowball stemmer keeps ("industriel",
// "territorial", "touristique") cut so that they meet their nouns. Documents
// are stored as these tokens, separated by spaces, in expert_search and
// need_search; queries are analysed the same way. Each engine then only
// matches plain tokens: FTS5 over an external-content index on SQLite, a
// GIN index on to_tsvector('simple', tokens) on PostgreSQL (the SQL of each
// is store.Dialect's TextMatch), so both return exactly the same rows.
//
// A query matches a document holding every token of the query (AND).
// Ranking is left to the caller's ordering (by name, by date…): counting
// matched terms would be meaningless under AND, and bm25 or ts_rank over
// broad queries was measured too slow for the list pages (see
// docs/benchmarks.md).
package search

import (
	"strings"
	"sync"
	"unicode"

	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// Tokens returns the analysed tokens of text, each once, in order of first
// appearance: "Industrie et réindustrialisation" → [industr reindustrialis].
func Tokens(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range words(text) {
		t := analyse(w)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// Document returns the stored form of a document made of parts (name, bio,
// skill labels, commune…): its tokens joined by spaces.
func Document(parts ...string) string {
	return strings.Join(Tokens(strings.Join(parts, " \n ")), " ")
}

// words splits text into lower-case runs of letters and digits; apostrophes
// and hyphens separate words ("d'entreprises" → d, entreprises).
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// stems memoises analyse: the vocabulary of profiles is small compared with
// their number, and Snowball is the costly step of indexing 100,000 experts.
// It holds pure results, so sharing it is safe; it is bounded so that odd
// input (long random strings) cannot grow it without end.
var stems = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const maxCachedStems = 200_000

// analyse turns one lower-case word into its token, or "" for a stop word
// or a lone letter.
func analyse(w string) string {
	stems.RLock()
	t, ok := stems.m[w]
	stems.RUnlock()
	if ok {
		return t
	}
	t = analyseUncached(w)
	stems.Lock()
	if len(stems.m) < maxCachedStems {
		stems.m[w] = t
	}
	stems.Unlock()
	return t
}

func analyseUncached(w string) string {
	folded := fold(w)
	if stopWords()[folded] || len(folded) < 2 && !isDigits(folded) {
		return ""
	}
	if isDigits(folded) {
		return folded
	}
	return derive(fold(french.Stem(w, false)))
}

// derive cuts the derivational endings that Snowball leaves, so adjectives
// meet their nouns: industriel/industrie → industr, territorial/territoire →
// territor, touristique/tourisme → tour, énergétique/énergie → energ,
// financier/financement → financ. Each rule keeps a stem long enough not to
// merge unrelated words.
func derive(s string) string {
	for _, r := range derivations {
		if strings.HasSuffix(s, r.suffix) && len(s)-len(r.suffix) >= r.keep {
			return s[:len(s)-len(r.suffix)] + r.replace
		}
	}
	return s
}

var derivations = []struct {
	suffix, replace string
	keep            int // letters that must remain before the suffix
}{
	{"iel", "", 4},
	{"ial", "", 4},
	{"oir", "or", 5},
	{"ism", "", 4},
	{"ist", "", 4},
	{"et", "", 5},
	{"i", "", 5},
}

// fold removes accents and ligatures from a lower-case word: "énergétique"
// → "energetique", "œuvre" → "oeuvre".
func fold(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// stopWords are French words too common to search by, folded.
var stopWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a au aux avec ce ces cet cette dans de des du elle en et eux il ils
		je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour
		qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y
		ete etre est sont ont avoir fait plus tres sans sous entre chez vers afin ainsi comme dont`) {
		m[w] = true
	}
	return m
})
