package web

import "vivier/internal/access"

// StaffRequester lets staff and requesters in: the needs API, where a
// requester sees only the needs of their own organisation (row rule in the
// handlers).
var StaffRequester = Policy{Name: "staff-or-requester", Roles: []access.Role{access.Admin, access.Coordinator, access.Requester}}

// poolRoutes registers the pages of experts, needs, the public need form, imports and exports.
func (s *Server) poolRoutes() {
	r := s.router
	// The public need form and its commune picker.
	r.HandleFunc("GET /besoins/nouveau", Public, s.needForm)
	r.HandleFunc("POST /besoins/nouveau", Public, s.submitNeed)
	r.HandleFunc("GET /communes/recherche", Public, s.searchCommunes)

	// Coordinators: the pool.
	r.HandleFunc("GET /experts", Staff, s.listExperts)
	r.HandleFunc("GET /experts/{id}", StaffExpert, s.showExpert) // an expert: their own only
	r.HandleFunc("GET /experts/{id}/cv", StaffExpert, s.downloadCV)
	r.HandleFunc("POST /experts/{id}/statut", Staff, s.setExpertStatus)
	r.HandleFunc("GET /experts/{id}/modifier", Staff, s.editExpertForm)
	r.HandleFunc("POST /experts/{id}/modifier", Staff, s.editExpert)

	// Coordinators: the needs.
	r.HandleFunc("GET /besoins", Staff, s.listNeeds)
	r.HandleFunc("GET /besoins/{id}", Staff, s.showNeed)
	r.HandleFunc("POST /besoins/{id}/statut", Staff, s.setNeedStatus)

	// Coordinators: the skill taxonomy.
	r.HandleFunc("GET /competences", Staff, s.skillsPage)
	r.HandleFunc("POST /competences", Staff, s.addSkill)
	r.HandleFunc("POST /competences/{code}", Staff, s.renameSkill)

	// Coordinators: files.
	r.HandleFunc("GET /import", Staff, s.importPage)
	r.Upload("POST /import/experts", Staff, MaxUploadSize, s.previewExperts)
	r.HandleFunc("POST /import/experts/{token}", Staff, s.confirmExperts)
	r.Upload("POST /import/besoins", Staff, MaxUploadSize, s.previewNeeds)
	r.HandleFunc("POST /import/besoins/{token}", Staff, s.confirmNeeds)
	r.HandleFunc("GET /export/experts", Staff, s.exportExperts)

	// Experts: their own profile.
	r.HandleFunc("GET /mon-profil", ExpertOnly, s.myProfile)
	r.HandleFunc("POST /mon-profil", ExpertOnly, s.saveMyProfile)
	r.HandleFunc("POST /mon-profil/competences", ExpertOnly, s.saveMySkills)
	r.HandleFunc("POST /mon-profil/zones", ExpertOnly, s.saveMyZones)
	r.HandleFunc("POST /mon-profil/disponibilites", ExpertOnly, s.addMyPeriod)
	r.HandleFunc("POST /mon-profil/disponibilites/supprimer", ExpertOnly, s.removeMyPeriod)
	r.Upload("POST /mon-profil/cv", ExpertOnly, CVUploadLimit, s.uploadMyCV)
}
