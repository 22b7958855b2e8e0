package app_test

// securityRoutePolicies declares who may use each route added by the
// security hardening: the confirmation of a need sent through the public
// form, by the link emailed to its address.
var securityRoutePolicies = map[string]string{
	"GET /confirmer-besoin/{token}":  "public",
	"POST /confirmer-besoin/{token}": "public",
}
