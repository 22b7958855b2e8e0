package search

import (
	"slices"
	"testing"
)

func TestTokensMatchAcrossFormsOfAWord(t *testing.T) {
	// Each pair must give the same token: what a user types finds what a
	// profile says.
	tests := []struct{ name, a, b string }{
		{"adjective and noun", "industriel", "industrie"},
		{"feminine plural", "industrielles", "Industrie"},
		{"accents and case", "ÉNERGIE", "energie"},
		{"énergétique", "énergétique", "énergie"},
		{"territorial", "territoriale", "territoire"},
		{"touristique", "touristique", "tourisme"},
		{"commercial", "commerciaux", "commerce"},
		{"financier", "financier", "financement"},
		{"économique", "économique", "économie"},
		{"attractivité", "attractivité", "attractif"},
		{"plural", "entreprises", "entreprise"},
		{"ligature", "œuvre", "oeuvre"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Tokens(tt.a), Tokens(tt.b)
			if len(a) != 1 || !slices.Equal(a, b) {
				t.Errorf("Tokens(%q) = %v, Tokens(%q) = %v: want one equal token", tt.a, a, tt.b, b)
			}
		})
	}
}

func TestTokensDropStopWordsAndSplitElisions(t *testing.T) {
	got := Tokens("Création, reprise et transmission d'entreprises — l'ESS à 100 %")
	want := []string{"creation", "repris", "transmiss", "entrepris", "ess", "100"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokens = %v, want %v", got, want)
	}
	if got := Tokens("<script>alert('x')</script>"); !slices.Equal(got, []string{"script", "alert"}) {
		t.Errorf("markup is only words: %v", got)
	}
}

func TestDistinctWordsStayDistinct(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"social and soc", "social", "sociétés"},
		{"projet and projection", "projet", "projection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if slices.Equal(Tokens(tt.a), Tokens(tt.b)) {
				t.Errorf("%q and %q give the same tokens %v", tt.a, tt.b, Tokens(tt.a))
			}
		})
	}
}
