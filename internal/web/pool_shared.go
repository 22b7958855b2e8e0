package web

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/skill"
)

// Shared pieces of the pool's pages: the skill taxonomy by domain and its
// picker, and the parsing of query and form values (the geography's names
// and pickers are in places.go).

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
	Pages int  // the last page, or the last known to hold rows when More
	More  bool // rows may follow this page beyond Pages (the count stopped)
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
	if p.Page >= p.Pages && !p.More {
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

// poolFuncs are the template functions of the pool's pages; those that
// name places read the server's reference.
func poolFuncs(pl *places) template.FuncMap {
	return template.FuncMap{
		"communeName": pl.communeLabel,
		"zoneName":    pl.zoneLabel,
		"rate":        rate,
		"years":       years,
		// lv writes a skill level as a number, "3".
		"lv": func(l skill.Level) string { return strconv.Itoa(int(l)) },
	}
}

// rate writes an optional daily rate: "650 €", or "—".
func rate(n *int) string {
	if n == nil {
		return "—"
	}
	return fr.Euros(int64(*n))
}

// years writes an optional number of years: "12 ans", or "—".
func years(n *int) string {
	if n == nil {
		return "—"
	}
	return fr.Plural(*n, "an", "ans")
}
