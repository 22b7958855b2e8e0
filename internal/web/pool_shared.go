package web

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/httpkit"
	"vivier/internal/skill"
)

// Shared pieces of the pool's pages: the skill taxonomy by domain, the
// geography pickers, and the parsing of query and form values.

// domainSkills is one domain of the taxonomy with its skills, as the forms
// group them.
type domainSkills struct {
	Domain skill.Domain
	Skills []skill.Skill
}

// skillGroups loads the taxonomy grouped by domain, in display order.
func (s *Server) skillGroups(r *http.Request) ([]domainSkills, *skill.Catalog, error) {
	cat, err := s.deps.Skills.Catalog(r.Context())
	if err != nil {
		return nil, nil, err
	}
	out := make([]domainSkills, 0, len(skill.Domains))
	for _, d := range skill.Domains {
		out = append(out, domainSkills{Domain: d, Skills: cat.InDomain(d.Code)})
	}
	return out, cat, nil
}

// regionDeps is a region with its départements, for the zone pickers.
type regionDeps struct {
	Region       geo.Region
	Departements []geo.Departement
}

// regionGroups lists the regions by name, each with its départements. The
// reference never changes while the program runs: the list is built once
// (callers must not modify it).
var regionGroups = sync.OnceValue(func() []regionDeps {
	ref := geo.Default()
	byRegion := map[string][]geo.Departement{}
	for _, d := range ref.Departements() {
		byRegion[d.RegionCode] = append(byRegion[d.RegionCode], d)
	}
	var out []regionDeps
	for _, reg := range ref.Regions() {
		out = append(out, regionDeps{Region: reg, Departements: byRegion[reg.Code]})
	}
	return out
})

// zoneLabel names a zone for people: "Rhône (69)", "Auvergne-Rhône-Alpes",
// "Toute la France".
func zoneLabel(z string) string {
	ref := geo.Default()
	switch {
	case z == "national":
		return "Toute la France"
	case strings.HasPrefix(z, "dep:"):
		if d, ok := ref.Departement(z[4:]); ok {
			return d.Name + " (" + d.Code + ")"
		}
	case strings.HasPrefix(z, "reg:"):
		if r, ok := ref.Region(z[4:]); ok {
			return "Région " + r.Name
		}
	}
	return z
}

// communeLabel names a commune by its INSEE code: "Lyon (69)".
func communeLabel(code string) string {
	if code == "" {
		return ""
	}
	c, ok := geo.Default().Commune(code)
	if !ok {
		return code
	}
	return c.Name + " (" + c.DepartementCode + ")"
}

// recordOf loads the record of the request's {id} through get, a service
// method that decides whether the visitor may see it. It answers — 404 for
// a bad id, a missing record or one the visitor may not see (so ids do not
// leak), 500 for a failure — and returns false then.
func recordOf[T any](s *Server, w http.ResponseWriter, r *http.Request, get func(context.Context, int64, access.Actor) (T, error)) (T, bool) {
	var zero T
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return zero, false
	}
	rec, err := get(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return zero, false
	}
	return rec, true
}

// parseDate reads a yyyy-mm-dd value; the zero Date for "".
func parseDate(s string) (date.Date, bool) {
	if s == "" {
		return date.Date{}, true
	}
	d, err := date.Parse(s)
	return d, err == nil
}

// atoiOr reads an integer, or def when empty or malformed.
func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// pageLink builds the query of another page of a filtered list.
type pageLink struct {
	Query string
	Page  int
	Pages int
}

// Prev is the query of the previous page, "" on the first.
func (p pageLink) Prev() string {
	if p.Page <= 1 {
		return ""
	}
	return p.with(p.Page - 1)
}

// Next is the query of the next page, "" on the last.
func (p pageLink) Next() string {
	if p.Page >= p.Pages {
		return ""
	}
	return p.with(p.Page + 1)
}

func (p pageLink) with(n int) string {
	q := p.Query
	if q != "" {
		q += "&"
	}
	return "?" + q + "page=" + strconv.Itoa(n)
}

func itoa(n int) string { return strconv.Itoa(n) }

// poolFuncs are the template functions of the pool's pages.
func poolFuncs() template.FuncMap {
	return template.FuncMap{
		"skillName":    skillLabel,
		"communeName":  communeLabel,
		"zoneName":     zoneLabel,
		"zoneOptions":  zoneOptions,
		"depOptions":   depOptions,
		"skillOptions": skillOptions,
		// rate writes an optional daily rate: "650 €", or "—".
		"rate": func(n *int) string {
			if n == nil {
				return "—"
			}
			return fr.Euros(int64(*n))
		},
		// years writes an optional number of years: "12 ans", or "—".
		"years": func(n *int) string {
			if n == nil {
				return "—"
			}
			return fr.Plural(*n, "an", "ans")
		},
		// lv writes a skill level as a number, "3".
		"lv": func(l skill.Level) string { return strconv.Itoa(int(l)) },
	}
}

// The long <option> lists of the filter forms are written in Go rather than
// by template actions: on the 20-row list page they were most of the
// rendering time. The geography never changes while the process runs, so
// its lists are built once per selected value.

var zoneOptionsCache, depOptionsCache sync.Map

// zoneOptions writes the <option>s of the zone filter: the whole of France,
// then each region and its départements, selected marked.
func zoneOptions(selected string) template.HTML {
	if v, ok := zoneOptionsCache.Load(selected); ok {
		return v.(template.HTML)
	}
	var b strings.Builder
	option(&b, "national", "Toute la France", selected)
	for _, g := range regionGroups() {
		b.WriteString(`<optgroup label="` + html.EscapeString(g.Region.Name) + `">`)
		option(&b, "reg:"+g.Region.Code, "Toute la région "+g.Region.Name, selected)
		for _, d := range g.Departements {
			option(&b, "dep:"+d.Code, d.Name+" ("+d.Code+")", selected)
		}
		b.WriteString(`</optgroup>`)
	}
	out := template.HTML(b.String())
	if _, err := geo.Default().ParseZone(selected); err == nil || selected == "" {
		zoneOptionsCache.Store(selected, out)
	}
	return out
}

// depOptions writes the <option>s of the département filter.
func depOptions(selected string) template.HTML {
	if v, ok := depOptionsCache.Load(selected); ok {
		return v.(template.HTML)
	}
	var b strings.Builder
	for _, d := range geo.Default().Departements() {
		option(&b, d.Code, d.Code+" — "+d.Name, selected)
	}
	out := template.HTML(b.String())
	if _, ok := geo.Default().Departement(selected); ok || selected == "" {
		depOptionsCache.Store(selected, out)
	}
	return out
}

// skillOptions writes the <option>s of a skill filter, grouped by domain.
func skillOptions(groups []domainSkills, selected string) template.HTML {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(`<optgroup label="` + html.EscapeString(g.Domain.Label) + `">`)
		for _, k := range g.Skills {
			option(&b, k.Code, k.Label, selected)
		}
		b.WriteString(`</optgroup>`)
	}
	return template.HTML(b.String())
}

func option(b *strings.Builder, value, label, selected string) {
	b.WriteString(`<option value="` + html.EscapeString(value) + `"`)
	if value == selected {
		b.WriteString(` selected`)
	}
	b.WriteString(`>` + html.EscapeString(label) + `</option>`)
}
