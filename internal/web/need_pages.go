package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vivier/internal/httpkit"
	"vivier/internal/need"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// The coordinators' pages over needs: the filtered list and a need's page
// with its history, its status moves, the open needs nearby, and the
// sections other parts fill in (shortlist, missions).

type needListPage struct {
	Query  url.Values
	Result need.Page
	Paging pageLink
	Form   *Form
	// The filters' <option>s, the current one selected, written by the
	// "optgroups" template (see pickers).
	Skills, Departements template.HTML
	Status               []need.Status
	Kinds                []need.Kind
	// Mine is the requester's « Mes besoins »: their organisation's needs,
	// their state in plain words, no coordinators' filters.
	Mine bool
}

func (s *Server) listNeeds(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	filter := need.Filter{Status: need.Status(q.Get("statut")), Kind: need.Kind(q.Get("type")), Departement: q.Get("departement"),
		Skill: q.Get("skill"), Text: strings.TrimSpace(q.Get("q")), Page: max(atoiOr(q.Get("page"), 1), 1)}
	form := &Form{Values: map[string]string{}}
	status := http.StatusOK
	res, err := s.deps.Needs.List(r.Context(), filter, httpkit.ActorOf(r))
	if list, ok := valid.As(err); ok {
		for _, e := range list {
			form.Add(map[string]string{"status": "statut", "kind": "type"}[e.Field], e.Message)
		}
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	groups, _, err := s.skillGroups(r)
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
	var opts firstError
	skills := opts.keep(s.pickers.skills.HTML(groups, q.Get("skill")))
	deps := opts.keep(s.pickers.departements.HTML(q.Get("departement")))
	if opts.err != nil {
		s.serverError(w, r, opts.err)
		return
	}
	mine := !httpkit.ActorOf(r).Staff()
	title := "Besoins"
	if mine {
		title = "Mes besoins"
	}
	s.render(w, r, status, "needs", s.page(r, title, needListPage{
		Query: q, Result: res, Form: form, Skills: skills, Departements: deps, Mine: mine,
		Status: need.Statuses(), Kinds: []need.Kind{need.Mission, need.Interim},
		Paging: pageLink{Query: rest.Encode(), Page: res.Page, Pages: pages(res.Total, res.PageSize)},
	}))
}

func pages(total, size int) int {
	if size <= 0 {
		return 1
	}
	return max((total+size-1)/size, 1)
}

type needPage struct {
	Need     need.Need
	History  []need.StatusChange
	Moves    []need.Status
	Catalog  *skill.Catalog
	Form     *Form
	Sections needSections
}

// SkillLabel names a skill code.
func (p needPage) SkillLabel(code string) string { return skillLabel(p.Catalog, code) }

func (s *Server) showNeed(w http.ResponseWriter, r *http.Request) {
	s.renderNeed(w, r, http.StatusOK, &Form{})
}

func (s *Server) renderNeed(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	n, ok := s.needOfPath(w, r)
	if !ok {
		return
	}
	var err error
	p := needPage{Need: n, Moves: need.Moves(n.Status), Form: f}
	if p.History, err = s.deps.Needs.History(r.Context(), n.ID, httpkit.ActorOf(r)); err == nil {
		if p.Catalog, err = s.deps.Skills.Catalog(r.Context()); err == nil {
			p.Sections, err = s.loadNeedSections(r, n)
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "need", s.page(r, n.Title, p))
}

func (s *Server) setNeedStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "status", "comment")
	err := s.deps.Needs.Transition(r.Context(), id, need.Status(f.Value("status")), f.Value("comment"), httpkit.VisitorOf(r).Actor())
	s.answerForm(w, r, f, err, s.renderNeed, "/besoins/"+strconv.FormatInt(id, 10)+"?ok=need-status")
}
