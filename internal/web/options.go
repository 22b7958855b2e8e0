package web

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
