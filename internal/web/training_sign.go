package web

import (
	"fmt"
	"image/png"
	"net/http"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/training"
)

// The trainee's pages, reached by their personal link without an account
// (sign the open half-day, answer the survey, download the certificate);
// the room's page behind the QR code; the trainer's page behind their link
// (countersign, show the QR code). Phones first: one column, large buttons.

type traineeView struct {
	Enrolment training.Enrolment
	Session   training.Session
	Training  training.Training
	Open      *training.HalfDay // the half-day open to signing now
	Signed    map[int64]string  // half-day id → the signature's instant, in French
	Ended     bool
	Survey    bool // the survey may be answered
	Answered  bool
	Error     string
	Form      *Form
	Questions []struct{ Field, Label string }
	Marks     []int
}

func (s *Server) traineeView(r *http.Request, token string) (traineeView, error) {
	en, sess, t, err := s.deps.Trainings.Trainee(r.Context(), token)
	if err != nil {
		return traineeView{}, err
	}
	v := traineeView{Enrolment: en, Session: sess, Training: t, Signed: map[int64]string{}, Ended: s.deps.Trainings.Ended(sess),
		Survey: s.deps.Trainings.SurveyOpen(sess), Questions: training.Questions, Marks: []int{1, 2, 3, 4, 5}, Form: &Form{Values: map[string]string{}}}
	sigs, err := s.deps.Trainings.TraineeSignatures(r.Context(), token)
	if err != nil {
		return v, err
	}
	if h, ok := s.deps.Trainings.OpenHalfDay(sess, sigs); ok {
		v.Open = &h
	}
	for id, g := range sigs {
		v.Signed[id] = dateTimeFR(g.SignedAt)
	}
	v.Answered, err = s.deps.Trainings.Answered(r.Context(), en.ID)
	return v, err
}

func (s *Server) showTrainee(w http.ResponseWriter, r *http.Request, status int, page string, mod func(*traineeView)) {
	v, err := s.traineeView(r, r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if mod != nil {
		mod(&v)
	}
	s.render(w, r, status, page, s.page(r, v.Training.Title, v))
}

func (s *Server) traineePage(w http.ResponseWriter, r *http.Request) {
	s.showTrainee(w, r, http.StatusOK, "trainee", nil)
}

func (s *Server) signByLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if _, err := s.deps.Trainings.SignByLink(r.Context(), token, httpkit.ActorOf(r)); err != nil {
		if msg, ok := conflictMessage(err); ok {
			s.showTrainee(w, r, http.StatusConflict, "trainee", func(v *traineeView) { v.Error = msg })
			return
		}
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/emargement/"+token+"?ok=training-signed")
}

func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request) {
	s.showTrainee(w, r, http.StatusOK, "survey", nil)
}

func (s *Server) answerSurvey(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	f := formOf(r, "content", "trainer", "organisation", "usefulness", "comment")
	in := training.Survey{Content: atoiOr(f.Value("content"), 0), Trainer: atoiOr(f.Value("trainer"), 0),
		Organisation: atoiOr(f.Value("organisation"), 0), Usefulness: atoiOr(f.Value("usefulness"), 0), Comment: f.Value("comment")}
	err := s.deps.Trainings.AnswerSurvey(r.Context(), token, in, httpkit.ActorOf(r))
	if msg, ok := conflictMessage(err); ok {
		s.showTrainee(w, r, http.StatusConflict, "survey", func(v *traineeView) { v.Error = msg })
		return
	}
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showTrainee(w, r, status, "survey", func(v *traineeView) { v.Form = f })
	}, "/emargement/"+token+"?ok=training-survey")
}

func (s *Server) traineeCertificate(w http.ResponseWriter, r *http.Request) {
	doc, err := s.deps.Trainings.TraineeCertificate(r.Context(), r.PathValue("token"), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendPDF(w, "attestation.pdf", doc)
}

func sendPDF(w http.ResponseWriter, name string, doc []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(doc)
}

type roomView struct {
	HalfDay training.HalfDay
	Session training.Session
	Form    *Form
	Signed  *training.HalfDay
	Error   string
}

func (s *Server) showRoom(w http.ResponseWriter, r *http.Request, status int, v roomView) {
	h, sess, err := s.deps.Trainings.RoomHalfDay(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.HalfDay, v.Session = h, sess
	if v.Form == nil {
		v.Form = &Form{Values: map[string]string{}}
	}
	s.render(w, r, status, "room", s.page(r, "Émargement · "+sess.TrainingTitle, v))
}

func (s *Server) roomPage(w http.ResponseWriter, r *http.Request) {
	s.showRoom(w, r, http.StatusOK, roomView{})
}

func (s *Server) signInRoom(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "email", "code")
	h, err := s.deps.Trainings.SignInRoom(r.Context(), r.PathValue("token"), f.Value("email"), f.Value("code"), httpkit.ActorOf(r))
	switch msg, conflict := conflictMessage(err); {
	case err == nil:
		s.showRoom(w, r, http.StatusOK, roomView{Signed: &h})
	case conflict:
		s.showRoom(w, r, http.StatusConflict, roomView{Form: f, Error: msg})
	case f.Fail(err):
		s.showRoom(w, r, http.StatusUnprocessableEntity, roomView{Form: f})
	default:
		s.fail(w, r, err)
	}
}

type trainerView struct {
	Sheet  training.Sheet
	Token  string
	Open   *training.HalfDay
	Signed map[int64]map[int64]string // enrolment → half-day → instant
}

func (s *Server) trainerPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	sh, err := s.deps.Trainings.TrainerSheet(r.Context(), token, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := trainerView{Sheet: sh, Token: token, Signed: map[int64]map[int64]string{}}
	if h, ok := s.deps.Trainings.CurrentHalfDay(sh.Session); ok {
		v.Open = &h
	}
	for en, m := range sh.Signatures {
		v.Signed[en] = map[int64]string{}
		for h, g := range m {
			v.Signed[en][h] = timeFR(g.SignedAt)
		}
	}
	s.render(w, r, http.StatusOK, "trainer", s.page(r, "Formateur · "+sh.Training.Title, v))
}

func (s *Server) countersign(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	token := r.PathValue("token")
	if err := s.deps.Trainings.Countersign(r.Context(), id, token, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/formateur/"+token+"?ok=training-countersigned")
}

// roomQR draws the QR code of a half-day's room page, for the trainer to
// show in the room.
func (s *Server) roomQR(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	sh, err := s.deps.Trainings.TrainerSheet(r.Context(), r.PathValue("token"), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, h := range sh.Session.HalfDays {
		if h.ID != id {
			continue
		}
		code, err := qr.Encode(s.deps.Trainings.RoomURL(h), qr.M, qr.Auto)
		if err == nil {
			code, err = barcode.Scale(code, 320, 320)
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "no-store")
		if err := png.Encode(w, code); err != nil {
			s.deps.Logger.Error("write QR code", "err", err)
		}
		return
	}
	s.notFound(w, r)
}

// conflictMessage returns the message of a conflict (a half-day not open,
// signed already…), which the page shows in place.
func conflictMessage(err error) (string, bool) {
	if access.CodeOf(err) == access.Conflict {
		return access.MessageOf(err, ""), true
	}
	return "", false
}

func dateTimeFR(t time.Time) string { return fr.DateTime(t) }

// timeFR is an instant's Paris time of day: « 9 h 05 ».
func timeFR(t time.Time) string {
	t = t.In(date.Paris())
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}
