package web

import (
	"net/http"
	"strings"

	"vivier/internal/valid"
)

// Form is a submitted form as a page shows it again: the values the user
// typed and the message beside each field in error. Templates read
// .Value "name", .Error "name" and .Errors for the summary at the top.
type Form struct {
	Values map[string]string
	Errors valid.Errors
}

// formOf returns the submitted values of the named fields, trimmed of
// surrounding spaces (never passwords: those are not shown again).
func formOf(r *http.Request, names ...string) *Form {
	f := &Form{Values: map[string]string{}}
	for _, n := range names {
		f.Values[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	return f
}

// Value returns what the user typed in field.
func (f *Form) Value(field string) string {
	if f == nil {
		return ""
	}
	return f.Values[field]
}

// Error returns the message for field, or "".
func (f *Form) Error(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors.For(field)
}

// Fail records err on the form: its field messages when it holds
// validation errors (true), nothing otherwise (false: the caller treats it
// as an internal error).
func (f *Form) Fail(err error) bool {
	list, ok := valid.As(err)
	if !ok {
		return false
	}
	f.Errors = append(f.Errors, list...)
	return true
}

// Add records a message for field.
func (f *Form) Add(field, message string) { f.Errors.Add(field, "%s", message) }

// Failed reports whether the form has errors.
func (f *Form) Failed() bool { return f != nil && len(f.Errors) > 0 }

// answerForm ends the POST of form f by the error of its action: the page
// shown again by showAgain with the form's errors (422), another refusal
// by its code (s.fail), or on success the redirect to done.
func (s *Server) answerForm(w http.ResponseWriter, r *http.Request, f *Form, err error,
	showAgain func(w http.ResponseWriter, r *http.Request, status int, f *Form), done string) {
	switch {
	case err == nil:
		redirect(w, r, done)
	case f.Fail(err):
		showAgain(w, r, http.StatusUnprocessableEntity, f)
	default:
		s.fail(w, r, err)
	}
}
