package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"vivier/internal/httpkit"
)

// siteRoutes registers the pages every footer links to: the legal notice,
// the accessibility statement, the personal data notice and the site map.
func (s *Server) siteRoutes() {
	r := s.router
	r.HandleFunc("GET /mentions-legales", httpkit.Public, s.staticPage("site_legal", "Mentions légales"))
	r.HandleFunc("GET /accessibilite", httpkit.Public, s.staticPage("site_accessibility", "Accessibilité"))
	r.HandleFunc("GET /donnees-personnelles", httpkit.Public, s.staticPage("site_privacy", "Données personnelles"))
	r.HandleFunc("GET /plan-du-site", httpkit.Public, s.siteMap)
}

// staticPage answers a page whose text is all in its template.
func (s *Server) staticPage(name, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, name, s.page(r, title, nil))
	}
}

// siteMapSection is one group of the site map: the pages under one first
// path segment.
type siteMapSection struct {
	Title string
	Links []siteMapLink
}

type siteMapLink struct {
	Path, Label string
}

// siteMap lists the pages the visitor may open, read from the router's
// own table, so that a page added later appears without editing a list:
// every GET route with no wildcard that the visitor's role may reach,
// except what is not a page (files, feeds, probes, the API).
func (s *Server) siteMap(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "site_map", s.page(r, "Plan du site", SiteMap(s.router.Routes(), httpkit.VisitorOf(r))))
}

// SiteMap groups the pages of routes that visitor may open, in sections by
// their first path segment, each section and its links in a stable order.
func SiteMap(routes []httpkit.Route, visitor httpkit.Visitor) []siteMapSection {
	bySection := map[string]*siteMapSection{}
	for _, rt := range routes {
		path, ok := sitePage(rt, visitor)
		if !ok {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		key := cmp.Or(siteSections[first], "Vivier")
		sec := bySection[key]
		if sec == nil {
			sec = &siteMapSection{Title: key}
			bySection[key] = sec
		}
		sec.Links = append(sec.Links, siteMapLink{Path: path, Label: PageLabel(path)})
	}
	out := make([]siteMapSection, 0, len(bySection))
	for _, sec := range bySection {
		slices.SortFunc(sec.Links, func(a, b siteMapLink) int { return cmp.Compare(a.Path, b.Path) })
		out = append(out, *sec)
	}
	slices.SortFunc(out, func(a, b siteMapSection) int {
		return cmp.Or(cmp.Compare(sectionRank(a.Title), sectionRank(b.Title)), cmp.Compare(a.Title, b.Title))
	})
	return out
}

// sectionRank puts the general pages first and administration last.
func sectionRank(title string) int {
	switch title {
	case "Vivier":
		return 0
	case "Administration":
		return 2
	}
	return 1
}

// sitePage says whether rt is a page visitor may open, and its path.
func sitePage(rt httpkit.Route, visitor httpkit.Visitor) (string, bool) {
	method, path, _ := strings.Cut(rt.Pattern, " ")
	// "/" alone is the catch-all (answering « not found »), "/{$}" the home.
	if method != http.MethodGet || strings.HasSuffix(path, "/") {
		return "", false
	}
	path = strings.TrimSuffix(path, "{$}")
	if strings.Contains(path, "{") || strings.HasPrefix(path, "/api/") ||
		strings.Contains(path[strings.LastIndex(path, "/"):], ".") || notPages[path] {
		return "", false
	}
	p := rt.Policy
	switch {
	case p.Pending:
		return "", false
	case !visitor.SignedIn():
		return path, p.Public
	case p.Public && anonymousOnly[path]:
		return "", false
	}
	return path, p.Allows(visitor.User.Role)
}

// notPages are the GET routes without wildcard that answer something else
// than a page to read: probes, searches answered in JSON, the OIDC
// redirections, downloads without an extension, and the page shown after
// a public need is sent (it answers that one submission).
var notPages = map[string]bool{
	"/healthz": true, "/readyz": true, "/communes/recherche": true,
	"/connexion/oidc": true, "/connexion/oidc/retour": true, "/export/experts": true,
	"/tableau-de-bord/export": true, "/besoins/envoye": true,
}

// anonymousOnly are the public pages a signed-in visitor has no use for.
var anonymousOnly = map[string]bool{"/connexion": true, "/mot-de-passe/oublie": true}

// siteSections names the sections of the site map by first path segment.
var siteSections = map[string]string{
	"admin": "Administration", "competences": "Administration", "import": "Administration", "classements": "Administration",
	"besoins": "Besoins et missions", "experts": "Besoins et missions", "missions": "Besoins et missions", "mon-profil": "Besoins et missions",
	"evenements": "Événements et formations", "formations": "Événements et formations",
	"reseau":  "Le réseau",
	"lettres": "Communication", "mes-lettres": "Communication", "publications": "Communication", "presse": "Communication",
	"representation": "Communication", "audiences": "Communication", "rapport": "Communication",
}

// PageLabel is the name of a page in the site map and the navigation; a
// page with no label here is listed under its address (a test asks for
// one).
func PageLabel(path string) string {
	if l, ok := pageLabels[path]; ok {
		return l
	}
	return path
}

var pageLabels = map[string]string{
	"/":                          "Accueil",
	"/connexion":                 "Se connecter",
	"/mot-de-passe/oublie":       "Mot de passe oublié",
	"/tableau-de-bord":           "Tableau de bord",
	"/compte":                    "Mon compte",
	"/mentions-legales":          "Mentions légales",
	"/accessibilite":             "Accessibilité",
	"/donnees-personnelles":      "Données personnelles",
	"/plan-du-site":              "Plan du site",
	"/besoins":                   "Besoins",
	"/besoins/nouveau":           "Déposer un besoin",
	"/experts":                   "Experts",
	"/missions":                  "Missions",
	"/mon-profil":                "Mon profil d’expert",
	"/classements":               "Journal des classements",
	"/competences":               "Compétences",
	"/import":                    "Importer des experts",
	"/evenements":                "Événements",
	"/formations":                "Formations",
	"/reseau":                    "Le réseau des agences",
	"/reseau/adherents":          "Annuaire des adhérents",
	"/reseau/adherents/nouveau":  "Nouvel adhérent",
	"/reseau/partenaires":        "Partenaires",
	"/reseau/engagement":         "Engagement des adhérents",
	"/reseau/mon-adhesion":       "Mon adhésion",
	"/lettres":                   "Lettres d’information",
	"/mes-lettres":               "Mes lettres d’information",
	"/publications":              "Publications",
	"/publications/nouvelle":     "Nouvelle publication",
	"/presse":                    "Presse",
	"/representation":            "Représentation",
	"/representation/nouvelle":   "Nouvel acte de représentation",
	"/audiences":                 "Audiences",
	"/rapport":                   "Rapports d’activité",
	"/admin/utilisateurs":        "Utilisateurs",
	"/admin/journal":             "Journal d’audit",
	"/admin/courriels":           "Courriels envoyés",
	"/admin/ponderation":         "Pondération du classement",
	"/admin/tarifs-reference":    "Tarifs de référence",
	"/admin/cotisations":         "Barème des cotisations",
	"/admin/evenements":          "Gérer les événements",
	"/admin/evenements/chiffres": "Chiffres des événements",
	"/admin/formations":          "Gérer les formations",
	"/admin/campagnes":           "Campagnes de lettres",
	"/admin/campagnes/nouvelle":  "Nouvelle campagne",
	"/admin/lettres":             "Listes de diffusion",
	"/admin/lettres-chiffres":    "Chiffres des lettres",
}
