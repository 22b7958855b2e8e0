package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/skill"
	"vivier/internal/store"
)

// needProposals is the data of the need_missions section: the proposals of
// a need, the form to propose experts (staff) and, for the requester, the
// accepted proposals to choose among.
type needProposals struct {
	Need      need.Need
	Proposals []mission.Proposal
	Accepted  []mission.Proposal
	Declined  []mission.Proposal
	Missions  []mission.Mission
	Profiles  map[int64]expertProfile // of the accepted experts, by expert id
	Staff     bool
	Requester bool
	CSRF      string
	Form      *Form
	// OnNeedPage: the section is part of the need's page, whose shortlist
	// form proposes; its own form is left out.
	OnNeedPage bool
}

func (s *Server) loadNeedProposals(r *http.Request, n need.Need, f *Form) (needProposals, error) {
	v := httpkit.VisitorOf(r)
	d := needProposals{Need: n, CSRF: v.CSRF, Form: f, Staff: v.User != nil && v.User.Role.Staff(),
		Requester: v.Is(access.Requester)}
	if d.Form == nil {
		d.Form = &Form{Values: map[string]string{}}
	}
	actor := httpkit.ActorOf(r)
	ps, err := s.deps.Missions.NeedProposals(r.Context(), n.ID, actor)
	if err != nil {
		return d, err
	}
	d.Proposals = ps
	cands, err := s.deps.Missions.Candidates(r.Context(), n.ID, actor)
	if err != nil {
		return d, err
	}
	cat, err := s.deps.Skills.Catalog(r.Context())
	if err != nil {
		return d, err
	}
	d.Profiles = map[int64]expertProfile{}
	for _, p := range ps {
		switch p.Status {
		case mission.Accepted:
			d.Accepted = append(d.Accepted, p)
			d.Profiles[p.ExpertID] = expertProfileOf(cands[p.ExpertID], cat)
		case mission.Declined:
			d.Declined = append(d.Declined, p)
		}
	}
	return d, nil
}

// needFor loads the need of the request's {id} that the visitor may see
// (the service decides: staff all, a requester their organisation's); nil
// after answering 404.
func (s *Server) needFor(w http.ResponseWriter, r *http.Request) *need.Need {
	n, ok := recordOf(s, w, r, s.deps.Needs.Get)
	if !ok {
		return nil
	}
	return &n
}

func (s *Server) needProposalsPage(w http.ResponseWriter, r *http.Request) {
	n := s.needFor(w, r)
	if n == nil {
		return
	}
	s.showNeedProposals(w, r, http.StatusOK, *n, nil)
}

func (s *Server) showNeedProposals(w http.ResponseWriter, r *http.Request, status int, n need.Need, f *Form) {
	d, err := s.loadNeedProposals(r, n, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "need_proposals", s.page(r, "Propositions · "+n.Title, d))
}

// propose is the contract with the shortlist: repeated "expert" ids, and
// (without the shortlist) "references", the experts' references separated
// by commas, spaces or lines, with a "message".
func (s *Server) propose(w http.ResponseWriter, r *http.Request) {
	n := s.needFor(w, r)
	if n == nil {
		return
	}
	f := formOf(r, "references", "message", "reason")
	var ids []int64
	for _, raw := range r.PostForm["expert"] {
		id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			f.Add("expert", "identifiant d’expert "+strconv.Quote(raw)+" invalide")
			continue
		}
		ids = append(ids, id)
	}
	refs := strings.FieldsFunc(f.Value("references"), func(c rune) bool { return c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\r' })
	for _, ref := range refs {
		e, err := s.deps.Experts.ByReference(r.Context(), ref, httpkit.ActorOf(r))
		if errors.Is(err, store.ErrNotFound) {
			f.Add("references", "aucun expert n’a la référence "+strconv.Quote(ref))
			continue
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		ids = append(ids, e.ID)
	}
	// An expert outside the shortlist whom the ranking excludes needs a
	// stated reason, which the ranking log keeps.
	if !f.Failed() && len(refs) > 0 && s.deps.Match != nil {
		if err := s.deps.Match.CheckProposal(r.Context(), *n, refs, f.Value("reason"), httpkit.ActorOf(r)); err != nil && !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
	}
	if !f.Failed() {
		_, err := s.deps.Missions.Propose(r.Context(), n.ID, ids, f.Value("message"), httpkit.VisitorOf(r).Actor())
		if err == nil {
			s.wakeMail()
			// The need page by contract; the proposals page when the form
			// came from there.
			back := "/besoins/" + strconv.FormatInt(n.ID, 10)
			if r.PostFormValue("retour") == "propositions" {
				back += "/propositions"
			}
			redirect(w, r, back+"?ok=proposed")
			return
		}
		if !f.Fail(err) {
			s.serverError(w, r, err)
			return
		}
	}
	s.showNeedProposals(w, r, http.StatusUnprocessableEntity, *n, f)
}

// askOthers: the requester wants other experts than the accepted ones.
func (s *Server) askOthers(w http.ResponseWriter, r *http.Request) {
	n := s.needFor(w, r)
	if n == nil {
		return
	}
	f := formOf(r, "reason")
	err := s.deps.Missions.AskOthers(r.Context(), n.ID, f.Value("reason"), httpkit.VisitorOf(r).Actor())
	if err == nil {
		s.wakeMail()
		redirect(w, r, "/besoins/"+strconv.FormatInt(n.ID, 10)+"/propositions?ok=others")
		return
	}
	if !f.Fail(err) {
		s.serverError(w, r, err)
		return
	}
	s.showNeedProposals(w, r, http.StatusUnprocessableEntity, *n, f)
}

// proposalFor loads the proposal of {id} the visitor may see (the service
// decides: staff all, the expert their own, a requester their
// organisation's accepted ones); nil after answering 404.
func (s *Server) proposalFor(w http.ResponseWriter, r *http.Request) *mission.Proposal {
	p, ok := recordOf(s, w, r, s.deps.Missions.Proposal)
	if !ok {
		return nil
	}
	return &p
}

type proposalPage struct {
	Proposal mission.Proposal
	Place    string // the need's commune and département
	Form     *Form
	IsExpert bool
	// Why is the ranking the coordination saw when it proposed the
	// expert, from the ranking log; nil when none was logged.
	Why *match.Record
}

func (s *Server) proposalPage(w http.ResponseWriter, r *http.Request) {
	p := s.proposalFor(w, r)
	if p == nil {
		return
	}
	s.showProposal(w, r, http.StatusOK, *p, &Form{Values: map[string]string{}})
}

func (s *Server) showProposal(w http.ResponseWriter, r *http.Request, status int, p mission.Proposal, f *Form) {
	d := proposalPage{Proposal: p, Place: s.places.communeLabel(p.Commune), Form: f, IsExpert: httpkit.VisitorOf(r).Is(access.Expert)}
	rec, ok, err := s.deps.Match.LatestRecord(r.Context(), p.NeedID, p.ExpertID, httpkit.ActorOf(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if ok {
		d.Why = &rec
	}
	s.render(w, r, status, "proposal", s.page(r, "Proposition · "+p.NeedTitle, d))
}

// answerProposal: the expert accepts, or declines with a reason.
func (s *Server) answerProposal(w http.ResponseWriter, r *http.Request) {
	p := s.proposalFor(w, r)
	if p == nil {
		return
	}
	f := formOf(r, "decision", "reason")
	var err error
	switch f.Value("decision") {
	case "accept", "decline":
		err = s.deps.Missions.Answer(r.Context(), p.ID, f.Value("decision") == "accept", f.Value("reason"), httpkit.VisitorOf(r).Actor())
	default:
		f.Add("decision", "choisissez d’accepter ou de décliner la proposition")
	}
	if err == nil && !f.Failed() {
		s.wakeMail()
		redirect(w, r, "/propositions/"+strconv.FormatInt(p.ID, 10)+"?ok=answered")
		return
	}
	if err != nil && !f.Fail(err) {
		s.serverError(w, r, err)
		return
	}
	s.showProposal(w, r, http.StatusUnprocessableEntity, *p, f)
}

// chooseProposal: the requester chooses an accepted expert; the mission is
// created.
func (s *Server) chooseProposal(w http.ResponseWriter, r *http.Request) {
	p := s.proposalFor(w, r)
	if p == nil {
		return
	}
	id, err := s.deps.Missions.Choose(r.Context(), p.ID, httpkit.VisitorOf(r).Actor())
	if err == nil {
		s.wakeMail()
		redirect(w, r, "/missions/"+strconv.FormatInt(id, 10)+"?ok=chosen")
		return
	}
	n, gerr := s.deps.Needs.Get(r.Context(), p.NeedID, httpkit.ActorOf(r))
	f := &Form{Values: map[string]string{}}
	if gerr != nil || !f.Fail(err) {
		s.serverError(w, r, errors.Join(err, gerr))
		return
	}
	s.showNeedProposals(w, r, http.StatusUnprocessableEntity, n, f)
}

// expertProfile is what a requester reads of an accepted expert before
// choosing: experience and skills with their level.
type expertProfile struct {
	Experience *int
	Skills     []string // "Foncier, immobilier d’entreprise… (confirmé)"
}

func expertProfileOf(c mission.Candidate, cat *skill.Catalog) expertProfile {
	p := expertProfile{Experience: c.Experience}
	for _, sl := range c.Skills {
		label := sl.Code
		if sk, ok := cat.Lookup(sl.Code); ok {
			label = sk.Label
		}
		p.Skills = append(p.Skills, label+" ("+skill.Level(sl.Level).Label()+")")
	}
	return p
}
