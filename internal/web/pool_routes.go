package web

import (
	"vivier/internal/httpkit"
)

// poolRoutes registers the pages of experts, needs, the public need form, imports and exports.
func (s *Server) poolRoutes() {
	r := s.router
	// The public need form and its commune picker.
	r.HandleFunc("GET /besoins/nouveau", httpkit.Public, s.needForm)
	r.HandleFunc("POST /besoins/nouveau", httpkit.Public, s.submitNeed)
	r.HandleFunc("GET /besoins/envoye", httpkit.Public, s.needSent)
	r.HandleFunc("GET /confirmer-besoin/{token}", httpkit.Public, s.needConfirmPage)
	r.HandleFunc("POST /confirmer-besoin/{token}", httpkit.Public, s.confirmNeed)
	r.HandleFunc("GET /communes/recherche", httpkit.Public, s.searchCommunes)

	// Coordinators: the pool.
	r.HandleFunc("GET /experts", httpkit.Staff, s.listExperts)
	r.HandleFunc("GET /experts/{id}", httpkit.StaffExpert, s.showExpert) // an expert: their own only
	r.HandleFunc("GET /experts/{id}/cv", httpkit.StaffExpert, s.downloadCV)
	r.HandleFunc("POST /experts/{id}/statut", httpkit.Staff, s.setExpertStatus)
	r.HandleFunc("GET /experts/{id}/modifier", httpkit.Staff, s.editExpertForm)
	r.HandleFunc("POST /experts/{id}/modifier", httpkit.Staff, s.editExpert)

	// Coordinators: the needs.
	r.HandleFunc("GET /besoins", httpkit.StaffRequester, s.listNeeds) // a requester: « Mes besoins »
	r.HandleFunc("GET /besoins/{id}", httpkit.Staff, s.showNeed)
	r.HandleFunc("POST /besoins/{id}/statut", httpkit.Staff, s.setNeedStatus)

	// Coordinators: the skill taxonomy.
	r.HandleFunc("GET /competences", httpkit.Staff, s.skillsPage)
	r.HandleFunc("POST /competences", httpkit.Staff, s.addSkill)
	r.HandleFunc("POST /competences/{code}", httpkit.Staff, s.renameSkill)

	// Coordinators: files.
	r.HandleFunc("GET /import", httpkit.Staff, s.importPage)
	r.Upload("POST /import/experts", httpkit.Staff, MaxUploadSize, s.previewExperts)
	r.HandleFunc("POST /import/experts/{token}", httpkit.Staff, s.confirmExperts)
	r.Upload("POST /import/besoins", httpkit.Staff, MaxUploadSize, s.previewNeeds)
	r.HandleFunc("POST /import/besoins/{token}", httpkit.Staff, s.confirmNeeds)
	r.HandleFunc("GET /export/experts", httpkit.Staff, s.exportExperts)

	// Experts: their own profile.
	r.HandleFunc("GET /mon-profil", httpkit.ExpertOnly, s.myProfile)
	r.HandleFunc("POST /mon-profil", httpkit.ExpertOnly, s.saveMyProfile)
	r.HandleFunc("POST /mon-profil/competences", httpkit.ExpertOnly, s.saveMySkills)
	r.HandleFunc("POST /mon-profil/zones", httpkit.ExpertOnly, s.saveMyZones)
	r.HandleFunc("POST /mon-profil/disponibilites", httpkit.ExpertOnly, s.addMyPeriod)
	r.HandleFunc("POST /mon-profil/disponibilites/supprimer", httpkit.ExpertOnly, s.removeMyPeriod)
	r.Upload("POST /mon-profil/cv", httpkit.ExpertOnly, CVUploadLimit, s.uploadMyCV)
}
