package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/network"
	"vivier/internal/valid"
)

// The administrator's page of the network's settings: the fee schedule of
// a year, band by band, and the grace period and payment term.

// scheduleRows is how many band lines the form offers beyond the stored
// ones.
const scheduleRows = 3

// bandFields are the inputs of one band line, in order.
var bandFields = []string{"basis", "from", "to", "fixed", "base", "rate", "floor", "cap"}

// schedulePage is the data of the schedule's form.
type schedulePage struct {
	Year     int
	Years    []int
	Copied   int // the year the bands were copied from, 0 when none
	Lines    []bandLine
	Bases    []option
	Form     *Form
	Settings *Form
	Grace    string // « Les adhérents de l’an dernier gardent l’accès … jusqu’au 31 mars 2027 »
}

// bandLine is one line of the form: the names of its inputs.
type bandLine struct {
	Index  int
	Basis  string      // the basis' input name ("b2_basis")
	Inputs []bandInput // the numbers' inputs
}

// bandInput is one number of a band line.
type bandInput struct {
	Name  string // "b2_to"
	Label string // for screen readers: « À (exclu), ligne 3 »
}

// bandLabels are the column titles of the band lines' numbers.
var bandLabels = map[string]string{"from": "De", "to": "À (exclu)", "fixed": "Montant fixe", "base": "Base", "rate": "Taux",
	"floor": "Plancher", "cap": "Plafond"}

func (s *Server) scheduleYear(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("annee")); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	if y, err := strconv.Atoi(r.PostFormValue("year")); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	today := date.Today()
	if today.Month >= time.October {
		return today.Year + 1
	}
	return today.Year
}

func (s *Server) scheduleForm(w http.ResponseWriter, r *http.Request) {
	year := s.scheduleYear(r)
	f := &Form{Values: map[string]string{}}
	actor := httpkit.ActorOf(r)
	sch, err := s.deps.Network.Schedule(r.Context(), year, actor)
	copied := 0
	if isNotFoundErr(err) {
		if prev, perr := s.deps.Network.Schedule(r.Context(), year-1, actor); perr == nil {
			sch, copied, err = prev, year-1, nil
		} else if isNotFoundErr(perr) {
			err = nil
		} else {
			err = perr
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i, b := range sch.Bands {
		v := map[string]string{"basis": string(b.Basis), "from": itoa64(b.From), "base": itoa64(b.Base), "rate": rateText(b), "floor": itoa64(b.Floor), "cap": itoa64(b.Cap)}
		if b.To != 0 {
			v["to"] = itoa64(b.To)
		}
		if b.Fixed != nil {
			v["fixed"], v["base"], v["rate"], v["floor"], v["cap"] = itoa64(*b.Fixed), "", "", "", ""
		}
		for k, val := range v {
			if val == "0" && k != "from" {
				val = ""
			}
			f.Values[fmt.Sprintf("b%d_%s", i, k)] = val
		}
	}
	s.showSchedule(w, r, http.StatusOK, year, copied, len(sch.Bands), f, nil)
}

func (s *Server) showSchedule(w http.ResponseWriter, r *http.Request, status, year, copied, bands int, f, settings *Form) {
	actor := httpkit.ActorOf(r)
	years, err := s.deps.Network.ScheduleYears(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.deps.Network.Settings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if settings == nil {
		settings = &Form{Values: map[string]string{"grace_days": strconv.Itoa(st.GraceDays), "term_days": strconv.Itoa(st.TermDays)}}
	}
	d := schedulePage{Year: year, Years: years, Copied: copied, Form: f, Settings: settings,
		Grace: fmt.Sprintf("Les adhérents de l’an dernier gardent l’accès à l’espace des adhérents ces premiers jours de l’année (en %d : jusqu’au %s).", year, fr.Date(st.GraceEnd(year)))}
	for _, b := range network.BasisKinds() {
		d.Bases = append(d.Bases, option{Value: string(b), Label: b.Label()})
	}
	for i := 0; i < bands+scheduleRows; i++ {
		l := bandLine{Index: i, Basis: fmt.Sprintf("b%d_basis", i)}
		for _, name := range bandFields[1:] {
			l.Inputs = append(l.Inputs, bandInput{Name: fmt.Sprintf("b%d_%s", i, name), Label: fmt.Sprintf("%s, ligne %d", bandLabels[name], i+1)})
		}
		d.Lines = append(d.Lines, l)
	}
	s.render(w, r, status, "network_schedule", s.page(r, fmt.Sprintf("Barème des cotisations %d", year), d))
}

func (s *Server) saveSchedule(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	year := s.scheduleYear(r)
	f := &Form{Values: map[string]string{}}
	sch := network.Schedule{Year: year}
	lines := 0
	for i := 0; i < 200; i++ {
		prefix := fmt.Sprintf("b%d_", i)
		if _, ok := r.PostForm[prefix+"from"]; !ok {
			break
		}
		lines = i + 1
		empty := true
		for _, name := range bandFields[1:] {
			v := strings.TrimSpace(r.PostFormValue(prefix + name))
			f.Values[prefix+name] = v
			empty = empty && v == ""
		}
		f.Values[prefix+"basis"] = r.PostFormValue(prefix + "basis")
		if empty {
			continue
		}
		b := network.Band{Basis: network.BasisKind(f.Values[prefix+"basis"])}
		num := func(name string, into *int64) {
			v := strings.Map(dropGrouping, f.Values[prefix+name])
			if v == "" {
				return
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				f.Add(prefix+name, "écrivez un nombre entier, sans unité")
			}
			*into = n
		}
		num("from", &b.From)
		num("to", &b.To)
		num("base", &b.Base)
		num("floor", &b.Floor)
		num("cap", &b.Cap)
		if v := f.Values[prefix+"fixed"]; v != "" {
			var fixed int64
			num("fixed", &fixed)
			b.Fixed = &fixed
		}
		if v := f.Values[prefix+"rate"]; v != "" {
			ppm, ok := parseRate(v, b.Basis)
			if !ok {
				f.Add(prefix+"rate", "écrivez le taux avec une virgule : 0,1 (% du budget) ou 0,05 (€ par habitant)")
			}
			b.RatePPM = ppm
		}
		sch.Bands = append(sch.Bands, b)
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showSchedule(w, r, status, year, 0, max(lines-scheduleRows, 0), f, nil)
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err := s.deps.Network.SaveSchedule(r.Context(), sch, httpkit.ActorOf(r))
	s.answerForm(w, r, f, renumberBands(err, f, lines), again, fmt.Sprintf("/admin/cotisations?annee=%d&ok=schedule", year))
}

// renumberBands maps the service's band indexes (among the lines filled in)
// back to the form's lines, blank lines skipped.
func renumberBands(err error, f *Form, lines int) error {
	if err == nil {
		return nil
	}
	var filled []int
	for i := 0; i < lines; i++ {
		blank := true
		for _, name := range bandFields[1:] {
			blank = blank && f.Values[fmt.Sprintf("b%d_%s", i, name)] == ""
		}
		if !blank {
			filled = append(filled, i)
		}
	}
	names := map[string]string{}
	for k, i := range filled {
		for _, name := range bandFields {
			names[fmt.Sprintf("b%d_%s", k, name)] = fmt.Sprintf("b%d_%s", i, name)
		}
	}
	return renameFields(err, names)
}

func (s *Server) saveNetworkSettings(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "grace_days", "term_days", "year")
	year := s.scheduleYear(r)
	st := network.DefaultSettings
	var perr error
	if st.GraceDays, perr = strconv.Atoi(f.Value("grace_days")); perr != nil {
		f.Add("grace_days", "écrivez un nombre de jours")
		st.GraceDays = network.DefaultSettings.GraceDays
	}
	if st.TermDays, perr = strconv.Atoi(f.Value("term_days")); perr != nil {
		f.Add("term_days", "écrivez un nombre de jours")
		st.TermDays = network.DefaultSettings.TermDays
	}
	// Every error at once: the numbers read are checked with the others.
	if list, ok := valid.As(st.Validate()); ok {
		for _, fe := range list {
			if !f.Errors.Has(fe.Field) {
				f.Errors = append(f.Errors, fe)
			}
		}
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showSchedule(w, r, status, year, 0, 0, &Form{Values: map[string]string{}}, f)
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err := s.deps.Network.SaveSettings(r.Context(), st, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, fmt.Sprintf("/admin/cotisations?annee=%d&ok=network-settings", year))
}

// parseRate reads a rate typed in the unit of its basis: a percentage of
// the budget (« 0,1 ») or euros per inhabitant (« 0,05 »), into millionths
// of a euro per unit, exactly (no floating point).
func parseRate(s string, basis network.BasisKind) (int64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "%"), "€"))
	s = strings.ReplaceAll(s, ",", ".")
	whole, frac, _ := strings.Cut(s, ".")
	places := 6 // euros per inhabitant → millionths
	if basis != network.Population {
		places = 4 // percent → millionths: 1 % = 10 000 ppm
	}
	if whole == "" && frac == "" || len(frac) > places || strings.Trim(whole+frac, "0123456789") != "" || len(whole) > 7 {
		return 0, false
	}
	frac += strings.Repeat("0", places-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil
}

// rateText writes a band's rate in the form's unit.
func rateText(b network.Band) string {
	if b.RatePPM == 0 {
		return ""
	}
	return strings.TrimSuffix(strings.TrimSuffix(b.Basis.Rate(b.RatePPM), "\u00a0%"), "\u00a0€")
}

func dropGrouping(r rune) rune {
	if r == ' ' || r == '\u00a0' || r == '\u202f' {
		return -1
	}
	return r
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
