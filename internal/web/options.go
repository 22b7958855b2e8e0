package web

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"sync"

	"vivier/internal/expert"
	"vivier/internal/skill"
)

// The filters' <select>s. Their choices are built in Go as plain strings
// ({Value, Label, Selected}) and written by the "optgroups" template
// (templates/options.html), which escapes them.

// option is one <option> of a <select>, its strings ready to show.
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

// pickers are the filters' lists of choices, each written once per
// selected value and then reused (see renderedOptions).
type pickers struct {
	zones, departements     *renderedOptions // from the geography reference
	levels, statuses, sorts *renderedOptions // from the code
	skills                  *skillPicker     // from the taxonomy, which coordinators edit
}

// newPickers builds the pickers, those of the geography from pl; tmpl
// holds the "optgroups" template. Each list is written once here, so that
// a template that cannot write them stops the start.
func newPickers(tmpl *template.Template, pl *places) (*pickers, error) {
	levels := optionGroup{}
	for _, l := range skill.Levels() {
		n := strconv.Itoa(int(l))
		levels.Options = append(levels.Options, option{Value: n, Label: n + " — " + l.Label()})
	}
	statuses := optionGroup{}
	for _, st := range expert.Statuses() {
		statuses.Options = append(statuses.Options, option{Value: string(st), Label: st.Label()})
	}
	sorts := optionGroup{Options: []option{{Value: "name", Label: "Nom"}, {Value: "updated", Label: "Dernière mise à jour"},
		{Value: "rate", Label: "TJM croissant"}, {Value: "experience", Label: "Expérience"}}}
	p := &pickers{
		zones:        newRenderedOptions(tmpl, pl.zoneChoices()),
		departements: newRenderedOptions(tmpl, pl.departementChoices()),
		levels:       newRenderedOptions(tmpl, []optionGroup{levels}),
		statuses:     newRenderedOptions(tmpl, []optionGroup{statuses}),
		sorts:        newRenderedOptions(tmpl, []optionGroup{sorts}),
		skills:       &skillPicker{tmpl: tmpl},
	}
	for _, r := range []*renderedOptions{p.zones, p.departements, p.levels, p.statuses, p.sorts} {
		if _, err := r.HTML(""); err != nil {
			return nil, fmt.Errorf("write the filters' options: %w", err)
		}
	}
	return p, nil
}

// renderedOptions is a list of choices that does not change while the
// process runs, written by the "optgroups" template once per selected
// value and then reused. html/template pays a reflective call for each
// value it escapes: written on every request, the zone and département
// filters alone (250 options) took half of the expert list's rendering.
type renderedOptions struct {
	tmpl   *template.Template // holds "optgroups"
	groups []optionGroup      // none selected; shared, never written
	values map[string]bool    // the values of the options
	mu     sync.RWMutex
	html   map[string]template.HTML // by selected value, "" for none
}

// newRenderedOptions prepares the list groups, written by the "optgroups"
// template of tmpl.
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
	// for the context it is put back in (the content of a <select>).
	// Keeping that output is what the cache is for.
	h = template.HTML(buf.String())
	r.mu.Lock()
	r.html[selected] = h
	r.mu.Unlock()
	return h, nil
}

// skillPicker writes the skill filters' options like renderedOptions, for
// the taxonomy they were written from: each request brings the catalog it
// loaded, and a catalog whose choices differ (a skill added or renamed,
// here or by another server on the same database) replaces the written
// lists.
type skillPicker struct {
	tmpl    *template.Template
	mu      sync.Mutex
	choices []optionGroup // of the catalog last seen
	lists   *renderedOptions
}

// HTML returns the <option>s of groups with selected marked.
func (p *skillPicker) HTML(groups []domainSkills, selected string) (template.HTML, error) {
	choices := skillChoices(groups)
	p.mu.Lock()
	if p.lists == nil || !slices.EqualFunc(p.choices, choices, func(a, b optionGroup) bool {
		return a.Label == b.Label && slices.Equal(a.Options, b.Options)
	}) {
		p.choices, p.lists = choices, newRenderedOptions(p.tmpl, choices)
	}
	lists := p.lists
	p.mu.Unlock()
	return lists.HTML(selected)
}

// skillChoices are the choices of a skill filter, grouped by domain.
func skillChoices(groups []domainSkills) []optionGroup {
	out := make([]optionGroup, len(groups))
	for i, g := range groups {
		out[i] = optionGroup{Label: g.Domain.Label, Options: make([]option, len(g.Skills))}
		for j, k := range g.Skills {
			out[i].Options[j] = option{Value: k.Code, Label: k.Label}
		}
	}
	return out
}

// selectGroup returns groups with the option of value marked selected.
// groups are shared by every request and never written: when value is
// among them, the group holding it is copied; otherwise groups itself.
func selectGroup(groups []optionGroup, value string) []optionGroup {
	for i, g := range groups {
		if j := slices.IndexFunc(g.Options, func(o option) bool { return o.Value == value }); j >= 0 {
			out := slices.Clone(groups)
			out[i].Options = slices.Clone(g.Options)
			out[i].Options[j].Selected = true
			return out
		}
	}
	return groups
}

// firstError keeps the first error of a series of calls, so that a page
// can fill several fields and check once.
type firstError struct{ err error }

func (f *firstError) keep(h template.HTML, err error) template.HTML {
	if f.err == nil {
		f.err = err
	}
	return h
}
