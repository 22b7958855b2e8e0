package app_test

// poolRoutePolicies declares who may use each route of this capability
// (see routePolicies).
var poolRoutePolicies = map[string]string{}
