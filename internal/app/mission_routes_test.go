package app_test

// missionRoutePolicies declares who may use each route of this capability
// (see routePolicies).
var missionRoutePolicies = map[string]string{
	"GET /besoins/{id}/propositions":    "signed-in",
	"POST /besoins/{id}/propositions":   "staff",
	"POST /besoins/{id}/autres-experts": "requester",
	"GET /propositions/{id}":            "signed-in",
	"POST /propositions/{id}/reponse":   "expert",
	"POST /propositions/{id}/choix":     "requester",
	"GET /missions":                     "signed-in",
	"GET /missions/{id}":                "signed-in",
	"POST /missions/{id}/statut":        "staff-or-expert",
	"POST /missions/{id}/employeur":     "staff",
	"POST /missions/{id}/jours":         "expert",
	"POST /missions/{id}/livrables":     "staff-or-expert",
	"GET /livrables/{id}":               "signed-in",
	"POST /missions/{id}/jalons":        "staff-or-expert",
	"POST /missions/{id}/jalons/fait":   "staff-or-expert",
	"POST /missions/{id}/rapport":       "expert",
	"POST /missions/{id}/besoins":       "staff",
	"POST /missions/{id}/avis":          "requester",
	"POST /missions/{id}/points":        "expert",
	"POST /missions/{id}/passation":     "expert",
	"GET /accord-employeur/{token}":     "public",
	"POST /accord-employeur/{token}":    "public",
	"POST /tableau-de-bord/courriels":   "signed-in",
	"GET /tableau-de-bord/export":       "staff",
	"GET /admin/tarifs-reference":       "admin",
	"POST /admin/tarifs-reference":      "admin",
}
