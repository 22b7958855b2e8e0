package geo

import (
	"slices"
	"testing"
)

func TestSearchCommunes(t *testing.T) {
	r := Default()
	tests := []struct {
		name, query string
		limit       int
		wantFirst   []string // INSEE codes the results must start with, in order
		wantAmong   []string // INSEE codes that must be somewhere in the results
		wantNone    []string // INSEE codes that must not be in the results
	}{
		{name: "exact name first", query: "Lyon", limit: 10, wantFirst: []string{"69123"}},
		{name: "case and accents ignored", query: "SAINT-ETIENNE", limit: 5, wantFirst: []string{"42218", "76575"}},
		{name: "spaces for hyphens", query: "saint etienne", limit: 5, wantFirst: []string{"42218"}},
		{name: "accented query", query: "Évry-Courcouronnes", limit: 5, wantFirst: []string{"91228"}},
		{name: "accent typed on a plain name", query: "évreux", limit: 5, wantFirst: []string{"27229"}},
		{name: "abbreviated saint", query: "st etienne", limit: 5, wantFirst: []string{"42218"}},
		{name: "abbreviated sainte", query: "ste foy les lyon", limit: 5, wantFirst: []string{"69202"}},
		{name: "st alone is a prefix", query: "st", limit: 5, wantFirst: []string{"67482"}},
		{name: "finished st is saint", query: "st ", limit: 5, wantFirst: []string{"42218"}},
		{name: "apostrophe", query: "l'isle adam", limit: 5, wantFirst: []string{"95313"}},
		{name: "apostrophe left out", query: "lisle adam", limit: 5, wantFirst: []string{"95313"}},
		{name: "typographic apostrophe", query: "L’Isle-Adam", limit: 5, wantFirst: []string{"95313"}},
		{name: "ligature", query: "oeuilly", limit: 5, wantAmong: []string{"51410", "02565"}},
		{name: "prefix by population", query: "sa", limit: 3, wantFirst: []string{"42218", "97411", "93066"}},
		{name: "later word", query: "rouvray", limit: 10, wantAmong: []string{"76575"}},
		{name: "exact name before a bigger prefix match", query: "ajac", limit: 5, wantFirst: []string{"11003", "2A004"}},
		{name: "postal code prefix", query: "690", limit: 3, wantFirst: []string{"69123"}, wantAmong: []string{"69383"}},
		{name: "whole postal code", query: "69001", limit: 5, wantFirst: []string{"69123", "69001", "69381"}},
		{name: "postal code of several communes", query: "01640", limit: 10, wantAmong: []string{"01002"}},
		{name: "INSEE code", query: "2A004", limit: 5, wantFirst: []string{"2A004"}},
		{name: "arrondissements after communes", query: "paris", limit: 100, wantFirst: []string{"75056"}, wantAmong: []string{"75101"}},
		{name: "arrondissement by name", query: "marseille 8", limit: 5, wantFirst: []string{"13208"}},
		{name: "Mayotte", query: "mamoudzou", limit: 5, wantFirst: []string{"97611"}},
		{name: "delegated commune not indexed", query: "Bâgé-la-Ville", limit: 5, wantNone: []string{"01025"}},
		{name: "no match", query: "zzzz", limit: 5},
		{name: "empty", query: "  ", limit: 5},
		{name: "punctuation only", query: "'-", limit: 5},
		{name: "zero limit", query: "lyon", limit: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.SearchCommunes(tt.query, tt.limit)
			codes := make([]string, len(got))
			for i, c := range got {
				codes[i] = c.Code
			}
			if len(got) > tt.limit {
				t.Errorf("%d results, over the limit %d", len(got), tt.limit)
			}
			if len(tt.wantFirst)+len(tt.wantAmong) == 0 && len(got) > 0 && tt.wantNone == nil {
				t.Errorf("SearchCommunes(%q) = %v, want none", tt.query, codes)
			}
			if len(codes) < len(tt.wantFirst) || !slices.Equal(codes[:len(tt.wantFirst)], tt.wantFirst) {
				t.Errorf("SearchCommunes(%q) = %v, want it to start with %v", tt.query, codes, tt.wantFirst)
			}
			for _, code := range tt.wantAmong {
				if !slices.Contains(codes, code) {
					t.Errorf("SearchCommunes(%q) = %v, want %s among them", tt.query, codes, code)
				}
			}
			for _, code := range tt.wantNone {
				if slices.Contains(codes, code) {
					t.Errorf("SearchCommunes(%q) = %v, want no %s", tt.query, codes, code)
				}
			}
			if sorted := slices.Sorted(slices.Values(codes)); len(slices.Compact(sorted)) != len(codes) {
				t.Errorf("SearchCommunes(%q) = %v has duplicates", tt.query, codes)
			}
		})
	}
}

func TestSearchRanking(t *testing.T) {
	r := Default()
	got := r.SearchCommunes("saint", MaxSearchResults)
	if len(got) != MaxSearchResults {
		t.Fatalf("%d results, want %d", len(got), MaxSearchResults)
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].Population < got[i].Population {
			t.Errorf("%s (%d) ranked before %s (%d)", got[i-1].Name, got[i-1].Population, got[i].Name, got[i].Population)
		}
	}
	paris := r.SearchCommunes("paris", MaxSearchResults)
	seenArrondissement := false
	for _, c := range paris {
		if c.IsArrondissement() {
			seenArrondissement = true
		} else if seenArrondissement {
			t.Errorf("commune %s ranked after an arrondissement", c.Name)
		}
	}
	if n := len(r.SearchCommunes("s", 1000)); n != MaxSearchResults {
		t.Errorf("limit 1000 gave %d results, want MaxSearchResults", n)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Saint-Étienne", "saintetienne"},
		{"L'Isle-Adam", "lisleadam"},
		{"L’Haÿ-les-Roses", "lhaylesroses"},
		{"Œuf-en-Ternois", "oeufenternois"},
		{"Sainte-Marie-aux-Mines (68)", "saintemarieauxmines68"},
		{"e\u0301vry", "evry"}, // decomposed accent
		{"ÇA", "ca"},
		{"Ørsted", "ørsted"},
		{"  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := foldString(tt.in); got != tt.want {
				t.Errorf("foldString(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestQueryKey(t *testing.T) {
	tests := []struct{ query, want string }{
		{"st etienne", "saintetienne"},
		{"St-Étienne", "saintetienne"},
		{"ste marie", "saintemarie"},
		{"st ", "saint"},
		{"st", "st"},
		{"stras", "stras"},
		{"la st", "last"},
		{"--", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := queryKey(tt.query); got != tt.want {
				t.Errorf("queryKey(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

// TestCommunesWithPostalCode: a postal code names the communes La Poste
// serves under it, never the commune whose INSEE code it happens to be.
func TestCommunesWithPostalCode(t *testing.T) {
	ref := Default()
	for _, tt := range []struct {
		name, code string
		want       []string
	}{
		{"shared by two communes, not the INSEE code", "64500", []string{"64483", "64189"}},
		{"one commune", "81000", []string{"81004"}},
		{"unknown", "99999", []string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ref.CommunesWithPostalCode(tt.code)
			var codes []string
			for _, c := range got {
				codes = append(codes, c.Code)
				if c.Code == tt.code {
					t.Errorf("%s answered the commune whose INSEE code it is", tt.code)
				}
				if !slices.Contains(c.PostalCodes, tt.code) {
					t.Errorf("%s (%s) does not carry %s", c.Name, c.Code, tt.code)
				}
			}
			if tt.want != nil && !slices.Equal(codes, tt.want) && !(len(tt.want) == 0 && len(codes) == 0) {
				t.Errorf("%s → %v, want %v", tt.code, codes, tt.want)
			}
			if tt.code == "81000" && len(got) == 0 {
				t.Error("81000 serves Albi")
			}
		})
	}
}
