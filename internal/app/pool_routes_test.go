package app_test

// poolRoutePolicies declares who may use each route of this capability
// (see routePolicies).
var poolRoutePolicies = map[string]string{
	"GET /besoins/nouveau":    "public",
	"POST /besoins/nouveau":   "public",
	"GET /communes/recherche": "public",
	"GET /besoins/envoye":     "public",

	"GET /experts":                "staff",
	"GET /experts/{id}":           "staff-or-expert",
	"GET /experts/{id}/cv":        "staff-or-expert",
	"POST /experts/{id}/statut":   "staff",
	"GET /experts/{id}/modifier":  "staff",
	"POST /experts/{id}/modifier": "staff",

	"GET /besoins":                 "staff-or-requester",
	"GET /besoins/{id}":            "staff",
	"POST /besoins/{id}/statut":    "staff",
	"GET /competences":             "staff",
	"POST /competences":            "staff",
	"POST /competences/{code}":     "staff",
	"GET /import":                  "staff",
	"POST /import/experts":         "staff",
	"POST /import/experts/{token}": "staff",
	"POST /import/besoins":         "staff",
	"POST /import/besoins/{token}": "staff",
	"GET /export/experts":          "staff",

	"GET /api/v1/experts":              "staff",
	"POST /api/v1/experts":             "staff",
	"GET /api/v1/experts/{id}":         "staff-or-expert",
	"PUT /api/v1/experts/{id}":         "staff-or-expert",
	"POST /api/v1/experts/{id}/status": "staff",
	"GET /api/v1/me/expert":            "expert",
	"GET /api/v1/needs":                "staff-or-requester",
	"POST /api/v1/needs":               "staff-or-requester",
	"GET /api/v1/needs/{id}":           "staff-or-requester",
	"PATCH /api/v1/needs/{id}":         "staff",

	"GET /mon-profil":                           "expert",
	"POST /mon-profil":                          "expert",
	"POST /mon-profil/competences":              "expert",
	"POST /mon-profil/zones":                    "expert",
	"POST /mon-profil/disponibilites":           "expert",
	"POST /mon-profil/disponibilites/supprimer": "expert",
	"POST /mon-profil/cv":                       "expert",
}
