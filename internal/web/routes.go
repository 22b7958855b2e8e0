package web

import "vivier/internal/httpkit"

// routes is the table of every web page and operational endpoint. Reading it
// tells what the web application exposes and who may use each route; the
// API adds its own table (package api) on the same Router.
func (s *Server) routes() {
	r := s.router
	r.Handle("GET /static/", httpkit.Public, staticHandler())
	r.HandleFunc("GET /healthz", httpkit.Public, s.healthz)
	r.HandleFunc("GET /readyz", httpkit.Public, s.readyz)

	r.HandleFunc("GET /{$}", httpkit.Public, s.home)
	r.HandleFunc("GET /", httpkit.Public, s.notFound)

	// Logging in and out.
	r.HandleFunc("GET /connexion", httpkit.Public, s.loginForm)
	r.HandleFunc("POST /connexion", httpkit.Public, s.login)
	r.HandleFunc("POST /connexion/lien", httpkit.Public, s.requestMagicLink)
	r.HandleFunc("GET /connexion/lien/{token}", httpkit.Public, s.magicLinkPage)
	r.HandleFunc("POST /connexion/lien/{token}", httpkit.Public, s.magicLinkLogin)
	r.HandleFunc("GET /connexion/oidc", httpkit.Public, s.oidcBegin)
	r.HandleFunc("GET /connexion/oidc/retour", httpkit.Public, s.oidcCallback)
	r.HandleFunc("GET /connexion/code", httpkit.SecondStep, s.secondFactorForm)
	r.HandleFunc("POST /connexion/code", httpkit.SecondStep, s.secondFactor)
	r.HandleFunc("GET /connexion/code/qr.png", httpkit.SecondStep, s.secondFactorQR)
	r.HandleFunc("POST /deconnexion", httpkit.SecondStep, s.logout)
	r.HandleFunc("GET /mot-de-passe/oublie", httpkit.Public, s.forgotForm)
	r.HandleFunc("POST /mot-de-passe/oublie", httpkit.Public, s.forgot)
	r.HandleFunc("GET /mot-de-passe/nouveau/{token}", httpkit.Public, s.passwordLinkForm("reset"))
	r.HandleFunc("POST /mot-de-passe/nouveau/{token}", httpkit.Public, s.passwordLink("reset"))
	r.HandleFunc("GET /invitation/{token}", httpkit.Public, s.passwordLinkForm("invitation"))
	r.HandleFunc("POST /invitation/{token}", httpkit.Public, s.passwordLink("invitation"))

	// One's own account.
	r.HandleFunc("GET /tableau-de-bord", httpkit.SignedIn, s.dashboard)
	r.HandleFunc("GET /compte", httpkit.SignedIn, s.accountSettings)
	r.HandleFunc("POST /compte/mot-de-passe", httpkit.SignedIn, s.changePassword)
	r.HandleFunc("POST /compte/jetons", httpkit.SignedIn, s.createToken)
	r.HandleFunc("POST /compte/jetons/{id}/revoquer", httpkit.SignedIn, s.revokeToken)
	r.HandleFunc("POST /compte/deconnexion-partout", httpkit.SignedIn, s.logoutEverywhere)
	r.HandleFunc("POST /compte/consentements/{purpose}/retirer", httpkit.SignedIn, s.withdrawConsent)
	r.HandleFunc("GET /compte/mes-donnees.json", httpkit.SignedIn, s.exportData)

	// Staff: accounts, audit log, outbox.
	r.HandleFunc("GET /admin/utilisateurs", httpkit.Staff, s.listUsers)
	r.HandleFunc("POST /admin/utilisateurs", httpkit.Staff, s.inviteUser)
	r.HandleFunc("POST /admin/utilisateurs/{id}/suspendre", httpkit.Staff, s.suspendUser())
	r.HandleFunc("POST /admin/utilisateurs/{id}/reactiver", httpkit.Staff, s.reactivateUser())
	r.HandleFunc("POST /admin/utilisateurs/{id}/invitation", httpkit.Staff, s.resendInvitation())
	r.HandleFunc("POST /admin/utilisateurs/{id}/effacer", httpkit.Staff, s.eraseUser())
	r.HandleFunc("POST /admin/utilisateurs/{id}/double-authentification", httpkit.AdminOnly, s.resetUserMFA())
	r.HandleFunc("GET /admin/journal", httpkit.Staff, s.auditLog)
	r.HandleFunc("GET /admin/courriels", httpkit.AdminOnly, s.outbox)

	s.poolRoutes()       // experts and needs: pool_routes.go
	s.matchRoutes()      // ranking, explanations, pooling: match_routes.go
	s.missionRoutes()    // proposals, missions, dashboards: mission_routes.go
	s.eventRoutes()      // events and registrations: event_routes.go
	s.trainingRoutes()   // trainings, sign-in, certificates: training_routes.go
	s.networkRoutes()    // members, memberships, partners, engagement: network_routes.go
	s.newsletterRoutes() // lists, subscription, campaigns, tracking: newsletter_routes.go
	s.reportRoutes()     // publications, press, representation, audiences, the activity report: report_routes.go
	s.siteRoutes()       // legal notice, accessibility, personal data, site map: site_pages.go
}
