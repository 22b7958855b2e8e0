package training

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Survey is a trainee's answer to the satisfaction survey « à chaud »: a
// mark from 1 to 5 on each question, and a comment.
type Survey struct {
	Content, Trainer, Organisation, Usefulness int
	Comment                                    string
}

// Questions are the survey's questions, in the order of Survey's fields.
var Questions = []struct{ Field, Label string }{
	{"content", "Le contenu de la formation a répondu à vos attentes"},
	{"trainer", "Le formateur ou la formatrice a su transmettre"},
	{"organisation", "L’organisation (accueil, supports, rythme) était satisfaisante"},
	{"usefulness", "Vous pourrez appliquer ce que vous avez appris dans votre travail"},
}

// Mean is the average mark.
func (s Survey) Mean() float64 {
	return float64(s.Content+s.Trainer+s.Organisation+s.Usefulness) / 4
}

// Satisfied reports whether the answer counts as satisfied: an average of
// 4 or more out of 5.
func (s Survey) Satisfied() bool { return s.Mean() >= 4 }

// AnswerSurvey records the survey of the trainee of link token, once,
// from the start of the session's last half-day.
func (s *Service) AnswerSurvey(ctx context.Context, token string, in Survey, actor access.Actor) error {
	en, sess, _, err := s.Trainee(ctx, token)
	if err != nil {
		return err
	}
	if en.Status != Confirmed {
		return store.NotFound("enrolment")
	}
	if len(sess.HalfDays) == 0 || s.now().Before(sess.HalfDays[len(sess.HalfDays)-1].StartsAt) {
		return access.Errorf(access.Conflict, "le questionnaire s’ouvre à la dernière demi-journée de la session")
	}
	var errs valid.Errors
	for i, v := range []int{in.Content, in.Trainer, in.Organisation, in.Usefulness} {
		if v < 1 || v > 5 {
			errs.Add(Questions[i].Field, "choisissez une note de 1 à 5")
		}
	}
	in.Comment = text(&errs, "comment", in.Comment, 2000)
	if len(errs) > 0 {
		return errs
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO training_surveys (enrolment_id, content, trainer, organisation, usefulness, comment, answered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (enrolment_id) DO NOTHING`,
			en.ID, in.Content, in.Trainer, in.Organisation, in.Usefulness, in.Comment, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return access.Errorf(access.Conflict, "vous avez déjà répondu au questionnaire : merci")
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.survey", Subject: fmt.Sprintf("session:%d", en.SessionID)})
	})
}

// Answered reports whether the trainee of enrolment id answered the survey.
func (s *Service) Answered(ctx context.Context, enrolmentID int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM training_surveys WHERE enrolment_id = $1`, enrolmentID).Scan(&n)
	return n > 0, err
}

// Indicators are the quality figures of a training over a year (of its
// sessions' start).
type Indicators struct {
	Year         int
	Sessions     int
	Trainees     int     // confirmed enrolments (MOOC: enrolled)
	HoursTrainee float64 // hours signed, summed over trainees
	Completed    int     // trainees who signed at least 80 % of their session's hours (MOOC: completed)
	Responses    int     // surveys answered
	Satisfied    int     // of them, an average of 4 or more out of 5
}

// CompletionRate is Completed ÷ Trainees.
func (i Indicators) CompletionRate() float64 { return ratio(i.Completed, i.Trainees) }

// SatisfactionRate is Satisfied ÷ Responses.
func (i Indicators) SatisfactionRate() float64 { return ratio(i.Satisfied, i.Responses) }

// ResponseRate is Responses ÷ Trainees.
func (i Indicators) ResponseRate() float64 { return ratio(i.Responses, i.Trainees) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// CompletionShare is the share of a session's hours a trainee must sign to
// have completed it.
const CompletionShare = 0.8

// Indicators returns the quality figures of training id, one line per year
// that has sessions, the latest first; for staff.
func (s *Service) Indicators(ctx context.Context, id int64, actor access.Actor) (Training, []Indicators, error) {
	if err := staffOnly(actor); err != nil {
		return Training{}, nil, err
	}
	t, sessions, err := s.Get(ctx, id, actor)
	if err != nil {
		return t, nil, err
	}
	byYear := map[int]*Indicators{}
	year := func(y int) *Indicators {
		if byYear[y] == nil {
			byYear[y] = &Indicators{Year: y}
		}
		return byYear[y]
	}
	for _, sess := range sessions {
		if len(sess.HalfDays) == 0 {
			continue
		}
		ind := year(date.Of(sess.Start().In(date.Paris())).Year)
		ind.Sessions++
		sh, err := s.sheet(ctx, sess.ID)
		if err != nil {
			return t, nil, err
		}
		for _, en := range sh.Trainees {
			ind.Trainees++
			h := sh.AttendedHours(en.ID)
			ind.HoursTrainee += h
			if sess.Hours() > 0 && h >= CompletionShare*sess.Hours()-1e-9 {
				ind.Completed++
			}
		}
		rows, err := s.db.QueryContext(ctx, `SELECT v.content, v.trainer, v.organisation, v.usefulness FROM training_surveys v
			JOIN training_enrolments e ON e.id = v.enrolment_id WHERE e.session_id = $1 AND e.status = 'confirmed'`, sess.ID)
		if err != nil {
			return t, nil, err
		}
		for rows.Next() {
			var v Survey
			if err := rows.Scan(&v.Content, &v.Trainer, &v.Organisation, &v.Usefulness); err != nil {
				rows.Close()
				return t, nil, err
			}
			ind.Responses++
			if v.Satisfied() {
				ind.Satisfied++
			}
		}
		rows.Close()
	}
	counts, err := moocCounts(ctx, s.db, id)
	if err != nil {
		return t, nil, err
	}
	for _, c := range counts {
		ind := year(c.StartsOn.Year)
		ind.Sessions++
		ind.Trainees += c.Enrolled
		ind.Completed += c.Completed
	}
	var out []Indicators
	for _, ind := range byYear {
		out = append(out, *ind)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year > out[j].Year })
	return t, out, nil
}
