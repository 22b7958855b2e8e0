package web

import "vivier/internal/httpkit"

// trainingRoutes registers the pages of trainings: the catalogue and the
// enrolment by member agencies, the trainee's own page (sign-in, survey,
// certificate), the room's QR code and the trainer's page, and the staff's
// management, sign-in sheets, certificates, indicators and MOOC counts.
func (s *Server) trainingRoutes() {
	r := s.router
	r.HandleFunc("GET /formations", httpkit.Public, s.listTrainings)
	r.HandleFunc("GET /formations/{id}", httpkit.Public, s.trainingPage)
	r.HandleFunc("POST /formations/sessions/{id}/inscription", httpkit.SignedIn, s.enrol)
	r.HandleFunc("POST /formations/inscriptions/{id}/annuler", httpkit.SignedIn, s.cancelEnrolment)

	r.HandleFunc("GET /emargement/{token}", httpkit.Public, s.traineePage)
	r.HandleFunc("POST /emargement/{token}", httpkit.Public, s.signByLink)
	r.HandleFunc("GET /emargement/{token}/avis", httpkit.Public, s.surveyForm)
	r.HandleFunc("POST /emargement/{token}/avis", httpkit.Public, s.answerSurvey)
	r.HandleFunc("GET /emargement/{token}/attestation.pdf", httpkit.Public, s.traineeCertificate)
	r.HandleFunc("GET /salle/{token}", httpkit.Public, s.roomPage)
	r.HandleFunc("POST /salle/{token}", httpkit.Public, s.signInRoom)
	r.HandleFunc("GET /formateur/{token}", httpkit.Public, s.trainerPage)
	r.HandleFunc("POST /formateur/{token}/demi-journees/{id}", httpkit.Public, s.countersign)
	r.HandleFunc("GET /formateur/{token}/demi-journees/{id}/qr.png", httpkit.Public, s.roomQR)

	r.HandleFunc("GET /admin/formations", httpkit.Staff, s.adminTrainings)
	r.HandleFunc("POST /admin/formations", httpkit.Staff, s.createTraining)
	r.HandleFunc("GET /admin/formations/{id}", httpkit.Staff, s.adminTraining)
	r.HandleFunc("POST /admin/formations/{id}/sessions", httpkit.Staff, s.addSession)
	r.HandleFunc("POST /admin/formations/{id}/mooc", httpkit.Staff, s.setMoocCount)
	r.Upload("POST /admin/formations/{id}/mooc/import", httpkit.Staff, 2<<20, s.importMoocCounts)
	r.HandleFunc("GET /admin/sessions/{id}", httpkit.Staff, s.adminSession)
	r.HandleFunc("GET /admin/sessions/{id}/emargement.pdf", httpkit.Staff, s.sheetPDF)
	r.HandleFunc("GET /admin/stagiaires/{id}/attestation.pdf", httpkit.Staff, s.staffCertificate)
}
