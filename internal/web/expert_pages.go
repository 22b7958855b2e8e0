package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vivier/internal/expert"
	"vivier/internal/httpkit"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// The coordinators' pages over the pool: the filtered list, an expert's
// page with its qualification, editing a profile, the CV.

type expertListPage struct {
	Query  url.Values // the filters as typed, to show them again
	Result expert.Page
	Rows   []expertRow
	Paging pageLink
	Form   *Form // filter errors
	// The filters' <option>s, the current one selected, written by the
	// "optgroups" template (see pickers).
	Skills, Levels, Zones, Departements, Statuses, Sorts template.HTML
}

// expertRow is one row of the list's table, each cell already written in
// French: the template only escapes and places them. Formatting here
// rather than through template functions keeps each of a page's 140 cells
// to a field read and its escaping, with no further reflective call.
type expertRow struct {
	ID                                                    int64
	Reference, Name, Status, Skills, Commune, Rate, Years string
}

// expertRows writes the rows of the list's table.
func (s *Server) expertRows(list []expert.Expert, cat *skill.Catalog) []expertRow {
	rows := make([]expertRow, len(list))
	var skills strings.Builder
	for i, e := range list {
		skills.Reset()
		for j, k := range e.Skills {
			if j > 0 {
				skills.WriteString(", ")
			}
			skills.WriteString(skillLabel(cat, k.Code) + " (" + strconv.Itoa(int(k.Level)) + ")")
		}
		rows[i] = expertRow{ID: e.ID, Reference: e.Reference, Name: e.Name(), Status: e.Status.Label(), Skills: skills.String(),
			Commune: s.places.communeLabel(e.Commune), Rate: rate(e.DailyRate), Years: years(e.ExperienceYears)}
	}
	return rows
}

// expertFilter reads the list's query string: skill, niveau, zone, statut,
// du, au, jours, q, tri, page. Malformed dates are errors on their field.
func expertFilter(q url.Values) (expert.Filter, valid.Errors) {
	var errs valid.Errors
	f := expert.Filter{Skill: q.Get("skill"), MinLevel: skill.Level(atoiOr(q.Get("niveau"), 0)), Zone: q.Get("zone"),
		Status: expert.Status(q.Get("statut")), DaysPerWeek: atoiOr(q.Get("jours"), 0), Text: strings.TrimSpace(q.Get("q")),
		HomeDepartement: q.Get("departement"), Sort: expert.Sort(q.Get("tri")), Page: atoiOr(q.Get("page"), 1),
		Brief: true}
	// Within the counted pages the count stops at the limit; a page past
	// them is counted exactly, to know where the list ends.
	if f.Page <= listCountLimit/expert.DefaultPageSize {
		f.CountUpTo = listCountLimit
	}
	var ok bool
	if f.AvailableFrom, ok = parseDate(q.Get("du")); !ok {
		errs.Add("du", "date illisible : AAAA-MM-JJ")
	}
	if f.AvailableTo, ok = parseDate(q.Get("au")); !ok {
		errs.Add("au", "date illisible : AAAA-MM-JJ")
	}
	if f.Page < 1 {
		f.Page = 1
	}
	return f, errs
}

// The list counts its matches exactly up to listCountLimit (« 2 000
// experts — page 1 sur 100 »): people page through it and compare counts
// between filters. Past it, the page says « plus de 5 000 experts » and
// pages on without naming the last page: counting a broad filter over a
// pool of 100,000 exactly costs a hundred milliseconds (docs/benchmarks.md,
// « Pool pages »), and few people page through 5,000 experts — those who
// do, past the 250th page, get exact counts again.
const listCountLimit = 5000

// listFields maps the list filter's error fields to the query's names.
var listFields = map[string]string{"available_from": "du", "available_to": "au", "days_per_week": "jours", "min_level": "niveau", "status": "statut", "sort": "tri"}

func (s *Server) listExperts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filter, errs := expertFilter(q)
	form := &Form{Values: map[string]string{}}
	status := http.StatusOK
	var res expert.Page
	if len(errs) == 0 {
		var err error
		res, err = s.deps.Experts.List(r.Context(), filter, httpkit.ActorOf(r))
		if list, ok := valid.As(err); ok {
			errs = list
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	for _, e := range errs {
		if n, ok := listFields[e.Field]; ok {
			e.Field = n
		}
		form.Add(e.Field, e.Message)
		status = http.StatusUnprocessableEntity
	}
	groups, cat, err := s.skillGroups(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "page" && len(v) > 0 && v[0] != "" {
			rest[k] = v
		}
	}
	// A page past the last shows the last, at its own address. When the
	// count stopped, the page of the first uncounted match holds experts.
	last := pages(res.Total, res.PageSize)
	if res.More {
		last = pages(res.Total+1, res.PageSize)
	}
	if status == http.StatusOK && filter.Page > last {
		rest.Set("page", strconv.Itoa(last))
		redirect(w, r, "/experts?"+rest.Encode())
		return
	}
	p := expertListPage{Query: q, Result: res, Rows: s.expertRows(res.Experts, cat), Form: form,
		Paging: pageLink{Query: rest.Encode(), Page: res.Page, Pages: last, More: res.More}}
	var opts firstError
	p.Skills = opts.keep(s.pickers.skills.HTML(groups, q.Get("skill")))
	p.Levels = opts.keep(s.pickers.levels.HTML(q.Get("niveau")))
	p.Zones = opts.keep(s.pickers.zones.HTML(q.Get("zone")))
	p.Departements = opts.keep(s.pickers.departements.HTML(q.Get("departement")))
	p.Statuses = opts.keep(s.pickers.statuses.HTML(q.Get("statut")))
	p.Sorts = opts.keep(s.pickers.sorts.HTML(q.Get("tri")))
	if opts.err != nil {
		s.serverError(w, r, opts.err)
		return
	}
	s.render(w, r, status, "experts", s.page(r, "Experts", p))
}

// expertOfPath loads the expert {id} for the visitor: staff see every
// expert, an expert only their own profile; anything else is "not found",
// so that ids do not leak (the service decides). False when it answered.
func (s *Server) expertOfPath(w http.ResponseWriter, r *http.Request) (expert.Expert, bool) {
	return recordOf(s, w, r, s.deps.Experts.Get)
}

type expertPage struct {
	Expert  expert.Expert
	History []expert.StatusChange
	CV      *expert.CVInfo
	Moves   []expert.Status
	Catalog *skill.Catalog
	Form    *Form
	Staff   bool
}

// SkillLabel names a skill code.
func (p expertPage) SkillLabel(code string) string { return skillLabel(p.Catalog, code) }

func skillLabel(c *skill.Catalog, code string) string {
	if c != nil {
		if k, ok := c.Lookup(code); ok {
			return k.Label
		}
	}
	return code
}

func (s *Server) showExpert(w http.ResponseWriter, r *http.Request) {
	s.renderExpert(w, r, http.StatusOK, &Form{})
}

func (s *Server) renderExpert(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	e, ok := s.expertOfPath(w, r)
	if !ok {
		return
	}
	var err error
	p := expertPage{Expert: e, Form: f, Staff: httpkit.VisitorOf(r).User.Role.Staff(), Moves: expert.Moves(e.Status)}
	if p.History, err = s.deps.Experts.History(r.Context(), e.ID, httpkit.ActorOf(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Catalog, err = s.deps.Skills.Catalog(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	if e.HasCV {
		cv, err := s.deps.Experts.CV(r.Context(), e.ID, httpkit.ActorOf(r))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serverError(w, r, err)
			return
		}
		p.CV = &expert.CVInfo{Filename: cv.Filename, Size: cv.Size, UploadedAt: cv.UploadedAt}
	}
	s.render(w, r, status, "expert", s.page(r, e.Name(), p))
}

func (s *Server) setExpertStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "status", "comment")
	err := s.deps.Experts.SetStatus(r.Context(), id, expert.Status(f.Value("status")), f.Value("comment"), httpkit.VisitorOf(r).Actor())
	s.answerForm(w, r, f, err, s.renderExpert, "/experts/"+strconv.FormatInt(id, 10)+"?ok=expert-status")
}

func (s *Server) downloadCV(w http.ResponseWriter, r *http.Request) {
	e, ok := s.expertOfPath(w, r)
	if !ok {
		return
	}
	cv, err := s.deps.Experts.CV(r.Context(), e.ID, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="cv-`+e.Reference+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(cv.Content)
}
