package web

import "vivier/internal/httpkit"

// newsletterRoutes registers the newsletters' pages: the public
// subscription, confirmation, preferences and unsubscribe pages, the open
// pixel and click redirects, a signed-in person's own lists, and staff's
// lists, campaigns and figures.
func (s *Server) newsletterRoutes() {
	r := s.router
	// Anyone, without an account: the token in the link is the proof.
	r.HandleFunc("GET /lettres", httpkit.Public, s.newsletterForm)
	r.HandleFunc("POST /lettres", httpkit.Public, s.subscribe)
	r.HandleFunc("GET /lettres/confirmation/{token}", httpkit.Public, s.confirmForm)
	r.HandleFunc("POST /lettres/confirmation/{token}", httpkit.Public, s.confirm)
	r.HandleFunc("GET /lettres/preferences/{token}", httpkit.Public, s.preferencesPage)
	r.HandleFunc("POST /lettres/preferences/{token}", httpkit.Public, s.savePreferences)
	r.HandleFunc("POST /lettres/preferences/{token}/tout", httpkit.Public, s.unsubscribeAll)
	r.HandleFunc("GET /lettres/preferences/{token}/donnees", httpkit.Public, s.newsletterData)
	r.HandleFunc("POST /lettres/preferences/{token}/effacement", httpkit.Public, s.eraseNewsletterData)
	r.HandleFunc("GET /lettres/desinscription/{token}", httpkit.Public, s.leavePage)
	// RFC 8058: mail clients post List-Unsubscribe=One-Click without any
	// cookie or form token.
	r.HandleFunc("POST /lettres/desinscription/{token}", httpkit.TokenLink, s.oneClick)
	r.HandleFunc("GET /lettres/o/{token}", httpkit.Public, s.openPixel)
	r.HandleFunc("GET /lettres/c/{token}/{link}", httpkit.Public, s.clickRedirect)

	// A signed-in person's own subscriptions.
	r.HandleFunc("GET /mes-lettres", httpkit.SignedIn, s.myLists)
	r.HandleFunc("POST /mes-lettres", httpkit.SignedIn, s.saveMyLists)

	// Staff: lists, campaigns, figures.
	r.HandleFunc("GET /admin/lettres", httpkit.Staff, s.adminLists)
	r.HandleFunc("POST /admin/lettres", httpkit.Staff, s.createList)
	r.HandleFunc("GET /admin/lettres/{id}", httpkit.Staff, s.adminList)
	r.Upload("POST /admin/lettres/{id}/import", httpkit.Staff, 21<<20, s.importSubscribers)
	r.HandleFunc("GET /admin/lettres/{id}/export.csv", httpkit.Staff, s.exportSubscribers)
	r.HandleFunc("GET /admin/campagnes", httpkit.Staff, s.campaigns)
	r.HandleFunc("GET /admin/campagnes/nouvelle", httpkit.Staff, s.newCampaign)
	r.HandleFunc("POST /admin/campagnes", httpkit.Staff, s.createCampaign)
	r.HandleFunc("GET /admin/campagnes/{id}", httpkit.Staff, s.campaignPage)
	r.HandleFunc("POST /admin/campagnes/{id}", httpkit.Staff, s.updateCampaign)
	r.HandleFunc("GET /admin/campagnes/{id}/apercu", httpkit.Staff, s.campaignPreview)
	r.HandleFunc("POST /admin/campagnes/{id}/essai", httpkit.Staff, s.testCampaign)
	r.HandleFunc("POST /admin/campagnes/{id}/envoi", httpkit.Staff, s.sendCampaign)
	r.HandleFunc("POST /admin/campagnes/{id}/pause", httpkit.Staff, s.campaignAction("pause"))
	r.HandleFunc("POST /admin/campagnes/{id}/reprise", httpkit.Staff, s.campaignAction("reprise"))
	r.HandleFunc("POST /admin/campagnes/{id}/annulation", httpkit.Staff, s.campaignAction("annulation"))
	r.HandleFunc("GET /admin/campagnes/{id}/chiffres", httpkit.Staff, s.campaignFigures)
	r.HandleFunc("GET /admin/campagnes/{id}/chiffres.csv", httpkit.Staff, s.campaignFiguresCSV)
	r.HandleFunc("GET /admin/lettres-chiffres", httpkit.Staff, s.periodFigures)
	r.HandleFunc("GET /admin/lettres-chiffres.csv", httpkit.Staff, s.periodFiguresCSV)
}
