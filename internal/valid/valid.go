// Package valid carries validation errors from domain packages to the
// surfaces that show them: a web form puts each message beside its field,
// the API answers {"error": {"field": …}}, a file import names the line and
// the column. Domain code returns Errors; it never knows which surface asked.
package valid

import (
	"errors"
	"fmt"
	"strings"
)

// FieldError is one invalid value: the field it belongs to, named as in the
// API ("last_name", "skills", "availability"), and a French message a user
// can act on.
type FieldError struct {
	Field   string
	Message string
}

// Error returns "field: message".
func (e FieldError) Error() string { return e.Field + " : " + e.Message }

// Errors is the list of every invalid value of one input, so the user sees
// them all at once rather than one per attempt.
type Errors []FieldError

// Add records a message for field.
func (e *Errors) Add(field, format string, args ...any) {
	*e = append(*e, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns the list as an error, or nil when it is empty.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Error joins the messages on one line.
func (e Errors) Error() string {
	parts := make([]string, len(e))
	for i, fe := range e {
		parts[i] = fe.Error()
	}
	return strings.Join(parts, " ; ")
}

// For returns the first message for field, or "".
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Has reports whether field has a message.
func (e Errors) Has(field string) bool { return e.For(field) != "" }

// As returns the validation errors inside err, if it holds any.
func As(err error) (Errors, bool) {
	var list Errors
	if errors.As(err, &list) {
		return list, true
	}
	var one FieldError
	if errors.As(err, &one) {
		return Errors{one}, true
	}
	return nil, false
}
