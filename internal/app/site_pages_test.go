package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestFooterPagesAndSiteMap opens the pages every footer links to, as a
// visitor and as each role: the site map lists, under their names, the
// pages the role may open and no other, read from the route table.
func TestFooterPagesAndSiteMap(t *testing.T) {
	ta := newTestApp(t, storetest.Open(t, store.SQLite))
	for _, path := range []string{"/mentions-legales", "/accessibilite", "/donnees-personnelles", "/plan-du-site"} {
		resp, body := ta.get(t, "", path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		for _, link := range []string{`href="/mentions-legales"`, `href="/accessibilite"`, `href="/donnees-personnelles"`, `href="/plan-du-site"`} {
			if !strings.Contains(body, link) {
				t.Errorf("%s: the footer lacks %s", path, link)
			}
		}
	}
	if _, body := ta.get(t, "", "/accessibilite"); !strings.Contains(body, "partiellement conforme") || !strings.Contains(body, "axe-core") {
		t.Error("the accessibility statement does not say its state and how it is tested")
	}
	if _, body := ta.get(t, "", "/donnees-personnelles"); !strings.Contains(body, `href="/compte"`) || !strings.Contains(body, "Effacement") {
		t.Error("the personal data page does not say how to export and erase")
	}
	links := regexp.MustCompile(`<li><a href="([^"]+)">([^<]+)</a></li>`)
	siteMap := func(role string) map[string]string {
		_, body := ta.get(t, role, "/plan-du-site")
		main := body[strings.Index(body, `<main`):strings.Index(body, `</main>`)]
		out := map[string]string{}
		for _, m := range links.FindAllStringSubmatch(main, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	tests := []struct {
		role      string
		want, not []string
	}{
		{"", []string{"/", "/connexion", "/besoins/nouveau", "/evenements", "/plan-du-site"}, []string{"/tableau-de-bord", "/experts", "/admin/utilisateurs"}},
		{"admin", []string{"/tableau-de-bord", "/experts", "/admin/courriels", "/admin/utilisateurs", "/compte"}, []string{"/connexion", "/mon-profil", "/reseau/mon-adhesion"}},
		{"coordinator", []string{"/besoins", "/admin/journal", "/reseau/engagement"}, []string{"/admin/courriels", "/admin/ponderation"}},
		{"expert", []string{"/mon-profil", "/missions", "/mes-lettres"}, []string{"/experts", "/admin/journal"}},
		{"member", []string{"/reseau/adherents", "/reseau/mon-adhesion"}, []string{"/besoins", "/experts"}},
	}
	for _, tt := range tests {
		got := siteMap(tt.role)
		for _, p := range tt.want {
			if _, ok := got[p]; !ok {
				t.Errorf("%q: the site map lacks %s", tt.role, p)
			}
		}
		for _, p := range tt.not {
			if _, ok := got[p]; ok {
				t.Errorf("%q: the site map lists %s, which the role may not open", tt.role, p)
			}
		}
		for p, label := range got {
			if strings.HasPrefix(label, "/") {
				t.Errorf("%q: %s has no name in the site map (pageLabels)", tt.role, p)
			}
		}
	}
}

// TestPagesAreTypesetInFrench reads pages as they are sent: narrow
// no-break spaces before the colon and inside guillemets, typographic
// apostrophes, and the title of a refused form starting with « Erreur ».
func TestPagesAreTypesetInFrench(t *testing.T) {
	ta := newTestApp(t, storetest.Open(t, store.SQLite))
	_, body := ta.get(t, "", "/mentions-legales")
	if !strings.Contains(body, "Directeur de la publication\u202f:") || strings.Contains(body, " :") {
		t.Error("/mentions-legales: a plain space before a colon")
	}
	// The home page's template writes straight apostrophes.
	if _, body = ta.get(t, "", "/"); !strings.Contains(body, "un réseau d’experts") || strings.Contains(body, "&#39;") {
		t.Error("/: straight apostrophes left in the text")
	}
	_, body = ta.get(t, "", "/accessibilite")
	if !strings.Contains(body, "«\u202fAller au contenu\u202f»") {
		t.Error("/accessibilite: guillemets without their narrow no-break spaces")
	}
	resp, body := ta.get(t, "coordinator", "/tableau-de-bord?du=2026-13-01")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "<title>Erreur\u202f: Tableau de bord · Vivier</title>") {
		t.Errorf("a refused period: %d, title %q", resp.StatusCode, between(body, "<title>", "</title>"))
	}
	if !strings.Contains(body, `id="erreurs"`) || !strings.Contains(body, `tabindex="-1"`) {
		t.Error("the error summary is missing or cannot take the focus")
	}
}
