package app_test

// missionRoutePolicies declares who may use each route of this capability
// (see routePolicies).
var missionRoutePolicies = map[string]string{}
