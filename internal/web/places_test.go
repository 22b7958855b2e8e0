package web

import (
	"slices"
	"strings"
	"testing"

	"vivier/internal/geo"
)

// TestResolveCommune: what a mayor types in the commune field of the
// public form — a postal code is a postal code, an INSEE code only when
// written as one.
func TestResolveCommune(t *testing.T) {
	p := newPlaces(geo.Default())
	for _, tt := range []struct {
		name, chosen, typed string
		want                string   // the INSEE code resolved, "" when a choice or an error
		choices             []string // the communes offered
		msg                 string   // part of the message
	}{
		{name: "postal code shared by two communes", typed: "64500", choices: []string{"64483", "64189"}, msg: "plusieurs communes"},
		{name: "the choice among them", chosen: "64189", typed: "64500", want: "64189"},
		{name: "INSEE code typed as such", typed: "INSEE 64500", want: "64500"},
		{name: "INSEE code with its words", typed: "code INSEE : 64500", want: "64500"},
		{name: "Corsican INSEE code", typed: "insee 2A004", want: "2A004"},
		{name: "unknown INSEE code", typed: "INSEE 99999", msg: "aucune commune n’a le code INSEE"},
		{name: "the picker's value", typed: "Ciboure (64500) – 64189", want: "64189"},
		{name: "postal code of one commune", typed: "81000", want: "81004"},
		{name: "unknown postal code", typed: "99999", msg: "aucune commune n’a le code postal"},
		{name: "a name", typed: "Saint-Jean-de-Luz", want: "64483"},
		{name: "nothing", typed: " ", msg: "indiquez votre commune"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, choices, msg := p.resolveCommune(tt.chosen, tt.typed)
			if code != tt.want {
				t.Errorf("code = %q, want %q (%s)", code, tt.want, msg)
			}
			var got []string
			for _, c := range choices {
				got = append(got, c.Code)
			}
			if tt.choices != nil && !slices.Equal(got, tt.choices) {
				t.Errorf("choices = %v, want %v", got, tt.choices)
			}
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q, want it to hold %q", msg, tt.msg)
			}
		})
	}
}
