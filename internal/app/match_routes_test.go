package app_test

// matchRoutePolicies declares who may use each route of this capability
// (see routePolicies).
var matchRoutePolicies = map[string]string{
	"GET /api/v1/needs/{id}/matches":                  "staff",
	"GET /api/v1/needs/{id}/matches/{expert}/explain": "staff",
	"POST /besoins/{id}/mutualiser":                   "staff",
	"POST /besoins/{id}/dissocier":                    "staff",
	"GET /admin/ponderation":                          "admin",
	"POST /admin/ponderation":                         "admin",
	"GET /classements":                                "staff",
	"GET /experts/{id}/conflits":                      "staff",
	"POST /experts/{id}/conflits":                     "staff",
	"POST /experts/{id}/conflits/supprimer":           "staff",
}
