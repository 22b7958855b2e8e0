package access

import (
	"errors"
	"fmt"

	"vivier/internal/store"
	"vivier/internal/valid"
)

// Code classifies what went wrong with a request, independently of the
// surface that answers it: httpkit.StatusOf maps a code to a status, for
// the API and the pages alike.
type Code string

// The codes services return.
const (
	NotFound    Code = "not_found"   // no such record, or one the actor may not see
	Forbidden   Code = "forbidden"   // the actor sees the record but may not do this
	Conflict    Code = "conflict"    // the record's state forbids it now (answered already, taken…)
	Invalid     Code = "invalid"     // the input is wrong: valid.Errors say where
	Unavailable Code = "unavailable" // the database is busy or down: try again
	TooMany     Code = "too_many"    // the actor did this too often: wait before trying again
	InternalErr Code = "internal"    // anything else: a bug or an outage, logged
)

// Error is a coded refusal with a French message a user can act on.
type Error struct {
	Code    Code
	Message string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error of code with a formatted message.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Deny is the refusal of an action the actor may not do on a record they see.
func Deny(message string) error { return &Error{Code: Forbidden, Message: message} }

// CodeOf returns the code of err: an *Error's own, NotFound for
// store.ErrNotFound, Unavailable for a database that cannot answer now
// (store.IsUnavailable), Invalid for validation errors, InternalErr for
// anything else, "" for nil.
func CodeOf(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, store.ErrNotFound):
		return NotFound
	case store.IsUnavailable(err):
		return Unavailable
	}
	if _, ok := valid.As(err); ok {
		return Invalid
	}
	return InternalErr
}

// MessageOf returns the French message of a coded error, or fallback when
// err carries none a user should read (internal errors keep their causes to
// the logs).
func MessageOf(err error, fallback string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if list, ok := valid.As(err); ok && len(list) > 0 {
		return list[0].Message
	}
	return fallback
}
