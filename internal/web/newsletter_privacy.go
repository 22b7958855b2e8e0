package web

import (
	"encoding/json"
	"net/http"

	"vivier/internal/httpkit"
)

// newsletterData downloads what is held about the subscriber of a
// preferences link (GDPR right of access), without an account: the link
// their emails carry is the proof the address is theirs.
func (s *Server) newsletterData(w http.ResponseWriter, r *http.Request) {
	data, err := s.deps.Newsletter.DataOf(r.Context(), r.PathValue("token"), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="vivier-mes-lettres.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(data)
}

// eraseNewsletterData erases the subscriber of a preferences link (GDPR
// right to erasure); their page no longer exists afterwards.
func (s *Server) eraseNewsletterData(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Newsletter.EraseOf(r.Context(), r.PathValue("token"), httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/lettres?ok=lettre-effacee")
}
