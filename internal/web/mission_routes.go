package web

// missionRoutes registers the pages of proposals, missions, reviews and the dashboards.
func (s *Server) missionRoutes() {
	r := s.router
	// Proposals: POST /besoins/{id}/propositions is the shortlist's contract
	// (repeated "expert" ids, "message"); "references" proposes without it.
	r.HandleFunc("GET /besoins/{id}/propositions", SignedIn, s.needProposalsPage)
	r.HandleFunc("POST /besoins/{id}/propositions", Staff, s.propose)
	r.HandleFunc("POST /besoins/{id}/autres-experts", Requesters, s.askOthers)
	r.HandleFunc("GET /propositions/{id}", SignedIn, s.proposalPage)
	r.HandleFunc("POST /propositions/{id}/reponse", ExpertOnly, s.answerProposal)
	r.HandleFunc("POST /propositions/{id}/choix", Requesters, s.chooseProposal)

	// Missions.
	r.HandleFunc("GET /missions", SignedIn, s.listMissions)
	r.HandleFunc("GET /missions/{id}", SignedIn, s.missionPage)
	r.HandleFunc("POST /missions/{id}/statut", StaffExpert, s.moveMission())
	r.HandleFunc("POST /missions/{id}/employeur", Staff, s.askEmployer())
	r.HandleFunc("POST /missions/{id}/calendrier", Staff, s.planMission())
	r.HandleFunc("POST /missions/{id}/besoins", Staff, s.poolNeed())
	r.HandleFunc("POST /missions/{id}/jours", ExpertOnly, s.logDay())
	r.Upload("POST /missions/{id}/livrables", StaffExpert, 21<<20, s.uploadFile)
	r.HandleFunc("GET /livrables/{id}", SignedIn, s.downloadFile)
	r.HandleFunc("POST /missions/{id}/jalons", StaffExpert, s.addMilestone())
	r.HandleFunc("POST /missions/{id}/jalons/fait", StaffExpert, s.completeMilestone())
	r.HandleFunc("POST /missions/{id}/rapport", ExpertOnly, s.saveReport())
	r.HandleFunc("POST /missions/{id}/avis", Requesters, s.review())
	r.HandleFunc("POST /missions/{id}/points", ExpertOnly, s.addCheckIn())
	r.HandleFunc("POST /missions/{id}/passation", ExpertOnly, s.saveHandover())
	r.HandleFunc("GET /accord-employeur/{token}", Public, s.employerForm)
	r.HandleFunc("POST /accord-employeur/{token}", Public, s.employerAnswer)

	// Dashboards and reference rates.
	r.HandleFunc("GET /tableau-de-bord/export", Staff, s.dashboardExport)
	r.HandleFunc("POST /tableau-de-bord/courriels", SignedIn, s.saveMailPreference)
	r.HandleFunc("GET /admin/tarifs-reference", AdminOnly, s.ratesForm)
	r.HandleFunc("POST /admin/tarifs-reference", AdminOnly, s.saveRates)
}
