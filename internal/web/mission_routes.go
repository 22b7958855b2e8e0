package web

import "vivier/internal/httpkit"

// missionRoutes registers the pages of proposals, missions, reviews and the dashboards.
func (s *Server) missionRoutes() {
	r := s.router
	// Proposals: POST /besoins/{id}/propositions is the shortlist's contract
	// (repeated "expert" ids, "message"); "references" proposes without it.
	r.HandleFunc("GET /besoins/{id}/propositions", httpkit.SignedIn, s.needProposalsPage)
	r.HandleFunc("POST /besoins/{id}/propositions", httpkit.Staff, s.propose)
	r.HandleFunc("POST /besoins/{id}/autres-experts", httpkit.Requesters, s.askOthers)
	r.HandleFunc("GET /propositions/{id}", httpkit.SignedIn, s.proposalPage)
	r.HandleFunc("POST /propositions/{id}/reponse", httpkit.ExpertOnly, s.answerProposal)
	r.HandleFunc("POST /propositions/{id}/choix", httpkit.Requesters, s.chooseProposal)

	// Missions.
	r.HandleFunc("GET /missions", httpkit.SignedIn, s.listMissions)
	r.HandleFunc("GET /missions/{id}", httpkit.SignedIn, s.missionPage)
	r.HandleFunc("POST /missions/{id}/statut", httpkit.StaffExpert, s.moveMission())
	r.HandleFunc("POST /missions/{id}/employeur", httpkit.Staff, s.askEmployer())
	r.HandleFunc("POST /missions/{id}/calendrier", httpkit.Staff, s.planMission())
	r.HandleFunc("POST /missions/{id}/besoins", httpkit.Staff, s.poolNeed())
	r.HandleFunc("POST /missions/{id}/jours", httpkit.ExpertOnly, s.logDay())
	r.Upload("POST /missions/{id}/livrables", httpkit.StaffExpert, 21<<20, s.uploadFile)
	r.HandleFunc("GET /livrables/{id}", httpkit.SignedIn, s.downloadFile)
	r.HandleFunc("POST /missions/{id}/jalons", httpkit.StaffExpert, s.addMilestone())
	r.HandleFunc("POST /missions/{id}/jalons/fait", httpkit.StaffExpert, s.completeMilestone())
	r.HandleFunc("POST /missions/{id}/rapport", httpkit.ExpertOnly, s.saveReport())
	r.HandleFunc("POST /missions/{id}/avis", httpkit.Requesters, s.review())
	r.HandleFunc("POST /missions/{id}/points", httpkit.ExpertOnly, s.addCheckIn())
	r.HandleFunc("POST /missions/{id}/passation", httpkit.ExpertOnly, s.saveHandover())
	r.HandleFunc("GET /accord-employeur/{token}", httpkit.Public, s.employerForm)
	r.HandleFunc("POST /accord-employeur/{token}", httpkit.Public, s.employerAnswer)

	// Dashboards and reference rates.
	r.HandleFunc("GET /tableau-de-bord/export", httpkit.Staff, s.dashboardExport)
	r.HandleFunc("POST /tableau-de-bord/courriels", httpkit.SignedIn, s.saveMailPreference)
	r.HandleFunc("GET /admin/tarifs-reference", httpkit.AdminOnly, s.ratesForm)
	r.HandleFunc("POST /admin/tarifs-reference", httpkit.AdminOnly, s.saveRates)
}
