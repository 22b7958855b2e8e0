package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/valid"
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

// StatusOf is the HTTP status of a coded error: the one mapping of codes to
// statuses, for the API (Fail) and the pages (web's fail, which adds a
// French page saying why).
func StatusOf(code access.Code) int {
	switch code {
	case access.NotFound:
		return http.StatusNotFound
	case access.Forbidden:
		return http.StatusForbidden
	case access.Conflict:
		return http.StatusConflict
	case access.Invalid:
		return http.StatusUnprocessableEntity
	case access.Unavailable:
		return http.StatusServiceUnavailable
	case access.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// internalMessage is what a client reads of an internal error; the cause
// goes to the log with the request id.
const internalMessage = "erreur interne : réessayez plus tard"

// unavailableMessage is what a client reads when the database cannot answer
// now: nothing was written, the same request may be sent again.
const unavailableMessage = "Vivier est momentanément indisponible : rien n’a été enregistré, réessayez dans quelques secondes"

// Fail answers an API request with err: its code's status and message, the
// first invalid field named. A 5xx is logged once, with the request id and
// the cause, which the client never sees.
func Fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := access.CodeOf(err)
	status := StatusOf(code)
	if status >= 500 {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r), "err", err)
		msg := access.MessageOf(err, internalMessage)
		if code == access.Unavailable {
			w.Header().Set("Retry-After", "5")
			msg = access.MessageOf(err, unavailableMessage)
		}
		WriteAPIError(w, status, string(code), msg, "")
		return
	}
	field := ""
	if list, ok := valid.As(err); ok && len(list) > 0 {
		field = list[0].Field
	}
	WriteAPIError(w, status, string(code), access.MessageOf(err, "aucune ressource à cette adresse"), field)
}

// Decode reads a JSON body strictly into v: unknown fields and trailing data
// after the value are refused. A malformed body answers 400, a value of the
// wrong type or an unknown field 422 naming the field, a body over the
// route's limit 413, a string holding a NUL or invalid UTF-8 422 naming
// its field (valid.CheckJSON); false when it answered.
func Decode(w http.ResponseWriter, r *http.Request, v any) bool {
	raw, err := io.ReadAll(r.Body)
	if err == nil {
		if bad := valid.CheckJSON(raw); bad != nil {
			list, _ := valid.As(bad)
			WriteAPIError(w, http.StatusUnprocessableEntity, "invalid", list[0].Message, list[0].Field)
			return false
		}
		err = decodeStrict(bytes.NewReader(raw), v)
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var tooBig *http.MaxBytesError
	var unknown unknownFieldError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooBig):
		WriteAPIError(w, http.StatusRequestEntityTooLarge, "too_large", "le corps de la requête dépasse la taille permise", "")
	case errors.As(err, &typeErr):
		WriteAPIError(w, http.StatusUnprocessableEntity, "invalid", "type de valeur inattendu : "+typeErr.Value+" au lieu de "+typeErr.Type.String(), typeErr.Field)
	case errors.As(err, &unknown):
		WriteAPIError(w, http.StatusUnprocessableEntity, "invalid", "champ inconnu", string(unknown))
	case errors.As(err, &syntaxErr):
		WriteAPIError(w, http.StatusBadRequest, "malformed", fmt.Sprintf("JSON mal formé à l’octet %s : %v", fr.Int(syntaxErr.Offset), err), "")
	default:
		WriteAPIError(w, http.StatusBadRequest, "malformed", "JSON mal formé : "+err.Error(), "")
	}
	return false
}

// unknownFieldError names a field of the body that the endpoint does not know.
type unknownFieldError string

func (e unknownFieldError) Error() string { return "champ inconnu : " + string(e) }

// decodeStrict decodes one JSON value from r into v and makes sure nothing
// but white space follows it.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return unknownFieldError(strings.Trim(field, `"`))
		}
		if errors.Is(err, io.EOF) {
			return errors.New("corps vide : un objet JSON est attendu")
		}
		return err
	}
	rest, err := io.ReadAll(dec.Buffered())
	if err == nil {
		var more []byte
		more, err = io.ReadAll(r)
		rest = append(rest, more...)
	}
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return errors.New("données en trop après l’objet JSON")
	}
	return nil
}

// PathID reads the positive integer {name} of the route's pattern; ok false
// when it is missing or malformed (the caller answers « not found »).
func PathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}
