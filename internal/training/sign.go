package training

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/store"
)

// SignLate is how long after a half-day's end its sign-in stays open.
const SignLate = 2 * time.Hour

// signable returns the half-day of sess a trainee who signed the half-days
// in signed may sign at now: one that has started and did not end more than
// SignLate ago, the earliest they have not signed (at lunch, the morning
// still, then the afternoon). Otherwise a conflict saying why.
func signable(sess Session, now time.Time, signed map[int64]Signature) (HalfDay, error) {
	var next *HalfDay
	done := false
	for i, h := range sess.HalfDays {
		open := !now.Before(h.StartsAt) && !now.After(h.EndsAt.Add(SignLate))
		_, already := signed[h.ID]
		switch {
		case open && !already:
			return h, nil
		case open:
			done = true
		case now.Before(h.StartsAt) && next == nil:
			next = &sess.HalfDays[i]
		}
	}
	switch {
	case done:
		return HalfDay{}, access.Errorf(access.Conflict, "vous avez déjà signé la demi-journée en cours")
	case next != nil:
		return HalfDay{}, access.Errorf(access.Conflict, "aucune demi-journée n’est ouverte à l’émargement : la prochaine commence le %s", fr.DateTime(next.StartsAt))
	}
	return HalfDay{}, access.Errorf(access.Conflict, "la session est terminée : l’émargement ferme deux heures après la fin de chaque demi-journée")
}

// Signature is one half-day signed by a trainee.
type Signature struct {
	EnrolmentID int64
	HalfDayID   int64
	SignedAt    time.Time
	IP          string
	Via         string // link, room, staff
}

// SignByLink signs, for the trainee of the personal link token, the
// half-day open now (started, and ended two hours ago at most), recording
// the instant and the device's address (actor.IP). Signing a half-day
// again is refused: the link signs each half-day once.
func (s *Service) SignByLink(ctx context.Context, token string, actor access.Actor) (HalfDay, error) {
	en, sess, _, err := s.Trainee(ctx, token)
	if err != nil {
		return HalfDay{}, err
	}
	return s.sign(ctx, en, sess, "link", actor)
}

// SignInRoom signs through the QR code shown in the room (roomToken names
// the half-day): the trainee gives the email of their enrolment and the six
// digits of their convocation.
func (s *Service) SignInRoom(ctx context.Context, roomToken, email, code string, actor access.Actor) (HalfDay, error) {
	var sessionID int64
	err := s.db.QueryRowContext(ctx, `SELECT session_id FROM training_halfdays WHERE room_token = $1`, roomToken).Scan(&sessionID)
	if err == sql.ErrNoRows || roomToken == "" {
		return HalfDay{}, store.NotFound("half-day")
	}
	if err != nil {
		return HalfDay{}, err
	}
	list, err := queryEnrolments(ctx, s.db, "e.session_id = $1 AND e.email = $2 AND e.status = 'confirmed'", sessionID, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return HalfDay{}, err
	}
	if len(list) == 0 || subtle.ConstantTimeCompare([]byte(list[0].Code), []byte(strings.TrimSpace(code))) != 1 {
		return HalfDay{}, fieldErr("code", "adresse ou code inconnu pour cette session : reprenez le code à six chiffres de votre convocation")
	}
	sess, err := s.getSession(ctx, s.db, sessionID)
	if err != nil {
		return HalfDay{}, err
	}
	// The half-day signed is the one open now, whichever half-day's code
	// was scanned: the trainee is present for that one.
	return s.sign(ctx, list[0], sess, "room", actor)
}

func (s *Service) sign(ctx context.Context, en Enrolment, sess Session, via string, actor access.Actor) (HalfDay, error) {
	if en.Status != Confirmed {
		return HalfDay{}, access.Errorf(access.Conflict, "votre inscription est %s : elle ne permet pas d’émarger", en.Status.Label())
	}
	now := s.now()
	all, err := s.signatures(ctx, s.db, sess.ID)
	if err != nil {
		return HalfDay{}, err
	}
	h, err := signable(sess, now, all[en.ID])
	if err != nil {
		return HalfDay{}, err
	}
	ip := actor.IP
	if ip == "" {
		ip = "inconnue"
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO training_signatures (enrolment_id, halfday_id, signed_at, ip, via) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (enrolment_id, halfday_id) DO NOTHING`, en.ID, h.ID, now, ip, via)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return access.Errorf(access.Conflict, "vous avez déjà signé la demi-journée du %s", h.Label())
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.signed", Subject: fmt.Sprintf("session:%d", sess.ID),
			Details: map[string]any{"enrolment": en.ID, "halfday": h.ID, "via": via}})
	})
	return h, err
}

// Signatures returns the signatures of a session, by enrolment and half-day.
func (s *Service) signatures(ctx context.Context, q store.Querier, sessionID int64) (map[int64]map[int64]Signature, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.enrolment_id, g.halfday_id, g.signed_at, g.ip, g.via FROM training_signatures g
		JOIN training_halfdays h ON h.id = g.halfday_id WHERE h.session_id = $1`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[int64]Signature{}
	for rows.Next() {
		var g Signature
		if err := rows.Scan(&g.EnrolmentID, &g.HalfDayID, &g.SignedAt, &g.IP, &g.Via); err != nil {
			return nil, err
		}
		g.SignedAt = g.SignedAt.UTC()
		if out[g.EnrolmentID] == nil {
			out[g.EnrolmentID] = map[int64]Signature{}
		}
		out[g.EnrolmentID][g.HalfDayID] = g
	}
	return out, rows.Err()
}

// Sheet is a session's sign-in sheet: its trainees (confirmed) × half-days.
type Sheet struct {
	Training   Training
	Session    Session
	Trainees   []Enrolment
	Signatures map[int64]map[int64]Signature // by enrolment, then half-day
}

// Signed returns the signature of trainee en for half-day h, if any.
func (sh Sheet) Signed(en, h int64) (Signature, bool) {
	g, ok := sh.Signatures[en][h]
	return g, ok
}

// AttendedHours is the hours trainee en signed.
func (sh Sheet) AttendedHours(en int64) float64 {
	var hours float64
	for _, h := range sh.Session.HalfDays {
		if _, ok := sh.Signatures[en][h.ID]; ok {
			hours += h.Hours()
		}
	}
	return hours
}

func (s *Service) sheet(ctx context.Context, sessionID int64) (Sheet, error) {
	sess, err := s.getSession(ctx, s.db, sessionID)
	if err != nil {
		return Sheet{}, err
	}
	t, err := getTraining(ctx, s.db, sess.TrainingID)
	if err != nil {
		return Sheet{}, err
	}
	trainees, err := queryEnrolments(ctx, s.db, "e.session_id = $1 AND e.status = 'confirmed' ORDER BY lower(e.name), e.id", sessionID)
	if err != nil {
		return Sheet{}, err
	}
	sigs, err := s.signatures(ctx, s.db, sessionID)
	return Sheet{Training: t, Session: sess, Trainees: trainees, Signatures: sigs}, err
}

// Sheet returns the sign-in sheet of a session, for staff.
func (s *Service) Sheet(ctx context.Context, sessionID int64, actor access.Actor) (Sheet, error) {
	if err := staffOnly(actor); err != nil {
		return Sheet{}, err
	}
	return s.sheet(ctx, sessionID)
}

// TrainerSheet returns the sign-in sheet of the session whose trainer's
// link is token.
func (s *Service) TrainerSheet(ctx context.Context, token string, actor access.Actor) (Sheet, error) {
	var id int64
	if token == "" || len(token) > 64 {
		return Sheet{}, store.NotFound("session")
	}
	err := s.db.QueryRowContext(ctx, `SELECT id FROM training_sessions WHERE trainer_token = $1`, token).Scan(&id)
	if err == sql.ErrNoRows {
		return Sheet{}, store.NotFound("session")
	}
	if err != nil {
		return Sheet{}, err
	}
	return s.sheet(ctx, id)
}

// Countersign records the trainer's countersignature of a half-day that
// has started, with the trainer's link (token) or by staff (token "").
func (s *Service) Countersign(ctx context.Context, halfDayID int64, token string, actor access.Actor) error {
	var sessionID int64
	var trainerToken string
	var starts time.Time
	err := s.db.QueryRowContext(ctx, `SELECT h.session_id, s.trainer_token, h.starts_at FROM training_halfdays h
		JOIN training_sessions s ON s.id = h.session_id WHERE h.id = $1`, halfDayID).Scan(&sessionID, &trainerToken, &starts)
	if err == sql.ErrNoRows || err == nil && token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(trainerToken)) != 1 {
		return store.NotFound("half-day %d", halfDayID)
	}
	if err != nil {
		return err
	}
	if token == "" {
		if err := staffOnly(actor); err != nil {
			return err
		}
	}
	now := s.now()
	if now.Before(starts) {
		return access.Errorf(access.Conflict, "la demi-journée n’a pas commencé : on ne la contresigne qu’une fois commencée")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE training_halfdays SET countersigned_at = $1 WHERE id = $2 AND countersigned_at IS NULL`, now, halfDayID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.countersigned", Subject: fmt.Sprintf("session:%d", sessionID),
			Details: map[string]any{"halfday": halfDayID}})
	})
}

// RoomHalfDay returns the half-day of a room's QR code and its session.
func (s *Service) RoomHalfDay(ctx context.Context, roomToken string) (HalfDay, Session, error) {
	var id, sessionID int64
	err := s.db.QueryRowContext(ctx, `SELECT id, session_id FROM training_halfdays WHERE room_token = $1`, roomToken).Scan(&id, &sessionID)
	if err == sql.ErrNoRows || roomToken == "" {
		return HalfDay{}, Session{}, store.NotFound("half-day")
	}
	if err != nil {
		return HalfDay{}, Session{}, err
	}
	sess, err := s.getSession(ctx, s.db, sessionID)
	for _, h := range sess.HalfDays {
		if h.ID == id {
			return h, sess, err
		}
	}
	return HalfDay{}, Session{}, store.NotFound("half-day")
}

// OpenHalfDay returns the half-day of sess open to signing now for a
// trainee who signed the half-days in signed (nil: any trainee), if any.
func (s *Service) OpenHalfDay(sess Session, signed map[int64]Signature) (HalfDay, bool) {
	h, err := signable(sess, s.now(), signed)
	return h, err == nil
}

// RoomURL is the address in the QR code shown in the room for half-day h.
func (s *Service) RoomURL(h HalfDay) string { return s.baseURL + "/salle/" + h.RoomToken }

// Ended reports whether sess is over, by the service's clock.
func (s *Service) Ended(sess Session) bool {
	return len(sess.HalfDays) > 0 && !s.now().Before(sess.End())
}

// SurveyOpen reports whether the survey of sess may be answered: from the
// start of its last half-day.
func (s *Service) SurveyOpen(sess Session) bool {
	return len(sess.HalfDays) > 0 && !s.now().Before(sess.HalfDays[len(sess.HalfDays)-1].StartsAt)
}

// TraineeSignatures returns the signatures of the trainee of a personal
// link, by half-day.
func (s *Service) TraineeSignatures(ctx context.Context, token string) (map[int64]Signature, error) {
	en, _, _, err := s.Trainee(ctx, token)
	if err != nil {
		return nil, err
	}
	all, err := s.signatures(ctx, s.db, en.SessionID)
	return all[en.ID], err
}

// CurrentHalfDay returns the latest half-day of sess that has started and
// is still open to signing, the one whose QR code the room shows.
func (s *Service) CurrentHalfDay(sess Session) (HalfDay, bool) {
	now := s.now()
	for i := len(sess.HalfDays) - 1; i >= 0; i-- {
		h := sess.HalfDays[i]
		if !now.Before(h.StartsAt) && !now.After(h.EndsAt.Add(SignLate)) {
			return h, true
		}
	}
	return HalfDay{}, false
}
