// Package httpkit is the HTTP toolkit that the web pages (package web) and
// the JSON API (package api) share, so that neither imports the other: the
// route table with a policy per route (Router, Policy), the visitor that
// authentication put in a request's context (Visitor), the CSRF check of
// state-changing requests, body limits, request ids, and the JSON response
// helpers with the one mapping of coded errors (access.Code) to API
// statuses.
package httpkit
