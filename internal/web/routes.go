package web

// routes is the table of every web page and operational endpoint. Reading it
// tells what the web application exposes and who may use each route; the
// API adds its own table (package api) on the same Router.
func (s *Server) routes() {
	r := s.router
	r.Handle("GET /static/", Public, staticHandler())
	r.HandleFunc("GET /healthz", Public, s.healthz)
	r.HandleFunc("GET /readyz", Public, s.readyz)
	r.Handle("GET /metrics", Public, s.metricsHandler())

	r.HandleFunc("GET /{$}", Public, s.home)
	r.HandleFunc("GET /", Public, s.notFound)

	// Logging in and out.
	r.HandleFunc("GET /connexion", Public, s.loginForm)
	r.HandleFunc("POST /connexion", Public, s.login)
	r.HandleFunc("POST /connexion/lien", Public, s.requestMagicLink)
	r.HandleFunc("GET /connexion/lien/{token}", Public, s.magicLinkPage)
	r.HandleFunc("POST /connexion/lien/{token}", Public, s.magicLinkLogin)
	r.HandleFunc("GET /connexion/oidc", Public, s.oidcBegin)
	r.HandleFunc("GET /connexion/oidc/retour", Public, s.oidcCallback)
	r.HandleFunc("GET /connexion/code", SecondStep, s.secondFactorForm)
	r.HandleFunc("POST /connexion/code", SecondStep, s.secondFactor)
	r.HandleFunc("GET /connexion/code/qr.png", SecondStep, s.secondFactorQR)
	r.HandleFunc("POST /deconnexion", SecondStep, s.logout)
	r.HandleFunc("GET /mot-de-passe/oublie", Public, s.forgotForm)
	r.HandleFunc("POST /mot-de-passe/oublie", Public, s.forgot)
	r.HandleFunc("GET /mot-de-passe/nouveau/{token}", Public, s.passwordLinkForm("reset"))
	r.HandleFunc("POST /mot-de-passe/nouveau/{token}", Public, s.passwordLink("reset"))
	r.HandleFunc("GET /invitation/{token}", Public, s.passwordLinkForm("invitation"))
	r.HandleFunc("POST /invitation/{token}", Public, s.passwordLink("invitation"))

	// One's own account.
	r.HandleFunc("GET /tableau-de-bord", SignedIn, s.dashboard)
	r.HandleFunc("GET /compte", SignedIn, s.accountSettings)
	r.HandleFunc("POST /compte/mot-de-passe", SignedIn, s.changePassword)
	r.HandleFunc("POST /compte/jetons", SignedIn, s.createToken)
	r.HandleFunc("POST /compte/jetons/{id}/revoquer", SignedIn, s.revokeToken)
	r.HandleFunc("POST /compte/deconnexion-partout", SignedIn, s.logoutEverywhere)
	r.HandleFunc("POST /compte/consentements/{purpose}/retirer", SignedIn, s.withdrawConsent)
	r.HandleFunc("GET /compte/mes-donnees.json", SignedIn, s.exportData)

	// Staff: accounts, audit log, outbox.
	r.HandleFunc("GET /admin/utilisateurs", Staff, s.listUsers)
	r.HandleFunc("POST /admin/utilisateurs", Staff, s.inviteUser)
	r.HandleFunc("POST /admin/utilisateurs/{id}/suspendre", Staff, s.suspendUser())
	r.HandleFunc("POST /admin/utilisateurs/{id}/reactiver", Staff, s.reactivateUser())
	r.HandleFunc("POST /admin/utilisateurs/{id}/invitation", Staff, s.resendInvitation())
	r.HandleFunc("POST /admin/utilisateurs/{id}/effacer", Staff, s.eraseUser())
	r.HandleFunc("POST /admin/utilisateurs/{id}/double-authentification", AdminOnly, s.resetUserMFA())
	r.HandleFunc("GET /admin/journal", Staff, s.auditLog)
	r.HandleFunc("GET /admin/courriels", AdminOnly, s.outbox)

	s.poolRoutes()    // experts and needs: pool_routes.go
	s.matchRoutes()   // ranking, explanations, pooling: match_routes.go
	s.missionRoutes() // proposals, missions, dashboards: mission_routes.go
}
