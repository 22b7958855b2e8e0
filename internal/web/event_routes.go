package web

import "vivier/internal/httpkit"

// eventRoutes registers the pages of events: the public list and page with
// the registration form (no account), the registrant's own page, and the
// staff's management, door check-in, attendance import and figures.
func (s *Server) eventRoutes() {
	r := s.router
	r.HandleFunc("GET /evenements", httpkit.Public, s.listEvents)
	r.HandleFunc("GET /evenements/{id}", httpkit.Public, s.eventPage)
	r.HandleFunc("POST /evenements/{id}/inscription", httpkit.Public, s.registerToEvent)
	r.HandleFunc("GET /inscriptions/{token}", httpkit.Public, s.registrationPage)
	r.HandleFunc("POST /inscriptions/{token}/annuler", httpkit.Public, s.cancelOwnRegistration)
	r.HandleFunc("GET /inscriptions/{token}/invitation.ics", httpkit.Public, s.registrationICS)

	r.HandleFunc("GET /admin/evenements", httpkit.Staff, s.adminEvents)
	r.HandleFunc("POST /admin/evenements", httpkit.Staff, s.createEvent)
	r.HandleFunc("GET /admin/evenements/chiffres", httpkit.Staff, s.eventFigures)
	r.HandleFunc("GET /admin/evenements/chiffres.csv", httpkit.Staff, s.eventFiguresCSV)
	r.HandleFunc("GET /admin/evenements/{id}", httpkit.Staff, s.adminEvent)
	r.HandleFunc("POST /admin/evenements/{id}", httpkit.Staff, s.updateEvent)
	r.Upload("POST /admin/evenements/{id}/presences", httpkit.Staff, 6<<20, s.importAttendance)
	r.HandleFunc("POST /admin/evenements/{id}/contreparties/{cid}", httpkit.Staff, s.deliverCounterpart)
	r.HandleFunc("POST /admin/inscriptions/{id}/presence", httpkit.Staff, s.checkIn)
	r.HandleFunc("POST /admin/inscriptions/{id}/annuler", httpkit.Staff, s.staffCancelRegistration)
}
