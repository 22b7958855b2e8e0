package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/training"
)

// The staff's pages of trainings: the catalogue with the form of a new
// training, a training's page (its sessions, the form of a new session,
// the quality indicators, the MOOC's counts) and a session's page (the
// enrolments, the sign-in sheet, the trainer's link, the PDFs).

type adminTrainingsPage struct {
	Trainings []training.Training
	Form      *Form
	// The quality figures of the year ?annee= (this year by default),
	// training by training and added up: the activity report's source.
	Year       int
	YearLines  []training.YearLine
	YearTotal  training.Indicators
	Prev, Next int
}

func (s *Server) showAdminTrainings(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx, actor := r.Context(), httpkit.ActorOf(r)
	list, err := s.deps.Trainings.List(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = &Form{Values: map[string]string{"kind": "course"}}
	}
	p := adminTrainingsPage{Trainings: list, Form: f, Year: date.Today().Year}
	if y, err := strconv.Atoi(r.URL.Query().Get("annee")); err == nil && y >= 2000 && y <= 2100 {
		p.Year = y
	}
	p.Prev, p.Next = p.Year-1, p.Year+1
	if p.YearLines, p.YearTotal, err = s.deps.Trainings.YearFigures(ctx, p.Year, actor); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_trainings", s.page(r, "Gérer les formations", p))
}

func (s *Server) adminTrainings(w http.ResponseWriter, r *http.Request) {
	s.showAdminTrainings(w, r, http.StatusOK, nil)
}

// number reads a decimal written the French or the English way; -1 when
// unreadable.
func number(s string) float64 {
	f, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil {
		return -1
	}
	return f
}

func (s *Server) createTraining(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "title", "kind", "programme", "objectives", "prerequisites", "hours", "price_member", "price_other", "partner")
	in := training.TrainingInput{Title: f.Value("title"), Kind: training.Kind(f.Value("kind")), Programme: r.PostFormValue("programme"),
		Objectives: r.PostFormValue("objectives"), Prerequisites: f.Value("prerequisites"), Hours: number(f.Value("hours")),
		PriceMember: atoiOr(f.Value("price_member"), -1), PriceOther: atoiOr(f.Value("price_other"), -1), Partner: f.Value("partner")}
	id, err := s.deps.Trainings.CreateTraining(r.Context(), in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, s.showAdminTrainings, fmt.Sprintf("/admin/formations/%d?ok=training-created", id))
}

type adminTrainingPage struct {
	Training   training.Training
	Sessions   []sessionView
	Indicators []training.Indicators
	Counts     []training.MoocCount
	Form       *Form
	MoocForm   *Form
	MoocErrors []string
}

func (s *Server) showAdminTraining(w http.ResponseWriter, r *http.Request, status int, p adminTrainingPage) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	actor := httpkit.ActorOf(r)
	t, list, err := s.deps.Trainings.Indicators(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, sessions, err := s.deps.Trainings.Get(r.Context(), id, actor)
	if err == nil {
		p.Counts, err = s.deps.Trainings.MoocCounts(r.Context(), id, actor)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, sess := range sessions {
		p.Sessions = append(p.Sessions, sessionView{Session: sess, Place: s.placeOf(sess.Commune, sess.Address)})
	}
	p.Training, p.Indicators = t, list
	if p.Form == nil {
		p.Form = &Form{Values: map[string]string{"capacity": "12"}}
	}
	if p.MoocForm == nil {
		p.MoocForm = &Form{Values: map[string]string{}}
	}
	s.render(w, r, status, "admin_training", s.page(r, t.Title, p))
}

func (s *Server) adminTraining(w http.ResponseWriter, r *http.Request) {
	s.showAdminTraining(w, r, http.StatusOK, adminTrainingPage{})
}

// addSession plans a session from its days (one per line or separated by
// commas, AAAA-MM-JJ), each split into a morning and an afternoon.
func (s *Server) addSession(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "days", "commune", "address", "online_url", "trainer", "capacity")
	in := training.SessionInput{Address: f.Value("address"), OnlineURL: f.Value("online_url"), Trainer: f.Value("trainer"),
		Capacity: atoiOr(f.Value("capacity"), -1)}
	var days []date.Date
	for _, part := range strings.FieldsFunc(f.Value("days"), func(r rune) bool { return r == ',' || r == '\n' || r == ' ' || r == ';' }) {
		d, err := date.Parse(strings.TrimSpace(part))
		if err != nil {
			f.Add("days", fmt.Sprintf("date illisible : %q (AAAA-MM-JJ)", part))
			break
		}
		days = append(days, d)
	}
	in.HalfDays = training.HalfDaysOf(days)
	if typed := f.Value("commune"); typed != "" {
		code, _, msg := s.places.resolveCommune("", typed)
		if msg != "" {
			f.Add("commune", msg+" (ou laissez vide pour une session en ligne)")
		}
		in.Commune = code
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showAdminTraining(w, r, status, adminTrainingPage{Form: f})
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	sid, err := s.deps.Trainings.AddSession(r.Context(), id, in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, fmt.Sprintf("/admin/sessions/%d?ok=session-created", sid))
}

func (s *Server) setMoocCount(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "label", "starts_on", "enrolled", "completed")
	c := training.MoocCount{Label: f.Value("label"), Enrolled: atoiOr(f.Value("enrolled"), -1), Completed: atoiOr(f.Value("completed"), -1)}
	if d, err := date.Parse(f.Value("starts_on")); err == nil {
		c.StartsOn = d
	}
	err := s.deps.Trainings.SetMoocCounts(r.Context(), id, []training.MoocCount{c}, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showAdminTraining(w, r, status, adminTrainingPage{MoocForm: f})
	}, fmt.Sprintf("/admin/formations/%d?ok=training-mooc", id))
}

func (s *Server) importMoocCounts(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		s.showAdminTraining(w, r, http.StatusUnprocessableEntity, adminTrainingPage{MoocErrors: []string{"choisissez un fichier CSV ou XLSX de 1 Mo au plus"}})
		return
	}
	defer file.Close()
	_, err = s.deps.Trainings.ImportMoocCounts(r.Context(), id, file, httpkit.ActorOf(r))
	var ie *training.ImportError
	if errors.As(err, &ie) {
		var msgs []string
		for _, e := range ie.Errors {
			msgs = append(msgs, e.Error())
		}
		s.showAdminTraining(w, r, http.StatusUnprocessableEntity, adminTrainingPage{MoocErrors: msgs})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/formations/%d?ok=training-mooc", id))
}

type adminSessionPage struct {
	Sheet      training.Sheet
	Enrolments []training.Enrolment
	Place      string
	Hours      map[int64]string // attended hours by enrolment
	Signed     map[int64]map[int64]string
	TrainerURL string
}

func (s *Server) adminSession(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	actor := httpkit.ActorOf(r)
	sh, err := s.deps.Trainings.Sheet(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.deps.Trainings.Enrolments(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := adminSessionPage{Sheet: sh, Enrolments: list, Place: s.placeOf(sh.Session.Commune, sh.Session.Address), Hours: map[int64]string{},
		Signed: map[int64]map[int64]string{}, TrainerURL: "/formateur/" + sh.Session.TrainerToken}
	for _, en := range sh.Trainees {
		p.Hours[en.ID] = strings.Replace(strconv.FormatFloat(sh.AttendedHours(en.ID), 'f', -1, 64), ".", ",", 1) + " h"
		p.Signed[en.ID] = map[int64]string{}
		for h, g := range sh.Signatures[en.ID] {
			p.Signed[en.ID][h] = timeFR(g.SignedAt)
		}
	}
	s.render(w, r, http.StatusOK, "admin_session", s.page(r, "Session · "+sh.Training.Title, p))
}

func (s *Server) sheetPDF(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	doc, err := s.deps.Trainings.SheetPDF(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendPDF(w, fmt.Sprintf("emargement-session-%d.pdf", id), doc)
}

func (s *Server) staffCertificate(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	doc, err := s.deps.Trainings.Certificate(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendPDF(w, fmt.Sprintf("attestation-%d.pdf", id), doc)
}
