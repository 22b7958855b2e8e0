package web

import "vivier/internal/httpkit"

// uploadLimit bounds the body of the uploads of this part: a 20 MB file
// and the form around it.
const uploadLimit = 21 << 20

// reportRoutes registers the pages of the federation's representation and
// its yearly report: the publications' library, press mentions, hearings
// and their delegations, audiences, and the activity report.
func (s *Server) reportRoutes() {
	r := s.router
	// Publications: a public library; members-only items are « not found »
	// to others (the service decides).
	r.HandleFunc("GET /publications", httpkit.Public, s.listPublications)
	r.HandleFunc("GET /publications/nouvelle", httpkit.Staff, s.newPublication)
	r.Upload("POST /publications", httpkit.Staff, uploadLimit, s.createPublication)
	r.HandleFunc("GET /publications/{id}", httpkit.Public, s.showPublication)
	r.HandleFunc("GET /publications/{id}/modifier", httpkit.Staff, s.editPublication)
	r.Upload("POST /publications/{id}", httpkit.Staff, uploadLimit, s.updatePublication)
	r.HandleFunc("GET /publications/{id}/telecharger", httpkit.Public, s.downloadPublication)

	// Press mentions.
	r.HandleFunc("GET /presse", httpkit.Staff, s.pressPage)
	r.HandleFunc("POST /presse", httpkit.Staff, s.createMention)
	r.Upload("POST /presse/import", httpkit.Staff, uploadLimit, s.importPress)
	r.HandleFunc("GET /presse/{id}", httpkit.Staff, s.editMention)
	r.HandleFunc("POST /presse/{id}", httpkit.Staff, s.updateMention)

	// Representation: hearings, meetings, notes, delegations.
	r.HandleFunc("GET /representation", httpkit.Staff, s.representationPage)
	r.HandleFunc("GET /representation/nouvelle", httpkit.Staff, s.newAct)
	r.HandleFunc("POST /representation", httpkit.Staff, s.createAct)
	r.HandleFunc("GET /representation/{id}", httpkit.Staff, s.showAct)
	r.HandleFunc("GET /representation/{id}/modifier", httpkit.Staff, s.editAct)
	r.HandleFunc("POST /representation/{id}", httpkit.Staff, s.updateAct)
	r.HandleFunc("GET /representation/{id}/delegation", httpkit.Staff, s.delegationHelper)
	r.HandleFunc("POST /representation/{id}/delegation", httpkit.Staff, s.chooseDelegation)
	r.HandleFunc("POST /representation/{id}/agences", httpkit.Staff, s.addAgency)
	r.HandleFunc("POST /representation/{id}/agences/{org}/retirer", httpkit.Staff, s.removeAgency)
	r.HandleFunc("POST /representation/{id}/participants", httpkit.Staff, s.addPerson)
	r.HandleFunc("POST /representation/{id}/participants/{person}/retirer", httpkit.Staff, s.removePerson)
	r.Upload("POST /representation/{id}/documents", httpkit.Staff, uploadLimit, s.uploadActDocument)
	r.HandleFunc("GET /representation/{id}/documents/{doc}", httpkit.Staff, s.downloadActDocument)

	// Audiences.
	r.HandleFunc("GET /audiences", httpkit.Staff, s.audiencesPage)
	r.HandleFunc("POST /audiences/comptes", httpkit.Staff, s.createAccount)
	r.HandleFunc("POST /audiences/releves", httpkit.Staff, s.addCount)
	r.Upload("POST /audiences/import", httpkit.Staff, uploadLimit, s.importCounts)
	r.HandleFunc("GET /audiences/{id}", httpkit.Staff, s.accountPage)

	// The activity report: public once published, staff's draft before.
	r.HandleFunc("GET /rapport", httpkit.Public, s.reportIndex)
	r.HandleFunc("GET /rapport/{annee}", httpkit.Public, s.reportPage)
	r.HandleFunc("GET /rapport/{annee}/rapport.pdf", httpkit.Public, s.reportPDF)
	r.HandleFunc("GET /rapport/{annee}/indicateurs/{cle}", httpkit.Public, s.reportRecords)
	r.HandleFunc("POST /rapport/{annee}/publier", httpkit.Staff, s.publishReport)
	r.HandleFunc("POST /rapport/{annee}/republier", httpkit.Staff, s.republishReport)
}
