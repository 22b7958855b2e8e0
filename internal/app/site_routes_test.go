package app_test

// siteRoutePolicies declares who may open the pages every footer links to
// (see routePolicies).
var siteRoutePolicies = map[string]string{
	"GET /mentions-legales":     "public",
	"GET /accessibilite":        "public",
	"GET /donnees-personnelles": "public",
	"GET /plan-du-site":         "public",
}
