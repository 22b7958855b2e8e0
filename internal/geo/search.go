package geo

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxSearchResults bounds the limit SearchCommunes accepts: search serves
// pickers and autocompletion, not exports.
const MaxSearchResults = 100

// Match tiers, best first.
const (
	tierExact  uint8 = iota // the whole name, the INSEE code or a whole postal code
	tierPrefix              // the name starts with the query
	tierWord                // a later word of the name starts with the query
)

// searchIndex holds two sorted arrays searched by binary search for the range
// of keys that start with the query. Entries carry what ranking needs so a
// search reads them in order and never touches the communes it rejects.
type searchIndex struct {
	names  []indexEntry // folded names, and name suffixes from each later word
	postal []indexEntry // postal codes
}

type indexEntry struct {
	key  string
	id   CommuneID
	pop  int32
	arr  bool // an arrondissement municipal
	word bool // key starts at a later word of the name
}

// stopWords are not indexed as word starts: "la" should not bring up every
// "Saint-Martin-la-Plaine".
var stopWords = map[string]bool{
	"a": true, "au": true, "aux": true, "d": true, "de": true, "des": true, "du": true,
	"en": true, "et": true, "l": true, "la": true, "le": true, "les": true, "lez": true,
	"pres": true, "sous": true, "sur": true,
}

func buildSearchIndex(communes []Commune) searchIndex {
	type span struct {
		start, end int
		entry      indexEntry
	}
	var (
		folded []byte
		words  []int
		spans  = make([]span, 0, 3*len(communes))
		idx    searchIndex
	)
	for _, c := range communes[1:] {
		e := indexEntry{id: c.ID, pop: int32(c.Population), arr: c.IsArrondissement()}
		start, firstWord := len(folded), len(words)
		folded, words = appendFold(folded, words, c.Name)
		spans = append(spans, span{start, len(folded), e})
		// Arrondissement names ("Lyon 1er Arrondissement") have no later word
		// worth matching on its own.
		for i := firstWord + 1; i < len(words) && !e.arr; i++ {
			end := len(folded)
			if i+1 < len(words) {
				end = words[i+1]
			}
			if stopWords[string(folded[words[i]:end])] {
				continue
			}
			w := e
			w.word = true
			spans = append(spans, span{words[i], len(folded), w})
		}
		for _, pc := range c.PostalCodes {
			p := e
			p.key = pc
			idx.postal = append(idx.postal, p)
		}
	}
	keys := string(folded) // one allocation; every key is a substring of it
	idx.names = make([]indexEntry, len(spans))
	for i, s := range spans {
		s.entry.key = keys[s.start:s.end]
		idx.names[i] = s.entry
	}
	byKey := func(a, b indexEntry) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.id - b.id)
	}
	slices.SortFunc(idx.names, byKey)
	slices.SortFunc(idx.postal, byKey)
	return idx
}

// prefixRange returns the entries whose key starts with prefix.
func prefixRange(entries []indexEntry, prefix string) []indexEntry {
	lo, _ := slices.BinarySearchFunc(entries, prefix, func(e indexEntry, p string) int {
		return strings.Compare(e.key, p)
	})
	hi := lo
	for hi < len(entries) && strings.HasPrefix(entries[hi].key, prefix) {
		hi++
	}
	return entries[lo:hi]
}

// SearchCommunes returns at most limit communes (and, after them,
// arrondissements municipaux) matching query, best first. limit is capped at
// MaxSearchResults.
//
// A query of digits matches postal codes by prefix ("690", "69001"). Any
// other query matches names by prefix, ignoring case, accents, hyphens,
// spaces and apostrophes ("saint etienne" finds "Saint-Étienne", "l'isle"
// finds "L'Isle-Adam"), with "st" and "ste" read as "saint" and "sainte" once
// followed by a space or another word. A later word of a name matches too,
// ranked after ("rouvray" finds "Saint-Étienne-du-Rouvray"). A query that is
// an INSEE code also finds that commune.
//
// Exact matches come first (the whole name, the INSEE code, or a whole postal
// code), then names that start with the query, then later-word matches;
// within each, the most populous first, then by INSEE code.
func (r *Reference) SearchCommunes(query string, limit int) []Commune {
	limit = min(limit, MaxSearchResults)
	trimmed := strings.TrimSpace(query)
	if limit <= 0 || trimmed == "" {
		return nil
	}
	top := ranking{items: make([]candidate, 0, limit), limit: limit}
	if id, ok := r.communeByCode[normalizeCode(trimmed)]; ok {
		c := &r.communes[id]
		top.offer(candidate{id: id, pop: int32(c.Population), arr: c.IsArrondissement(), tier: tierExact})
	}
	if strings.Trim(trimmed, "0123456789") == "" {
		for _, e := range prefixRange(r.search.postal, trimmed) {
			tier := tierPrefix
			if e.key == trimmed {
				tier = tierExact
			}
			top.offer(candidate{id: e.id, pop: e.pop, arr: e.arr, tier: tier})
		}
	} else {
		// The untrimmed query: a trailing space tells that its last word is
		// finished.
		if key := queryKey(query); key != "" {
			for _, e := range prefixRange(r.search.names, key) {
				tier := tierPrefix
				switch {
				case e.word:
					tier = tierWord
				case e.key == key:
					tier = tierExact
				}
				top.offer(candidate{id: e.id, pop: e.pop, arr: e.arr, tier: tier})
			}
		}
	}
	out := make([]Commune, len(top.items))
	for i, c := range top.items {
		out[i] = r.communes[c.id]
	}
	return out
}

// queryKey returns the folded query, with "st" and "ste" spelt out "saint"
// and "sainte" when they are finished words: official names always spell
// them out, so the abbreviation alone would find nothing. A last word is
// finished only when something follows it: "st" alone may be the start of
// "Strasbourg".
func queryKey(query string) string {
	var wordsBuf [16]int
	folded, words := appendFold(make([]byte, 0, len(query)), wordsBuf[:0], query)
	last := query[len(query)-1]
	lastFinished := last < utf8.RuneSelf && !isASCIIAlnum(last)
	key := make([]byte, 0, len(folded)+8)
	for i, start := range words {
		end := len(folded)
		if i+1 < len(words) {
			end = words[i+1]
		}
		w := folded[start:end]
		finished := i < len(words)-1 || lastFinished
		switch {
		case finished && string(w) == "st":
			key = append(key, "saint"...)
		case finished && string(w) == "ste":
			key = append(key, "sainte"...)
		default:
			key = append(key, w...)
		}
	}
	return string(key)
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// candidate is a commune that matches a query, with what ranks it.
type candidate struct {
	id   CommuneID
	pop  int32
	arr  bool
	tier uint8
}

// compare orders candidates best first: communes before arrondissements, then
// by tier, then by population descending, then by ID (INSEE code order).
func (a candidate) compare(b candidate) int {
	switch {
	case a.arr != b.arr:
		if b.arr {
			return -1
		}
		return 1
	case a.tier != b.tier:
		return int(a.tier) - int(b.tier)
	case a.pop != b.pop:
		if a.pop > b.pop {
			return -1
		}
		return 1
	}
	return int(a.id - b.id)
}

// ranking keeps the best limit candidates, sorted, each commune once with its
// best tier. Limits are small, so a sorted slice beats a heap.
type ranking struct {
	items []candidate
	limit int
}

func (t *ranking) offer(c candidate) {
	if len(t.items) == t.limit && c.compare(t.items[len(t.items)-1]) >= 0 {
		return
	}
	for i, it := range t.items {
		if it.id == c.id {
			if c.compare(it) >= 0 {
				return
			}
			t.items = slices.Delete(t.items, i, i+1)
			break
		}
	}
	if len(t.items) == t.limit {
		t.items = t.items[:len(t.items)-1]
	}
	pos, _ := slices.BinarySearchFunc(t.items, c, candidate.compare)
	t.items = slices.Insert(t.items, pos, c)
}

// CommunesWithPostalCode returns the communes (then arrondissements
// municipaux) that La Poste serves under the whole postal code pc, most
// populous first. A postal code is not an INSEE code: 64500 serves
// Saint-Jean-de-Luz and Ciboure, while the commune of INSEE code 64500 is
// Salles-Mongiscard. Several communes often share one code.
func (r *Reference) CommunesWithPostalCode(pc string) []Commune {
	var out []Commune
	for _, e := range prefixRange(r.search.postal, strings.TrimSpace(pc)) {
		if e.key == strings.TrimSpace(pc) {
			out = append(out, r.communes[e.id])
		}
	}
	slices.SortStableFunc(out, func(a, b Commune) int {
		if a.IsArrondissement() != b.IsArrondissement() {
			if a.IsArrondissement() {
				return 1
			}
			return -1
		}
		if a.Population != b.Population {
			return b.Population - a.Population
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}
