package fr

import (
	"strings"
	"testing"
)

func TestTypeset(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"space before colon", "<p>Statut : qualifié</p>", "<p>Statut\u202f: qualifié</p>"},
		{"no-break space before question mark", "<p>Pourquoi pas cet expert\u00a0?</p>", "<p>Pourquoi pas cet expert\u202f?</p>"},
		{"semicolon and exclamation", "<p>un ; deux !</p>", "<p>un\u202f; deux\u202f!</p>"},
		{"colon without space kept", "<p>à 14:05, https://exemple.fr</p>", "<p>à 14:05, https://exemple.fr</p>"},
		{"guillemets with spaces", "<p>« en cours »</p>", "<p>«\u202fen cours\u202f»</p>"},
		{"guillemets with no-break spaces", "<p>«\u00a0en cours\u00a0»</p>", "<p>«\u202fen cours\u202f»</p>"},
		{"guillemets without spaces", "<p>«oui»</p>", "<p>«\u202foui\u202f»</p>"},
		{"guillemets around a link", "<p>« <a href=\"/x\">x</a> »</p>", "<p>«\u202f<a href=\"/x\">x</a>\u202f»</p>"},
		{"colon after an element", "<dt><strong>Ville</strong> :</dt>", "<dt><strong>Ville</strong>\u202f:</dt>"},
		{"apostrophe", "<p>l'expert</p>", "<p>l’expert</p>"},
		{"escaped apostrophe", "<p>l&#39;expert</p>", "<p>l’expert</p>"},
		{"attributes untouched", `<a href="/x?a=1&amp;b=2" title="l'expert : oui">l'expert</a>`, `<a href="/x?a=1&amp;b=2" title="l'expert : oui">l’expert</a>`},
		{"quoted greater-than in attribute", `<input value="a > b : c">d : e`, `<input value="a > b : c">d` + "\u202f" + `: e`},
		{"script untouched", "<script>if (a ? b : c) { x = 'y'; }</script><p>a : b</p>", "<script>if (a ? b : c) { x = 'y'; }</script><p>a\u202f: b</p>"},
		{"style untouched", "<style>a:hover { content: 'x' }</style>", "<style>a:hover { content: 'x' }</style>"},
		{"pre and code untouched", "<pre>a : b 'c'</pre><code>x ? y</code><p>d ?</p>", "<pre>a : b 'c'</pre><code>x ? y</code><p>d\u202f?</p>"},
		{"textarea untouched", "<textarea name=t>l'expert : oui</textarea>", "<textarea name=t>l'expert : oui</textarea>"},
		{"option untouched", "<option>Aujourd'hui : oui</option>", "<option>Aujourd'hui : oui</option>"},
		{"upper-case verbatim tag", "<SCRIPT>a ? b : c</SCRIPT>", "<SCRIPT>a ? b : c</SCRIPT>"},
		{"comment untouched", "<!-- a : b --><p>c : d</p>", "<!-- a : b --><p>c\u202f: d</p>"},
		{"doctype", "<!doctype html><title>Erreur : x</title>", "<!doctype html><title>Erreur\u202f: x</title>"},
		{"already typeset", "<p>a\u202f: «\u202fb\u202f»</p>", "<p>a\u202f: «\u202fb\u202f»</p>"},
		{"unclosed script", "<script>a : b", "<script>a : b"},
		{"element named like a verbatim one", "<codex>a : b</codex>", "<codex>a\u202f: b</codex>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Typeset(nil, []byte(tt.in))); got != tt.want {
				t.Errorf("Typeset(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTypesetIsIdempotent(t *testing.T) {
	in := "<p>« a » : l'expert ? oui !</p>"
	once := Typeset(nil, []byte(in))
	if twice := Typeset(nil, once); string(twice) != string(once) {
		t.Errorf("typesetting twice changed %q into %q", once, twice)
	}
}

// BenchmarkTypeset measures the cost added to every page: a 60 KB page of
// tables, forms and French sentences.
func BenchmarkTypeset(b *testing.B) {
	var page strings.Builder
	page.WriteString("<!doctype html><html lang=fr><head><title>Experts · Vivier</title><style>a:hover{color:red}</style></head><body>")
	for page.Len() < 60_000 {
		page.WriteString(`<tr><td><a href="/experts/12?page=2&amp;q=x">Zoé Fernandez</a></td><td>Statut : disponible</td><td class="num">1` + "\u202f" + `250</td><td>l&#39;agence d'attractivité « Béarn »</td></tr>`)
		page.WriteString(`<form method="post"><input type="hidden" name="csrf" value="abc"><select name="s"><option value="1">Aujourd'hui</option></select><button>Valider</button></form>`)
	}
	page.WriteString("<script>var a = b ? 1 : 2;</script></body></html>")
	src := []byte(page.String())
	dst := make([]byte, 0, len(src)+len(src)/8)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		dst = Typeset(dst[:0], src)
	}
}
