package web

import (
	"net/http"
)

// Page is what every page template receives: the layout's needs plus the
// page's own data.
type Page struct {
	Title   string // the <title>, before " · Vivier"
	Demo    bool   // show the demo banner
	Version string
	Data    any // the page's own data
}

func (s *Server) page(title string, data any) Page {
	return Page{Title: title, Demo: s.deps.Demo, Version: s.deps.Version, Data: data}
}

// render writes a page, logging a template failure once and showing the user
// a plain message.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) {
	if err := s.pages.Render(w, status, name, p); err != nil {
		s.deps.Logger.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Une erreur interne est survenue. Merci de réessayer plus tard.", http.StatusInternalServerError)
	}
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", s.page("Accueil", nil))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "not_found", s.page("Page introuvable", nil))
}
