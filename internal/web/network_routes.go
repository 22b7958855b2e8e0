package web

import "vivier/internal/httpkit"

// networkRoutes registers the pages of the network: the public directory,
// members and their entries, memberships and fees, partners, engagement,
// and the administrator's fee schedule.
func (s *Server) networkRoutes() {
	r := s.router
	r.HandleFunc("GET /reseau", httpkit.Public, s.publicDirectory)
	r.HandleFunc("GET /reseau/adherents/{id}/logo", httpkit.Public, s.memberLogo) // the service decides who sees it

	// Members: the members' directory and entries (the service shows a
	// member's staff their own fees, another member's contacts only).
	r.HandleFunc("GET /reseau/adherents", httpkit.StaffMember, s.membersDirectory)
	r.HandleFunc("GET /reseau/adherents/nouveau", httpkit.Staff, s.joinForm)
	r.HandleFunc("POST /reseau/adherents", httpkit.Staff, s.join)
	r.HandleFunc("GET /reseau/adherents/{id}", httpkit.StaffMember, s.memberPage)
	r.HandleFunc("GET /reseau/adherents/{id}/modifier", httpkit.StaffMember, s.editMemberForm)
	r.HandleFunc("POST /reseau/adherents/{id}/modifier", httpkit.StaffMember, s.editMember)
	r.Upload("POST /reseau/adherents/{id}/logo", httpkit.StaffMember, LogoUploadLimit, s.uploadLogo)
	r.HandleFunc("POST /reseau/adherents/{id}/equipe", httpkit.StaffMember, s.inviteStaff)
	r.HandleFunc("POST /reseau/adherents/{id}/referents", httpkit.StaffMember, s.setReferent)
	r.Upload("POST /reseau/import-adherents", httpkit.Staff, MembersUploadLimit, s.previewMembers)
	r.HandleFunc("POST /reseau/import-adherents/{token}", httpkit.Staff, s.confirmMembers)
	r.HandleFunc("GET /reseau/mon-adhesion", httpkit.MemberOnly, s.myMembership)

	// Memberships and fees.
	r.HandleFunc("GET /reseau/cotisations/{annee}", httpkit.Staff, s.feesPage)
	r.HandleFunc("POST /reseau/cotisations/{annee}/renouvellement", httpkit.Staff, s.renew)
	r.HandleFunc("POST /reseau/cotisations/{annee}/relances", httpkit.Staff, s.remind)
	r.HandleFunc("GET /reseau/cotisations/{annee}/export", httpkit.Staff, s.exportMemberships)
	r.HandleFunc("GET /reseau/adhesions/{id}", httpkit.StaffMember, s.membershipPage)
	r.HandleFunc("GET /reseau/adhesions/{id}/appel.pdf", httpkit.StaffMember, s.callPDF)
	r.HandleFunc("POST /reseau/adhesions/{id}/paiement", httpkit.Staff, s.membershipAction("paid"))
	r.HandleFunc("POST /reseau/adhesions/{id}/montant", httpkit.Staff, s.membershipAction("fee"))
	r.HandleFunc("POST /reseau/adhesions/{id}/demission", httpkit.Staff, s.membershipAction("resigned"))

	// Partners and their counterparts.
	r.HandleFunc("GET /reseau/partenaires", httpkit.Staff, s.partnersPage)
	r.HandleFunc("POST /reseau/partenaires", httpkit.Staff, s.createPartner)
	r.HandleFunc("GET /reseau/partenaires/{id}", httpkit.Staff, s.partnerPage)
	r.HandleFunc("POST /reseau/partenaires/{id}/conventions", httpkit.Staff, s.addAgreement)
	r.Upload("POST /reseau/conventions/{id}/pdf", httpkit.Staff, AgreementUploadLimit, s.uploadAgreement)
	r.HandleFunc("GET /reseau/conventions/{id}/pdf", httpkit.Staff, s.agreementPDF)
	r.HandleFunc("POST /reseau/conventions/{id}/contreparties", httpkit.Staff, s.addCounterpart)
	r.HandleFunc("POST /reseau/contreparties/{id}", httpkit.Staff, s.updateCounterpart)

	// Engagement.
	r.HandleFunc("GET /reseau/engagement", httpkit.Staff, s.engagementPage)
	r.HandleFunc("GET /reseau/engagement/{id}", httpkit.StaffMember, s.memberEngagementPage)

	// The administrator's fee schedule and settings.
	r.HandleFunc("GET /admin/cotisations", httpkit.AdminOnly, s.scheduleForm)
	r.HandleFunc("POST /admin/cotisations", httpkit.AdminOnly, s.saveSchedule)
	r.HandleFunc("POST /admin/cotisations/reglages", httpkit.AdminOnly, s.saveNetworkSettings)
}
