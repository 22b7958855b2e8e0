package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/store"
)

// missionFor loads the mission of {id} the visitor may see (the service
// decides: staff all, the expert their own, a requester the missions
// serving their organisation); nil after answering 404.
func (s *Server) missionFor(w http.ResponseWriter, r *http.Request) *mission.Mission {
	m, ok := recordOf(s, w, r, s.deps.Missions.Get)
	if !ok {
		return nil
	}
	return &m
}

type missionList struct {
	Missions []mission.Mission
	Staff    bool
}

func (s *Server) listMissions(w http.ResponseWriter, r *http.Request) {
	list, err := s.deps.Missions.List(r.Context(), mission.Filter{}, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "missions", s.page(r, "Missions", missionList{Missions: list, Staff: httpkit.VisitorOf(r).User.Role.Staff()}))
}

// missionPage is the data of the mission page.
type missionPage struct {
	Mission    mission.Mission
	Days       []mission.Day
	Files      []mission.File
	Milestones []mission.Milestone
	CheckIns   []mission.CheckIn // interim directions only
	Served     []mission.Review  // the requester organisations (OrgID, OrgName)
	Reviews    []mission.Review
	Form       *Form
	Staff      bool
	IsExpert   bool // the mission's own expert
	CanReview  bool // a requester served who has not reviewed yet
	Reviewed   bool
	Saving     int64
	Cost       int64
	Reference  int64
	Today      date.Date
	// PoolQuery and PoolHits are the search of a need to add to the
	// mission (staff): what was typed, by title or commune, and the open
	// needs it finds.
	PoolQuery string
	PoolHits  []need.Need
}

func (s *Server) missionPage(w http.ResponseWriter, r *http.Request) {
	m := s.missionFor(w, r)
	if m == nil {
		return
	}
	s.showMission(w, r, http.StatusOK, *m, nil)
}

func (s *Server) showMission(w http.ResponseWriter, r *http.Request, status int, m mission.Mission, f *Form) {
	ctx := r.Context()
	u := httpkit.VisitorOf(r).User
	actor := httpkit.ActorOf(r)
	d := missionPage{Mission: m, Form: f, Staff: u.Role.Staff(), IsExpert: u.Role == access.Expert && m.ExpertUser == u.ID, Today: date.Today()}
	if d.Form == nil {
		d.Form = &Form{Values: map[string]string{}}
	}
	var err error
	if d.Days, err = s.deps.Missions.Days(ctx, m.ID, actor); err == nil {
		if d.Files, err = s.deps.Missions.Files(ctx, m.ID, actor); err == nil {
			if d.Milestones, err = s.deps.Missions.Milestones(ctx, m.ID, actor); err == nil {
				if d.Reviews, err = s.deps.Missions.Reviews(ctx, m.ID, actor); err == nil && m.NeedKind == "interim" {
					d.CheckIns, err = s.deps.Missions.CheckIns(ctx, m.ID, actor)
				}
			}
		}
	}
	if err == nil {
		d.Served, err = s.deps.Missions.Requesters(ctx, m.ID, actor)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q := strings.TrimSpace(r.URL.Query().Get("besoin")); q != "" && d.Staff {
		d.PoolQuery = q
		res, err := s.deps.Needs.List(ctx, need.Filter{Text: q, PageSize: 10}, actor)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, n := range res.Needs {
			if n.ID != m.NeedID && n.Status.Open() {
				d.PoolHits = append(d.PoolHits, n)
			}
		}
	}
	if u.Role == access.Requester {
		for _, rv := range d.Reviews {
			d.Reviewed = d.Reviewed || rv.OrgID == u.OrganisationID
		}
		d.CanReview = !d.Reviewed && (m.Status == mission.Delivered || m.Status == mission.Closed)
	}
	rates, err := s.deps.Missions.ReferenceRates(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Cost, d.Saving, d.Reference = int64(m.Cost()), int64(mission.Saving(m, rates)), int64(rates[m.Domain])
	s.render(w, r, status, "mission", s.page(r, "Mission · "+m.NeedTitle, d))
}

// missionAction runs a form on the mission page: load and check the
// mission, call do, then redirect with the flash code, or show the page
// again with the errors (422).
// The service decides who may do it: a refusal answers by its code.
func (s *Server) missionAction(code string, fields []string, do func(r *http.Request, m mission.Mission, f *Form) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m := s.missionFor(w, r)
		if m == nil {
			return
		}
		f := formOf(r, fields...)
		err := do(r, *m, f)
		if err == nil && !f.Failed() {
			s.wakeMail()
			redirect(w, r, "/missions/"+strconv.FormatInt(m.ID, 10)+"?ok="+code)
			return
		}
		if err != nil && !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		fresh, gerr := s.deps.Missions.Get(r.Context(), m.ID, httpkit.ActorOf(r))
		if gerr != nil {
			s.serverError(w, r, gerr)
			return
		}
		s.showMission(w, r, http.StatusUnprocessableEntity, fresh, f)
	}
}

func (s *Server) moveMission() http.HandlerFunc {
	return s.missionAction("status", []string{"status"}, func(r *http.Request, m mission.Mission, f *Form) error {
		to := mission.Status(f.Value("status"))
		return s.deps.Missions.Move(r.Context(), m.ID, to, httpkit.ActorOf(r))
	})
}

func (s *Server) askEmployer() http.HandlerFunc {
	return s.missionAction("employer", []string{"employer_email"}, func(r *http.Request, m mission.Mission, f *Form) error {
		_, err := s.deps.Missions.RequestEmployer(r.Context(), m.ID, f.Value("employer_email"), httpkit.ActorOf(r))
		return err
	})
}

func (s *Server) logDay() http.HandlerFunc {
	return s.missionAction("day", []string{"day", "days", "note"}, func(r *http.Request, m mission.Mission, f *Form) error {
		var day date.Date
		if v := f.Value("day"); v != "" {
			d, err := date.Parse(v)
			if err != nil {
				f.Add("day", "date invalide : saisissez-la au format AAAA-MM-JJ")
				return nil
			}
			day = d
		}
		halves := map[string]int{"0.5": 1, "0,5": 1, "1": 2}[f.Value("days")]
		return s.deps.Missions.LogDay(r.Context(), m.ID, day, halves, f.Value("note"), httpkit.ActorOf(r))
	})
}

func (s *Server) addMilestone() http.HandlerFunc {
	return s.missionAction("milestone", []string{"title", "due"}, func(r *http.Request, m mission.Mission, f *Form) error {
		due, _ := date.Parse(f.Value("due"))
		return s.deps.Missions.AddMilestone(r.Context(), m.ID, f.Value("title"), due, httpkit.ActorOf(r))
	})
}

func (s *Server) completeMilestone() http.HandlerFunc {
	return s.missionAction("milestone-done", []string{"milestone"}, func(r *http.Request, m mission.Mission, f *Form) error {
		id, _ := strconv.ParseInt(f.Value("milestone"), 10, 64)
		return s.deps.Missions.CompleteMilestone(r.Context(), m.ID, id, httpkit.ActorOf(r))
	})
}

func (s *Server) saveReport() http.HandlerFunc {
	return s.missionAction("report", []string{"report"}, func(r *http.Request, m mission.Mission, f *Form) error {
		return s.deps.Missions.SetReport(r.Context(), m.ID, f.Value("report"), httpkit.ActorOf(r))
	})
}

func (s *Server) review() http.HandlerFunc {
	return s.missionAction("reviewed", []string{"rating", "comment"}, func(r *http.Request, m mission.Mission, f *Form) error {
		rating, _ := strconv.Atoi(f.Value("rating"))
		err := s.deps.Missions.AddReview(r.Context(), m.ID, rating, f.Value("comment"), httpkit.ActorOf(r))
		if errors.Is(err, mission.ErrAnswered) {
			f.Add("rating", "votre organisation a déjà donné son avis sur cette mission")
			return nil
		}
		return err
	})
}

func (s *Server) planMission() http.HandlerFunc {
	return s.missionAction("plan", []string{"start", "end", "planned_days"}, func(r *http.Request, m mission.Mission, f *Form) error {
		start, _ := date.Parse(f.Value("start"))
		end, _ := date.Parse(f.Value("end"))
		days, _ := strconv.Atoi(f.Value("planned_days"))
		return s.deps.Missions.Plan(r.Context(), m.ID, start, end, days, httpkit.ActorOf(r))
	})
}

func (s *Server) poolNeed() http.HandlerFunc {
	return s.missionAction("pooled", []string{"need"}, func(r *http.Request, m mission.Mission, f *Form) error {
		id, err := strconv.ParseInt(f.Value("need"), 10, 64)
		if err != nil || id <= 0 {
			f.Add("need", "cherchez le besoin à ajouter par son titre ou sa commune, puis choisissez-le")
			return nil
		}
		return s.deps.Missions.Pool(r.Context(), m.ID, id, httpkit.ActorOf(r))
	})
}

func (s *Server) addCheckIn() http.HandlerFunc {
	return s.missionAction("checkin", []string{"checkin"}, func(r *http.Request, m mission.Mission, f *Form) error {
		return s.deps.Missions.AddCheckIn(r.Context(), m.ID, date.Today(), f.Value("checkin"), httpkit.ActorOf(r))
	})
}

func (s *Server) saveHandover() http.HandlerFunc {
	return s.missionAction("handover", []string{"handover"}, func(r *http.Request, m mission.Mission, f *Form) error {
		return s.deps.Missions.SetHandover(r.Context(), m.ID, f.Value("handover"), httpkit.ActorOf(r))
	})
}

// uploadFile stores a deliverable (PDF, DOCX, XLSX, ODT, 20 MB at most).
func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request) {
	s.missionAction("file", nil, func(r *http.Request, m mission.Mission, f *Form) error {
		file, head, err := r.FormFile("file")
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				f.Add("file", "le fichier dépasse 20 Mo")
			} else {
				f.Add("file", "choisissez un fichier à déposer")
			}
			return nil
		}
		defer file.Close()
		content, err := io.ReadAll(io.LimitReader(file, mission.MaxFileSize+1))
		if err != nil {
			return err
		}
		return s.deps.Missions.AddFile(r.Context(), m.ID, head.Filename, content, httpkit.ActorOf(r))
	})(w, r)
}

// downloadFile serves a deliverable to whoever may see its mission, as an
// attachment (never rendered inline: it comes from a user).
func (s *Server) downloadFile(w http.ResponseWriter, r *http.Request) {
	f, ok := recordOf(s, w, r, s.deps.Missions.File)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", `attachment; filename="`+strconv.FormatInt(f.ID, 10)+"."+f.Kind+`"; filename*=UTF-8''`+url.PathEscape(f.Filename))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Content)))
	_, _ = w.Write(f.Content)
}

// employerPage is the data of the employer's single-use link page.
type employerPage struct {
	Mission mission.Mission
	Token   string
	Form    *Form
	Done    bool // the link was used or replaced
	Thanks  bool // the answer was just recorded
}

func (s *Server) employerForm(w http.ResponseWriter, r *http.Request) {
	m, err := s.deps.Missions.ByEmployerToken(r.Context(), r.PathValue("token"))
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, r, http.StatusNotFound, "employer", s.page(r, "Accord de l’employeur", employerPage{Done: true}))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	done := m.Employer != mission.Asked
	s.render(w, r, http.StatusOK, "employer", s.page(r, "Accord de l’employeur",
		employerPage{Mission: m, Token: r.PathValue("token"), Form: &Form{Values: map[string]string{}}, Done: done,
			Thanks: done && r.URL.Query().Get("ok") == "employer-answered"}))
}

func (s *Server) employerAnswer(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	f := formOf(r, "decision", "note")
	decision := f.Value("decision")
	if decision != "agree" && decision != "refuse" {
		f.Add("decision", "choisissez de donner ou de refuser votre accord")
	} else {
		err := s.deps.Missions.EmployerAnswer(r.Context(), token, decision == "agree", f.Value("note"))
		switch {
		case err == nil:
			s.wakeMail()
			redirect(w, r, "/accord-employeur/"+token+"?ok=employer-answered")
			return
		case errors.Is(err, mission.ErrAnswered), errors.Is(err, store.ErrNotFound):
			s.render(w, r, http.StatusConflict, "employer", s.page(r, "Accord de l’employeur", employerPage{Done: true}))
			return
		case !f.Fail(err):
			s.serverError(w, r, err)
			return
		}
	}
	m, err := s.deps.Missions.ByEmployerToken(r.Context(), token)
	if err != nil {
		s.render(w, r, http.StatusNotFound, "employer", s.page(r, "Accord de l’employeur", employerPage{Done: true}))
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "employer", s.page(r, "Accord de l’employeur", employerPage{Mission: m, Token: token, Form: f}))
}
