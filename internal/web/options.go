package web

import (
	"bytes"
	"html/template"
	"sync"
)

// option is one <option> of a <select>, its strings ready to show: the
// page templates write and escape them, with no logic of their own.
type option struct {
	Value, Label string
	Selected     bool
}

// optionGroup is an <optgroup> of options; one without a Label is written
// as bare options (the zone filter's « Toute la France » before the regions).
type optionGroup struct {
	Label   string
	Options []option
}

// selectOption returns opts with the option of value marked selected. opts
// is shared by every request and never written: when value is among them,
// the result is a copy; otherwise opts itself.
func selectOption(opts []option, value string) []option {
	i := optionIndex(opts, value)
	if i < 0 {
		return opts
	}
	out := make([]option, len(opts))
	copy(out, opts)
	out[i].Selected = true
	return out
}

// selectGroup is selectOption over groups: only the group holding value is
// copied.
func selectGroup(groups []optionGroup, value string) []optionGroup {
	for i, g := range groups {
		if optionIndex(g.Options, value) >= 0 {
			out := make([]optionGroup, len(groups))
			copy(out, groups)
			out[i].Options = selectOption(g.Options, value)
			return out
		}
	}
	return groups
}

func optionIndex(opts []option, value string) int {
	for i, o := range opts {
		if o.Value == value {
			return i
		}
	}
	return -1
}

// optionsOf makes the options of a list of values.
func optionsOf[T any](values []T, opt func(T) option) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = opt(v)
	}
	return out
}

// renderedOptions is a long list of choices that never changes while the
// process runs (the zone and département filters: over a hundred options
// each), written by the "optgroups" template once per selected value and
// then reused. html/template pays a reflective call per escaped value: the
// two lists, written on every request, cost more than the rest of the
// list page's rendering together.
type renderedOptions struct {
	tmpl   *template.Template // holds "optgroups"
	groups []optionGroup      // none selected; shared, never written
	values map[string]bool    // the values of the options
	mu     sync.RWMutex
	html   map[string]template.HTML // by selected value, "" for none
}

// newRenderedOptions prepares the list groups, written by the
// "optgroups" template of tmpl.
func newRenderedOptions(tmpl *template.Template, groups []optionGroup) *renderedOptions {
	r := &renderedOptions{tmpl: tmpl, groups: groups, values: map[string]bool{}, html: map[string]template.HTML{}}
	for _, g := range groups {
		for _, o := range g.Options {
			r.values[o.Value] = true
		}
	}
	return r
}

// HTML returns the <option>s with selected marked. A value that is not
// among them selects none and shares the unselected list, so the cache
// holds at most one entry per option, whatever the queries ask.
func (r *renderedOptions) HTML(selected string) (template.HTML, error) {
	if !r.values[selected] {
		selected = ""
	}
	r.mu.RLock()
	h, ok := r.html[selected]
	r.mu.RUnlock()
	if ok {
		return h, nil
	}
	var buf bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&buf, "optgroups", selectGroup(r.groups, selected)); err != nil {
		return "", err
	}
	// The one conversion to template.HTML in the package, and a safe one:
	// the text is html/template's own output, every value escaped by it,
	// for the same context it is put back in (the content of a <select>).
	// Keeping the output is what the cache is for.
	h = template.HTML(buf.String())
	r.mu.Lock()
	r.html[selected] = h
	r.mu.Unlock()
	return h, nil
}
