package web

import (
	"encoding/json"
	"net/http"
)

// APIError is the body of every API error: {"error": {"code", "message",
// "field"}}, with a 4xx or 5xx status.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// WriteAPIError answers an API request with an error body.
func WriteAPIError(w http.ResponseWriter, status int, code, message, field string) {
	WriteJSON(w, status, map[string]APIError{"error": {Code: code, Message: message, Field: field}})
}
