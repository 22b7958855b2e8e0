package training

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	mailbox "vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// ErrAlreadyEnrolled is the conflict of an email enrolled twice in one session.
var ErrAlreadyEnrolled = access.Errorf(access.Conflict, "cette personne est déjà inscrite à cette session")

// EnrolInput is who is enrolled, and for which organisation.
type EnrolInput struct {
	Email          string
	Name           string
	OrganisationID int64 // a member's own organisation; staff choose (0: none)
}

const selectEnrolment = `SELECT e.id, e.session_id, e.email, e.name, coalesce(e.organisation_id, 0), coalesce(o.name, ''), e.member, e.status,
	coalesce(e.position, 0), e.token, e.code, e.created_at FROM training_enrolments e LEFT JOIN organisations o ON o.id = e.organisation_id`

func queryEnrolments(ctx context.Context, q store.Querier, where string, args ...any) ([]Enrolment, error) {
	rows, err := q.QueryContext(ctx, selectEnrolment+" WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read enrolments: %w", err)
	}
	defer rows.Close()
	var out []Enrolment
	for rows.Next() {
		var e Enrolment
		if err := rows.Scan(&e.ID, &e.SessionID, &e.Email, &e.Name, &e.OrganisationID, &e.Organisation, &e.Member, &e.Status,
			&e.Position, &e.Token, &e.Code, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// Enrol enrols a person in session sessionID: confirmed while seats remain,
// on the waiting list otherwise. A member enrols for their own agency;
// staff for any organisation. The person receives the confirmation (or the
// waitlist notice); the convocation follows a week before (SendNotices).
func (s *Service) Enrol(ctx context.Context, sessionID int64, in EnrolInput, actor access.Actor) (Enrolment, error) {
	if actor.Is(access.Member) && in.OrganisationID == 0 {
		in.OrganisationID = actor.OrganisationID
	}
	if err := mayEnrol(actor, in.OrganisationID); err != nil {
		return Enrolment{}, err
	}
	sess, err := s.getSession(ctx, s.db, sessionID)
	if err != nil {
		return Enrolment{}, err
	}
	var errs valid.Errors
	in.Email = strings.ToLower(text(&errs, "email", in.Email, 254))
	if a, err := mail.ParseAddress(in.Email); in.Email != "" && (err != nil || a.Address != in.Email) {
		errs.Add("email", "adresse électronique invalide : elle s’écrit nom@domaine.fr")
	} else if in.Email == "" && !errs.Has("email") {
		errs.Add("email", "indiquez l’adresse électronique du stagiaire")
	}
	in.Name = text(&errs, "name", in.Name, 200)
	if in.Name == "" && !errs.Has("name") {
		errs.Add("name", "indiquez le nom du stagiaire")
	}
	if len(errs) > 0 {
		return Enrolment{}, errs
	}
	if !s.now().Before(sess.Start()) {
		return Enrolment{}, access.Errorf(access.Conflict, "la session a commencé : les inscriptions sont closes")
	}
	member := false
	if in.OrganisationID != 0 && s.members != nil {
		if member, err = s.members.IsCurrentMember(ctx, in.OrganisationID); err != nil {
			return Enrolment{}, err
		}
	}
	var org, by any
	if in.OrganisationID != 0 {
		org = in.OrganisationID
	}
	if actor.SignedIn() {
		by = actor.UserID
	}
	var out Enrolment
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockSession(ctx, tx, s.db.Dialect(), sessionID); err != nil {
			return err
		}
		var taken, confirmed, last, capacity int
		err := tx.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN email = $2 AND status <> 'cancelled' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0),
			coalesce(max(position), 0), (SELECT capacity FROM training_sessions WHERE id = $1)
			FROM training_enrolments WHERE session_id = $1`, sessionID, in.Email).Scan(&taken, &confirmed, &last, &capacity)
		if err != nil {
			return err
		}
		if taken > 0 {
			return ErrAlreadyEnrolled
		}
		status, position := Confirmed, any(nil)
		if confirmed >= capacity {
			status, position = Waitlisted, last+1
		}
		now := s.now()
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO training_enrolments (session_id, email, name, organisation_id, enrolled_by, member, status,
			position, token, code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			sessionID, in.Email, in.Name, org, by, member, string(status), position, newToken(), newCode(), now).Scan(&id)
		if store.IsUniqueViolation(err) {
			return ErrAlreadyEnrolled
		}
		if store.IsForeignKeyViolation(err) {
			return fieldErr("organisation", "cette organisation n’existe pas")
		}
		if err != nil {
			return fmt.Errorf("enrol: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.enrolled", Subject: fmt.Sprintf("session:%d", sessionID),
			Details: map[string]any{"enrolment": id, "status": string(status)}}); err != nil {
			return err
		}
		list, err := queryEnrolments(ctx, tx, "e.id = $1", id)
		if err != nil {
			return err
		}
		out = list[0]
		return s.tellEnrolled(ctx, tx, sess, out, "enrolled")
	})
	return out, err
}

// Enrolments lists a session's enrolments: all for staff, their
// organisation's for a member; confirmed first, then the waiting list.
func (s *Service) Enrolments(ctx context.Context, sessionID int64, actor access.Actor) ([]Enrolment, error) {
	where := "e.session_id = $1"
	args := []any{sessionID}
	switch {
	case actor.Staff():
	case actor.Is(access.Member) && actor.OrganisationID != 0:
		where += " AND e.organisation_id = $2"
		args = append(args, actor.OrganisationID)
	default:
		return nil, nil
	}
	return queryEnrolments(ctx, s.db, where+` ORDER BY CASE e.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END,
		coalesce(e.position, 0), lower(e.name), e.id`, args...)
}

// Trainee returns the enrolment of a personal link, its session and training.
func (s *Service) Trainee(ctx context.Context, token string) (Enrolment, Session, Training, error) {
	if token == "" || len(token) > 64 {
		return Enrolment{}, Session{}, Training{}, store.NotFound("enrolment")
	}
	list, err := queryEnrolments(ctx, s.db, "e.token = $1", token)
	if err != nil {
		return Enrolment{}, Session{}, Training{}, err
	}
	if len(list) == 0 {
		return Enrolment{}, Session{}, Training{}, store.NotFound("enrolment")
	}
	sess, err := s.getSession(ctx, s.db, list[0].SessionID)
	if err != nil {
		return Enrolment{}, Session{}, Training{}, err
	}
	t, err := getTraining(ctx, s.db, sess.TrainingID)
	return list[0], sess, t, err
}

// CancelEnrolment cancels enrolment id, by staff or a member of its
// organisation; a freed seat goes to the first on the waiting list until
// the session starts.
func (s *Service) CancelEnrolment(ctx context.Context, id int64, actor access.Actor) error {
	list, err := queryEnrolments(ctx, s.db, "e.id = $1", id)
	if err != nil {
		return err
	}
	if len(list) == 0 || !actor.Staff() && !(actor.Is(access.Member) && actor.ActsFor(list[0].OrganisationID)) {
		return store.NotFound("enrolment %d", id)
	}
	en := list[0]
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockSession(ctx, tx, s.db.Dialect(), en.SessionID); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status <> 'cancelled'`, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.cancelled", Subject: fmt.Sprintf("session:%d", en.SessionID),
			Details: map[string]any{"enrolment": id}}); err != nil {
			return err
		}
		sess, err := s.getSession(ctx, tx, en.SessionID)
		if err != nil || !now.Before(sess.Start()) || sess.Seats() == 0 {
			return err
		}
		next, err := queryEnrolments(ctx, tx, fmt.Sprintf("e.session_id = $1 AND e.status = 'waitlisted' ORDER BY e.position LIMIT %d", sess.Seats()), en.SessionID)
		if err != nil {
			return err
		}
		for _, w := range next {
			if _, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET status = 'confirmed', updated_at = $1 WHERE id = $2`, now, w.ID); err != nil {
				return err
			}
			w.Status = Confirmed
			if err := s.tellEnrolled(ctx, tx, sess, w, "promoted"); err != nil {
				return err
			}
		}
		return nil
	})
}

// notice is the data of the event_notice email template.
type notice struct {
	Name, Subject, Action, URL string
	Lines                      []string
}

func (s *Service) send(ctx context.Context, tx *sql.Tx, en Enrolment, key string, n notice, files ...mailbox.Attachment) error {
	n.Name = en.Name
	if n.URL == "" {
		n.URL, n.Action = s.baseURL+"/emargement/"+en.Token, "Mon espace stagiaire"
	}
	m, err := mailbox.Compose(en.Email, key, "event_notice", n)
	if err != nil {
		return err
	}
	m.Attachments = files
	return mailbox.Enqueue(ctx, tx, m)
}

func (s *Service) tellEnrolled(ctx context.Context, tx *sql.Tx, sess Session, en Enrolment, kind string) error {
	n := notice{Subject: "Inscription confirmée : " + sess.TrainingTitle}
	switch {
	case en.Status == Waitlisted:
		n.Subject = "Liste d’attente : " + sess.TrainingTitle
		n.Lines = []string{"La session est complète : vous êtes en liste d’attente, en position " + fr.Int(int64(en.Position)) + ". Vous serez prévenu par courriel si une place se libère."}
	case kind == "promoted":
		n.Subject = "Une place s’est libérée : " + sess.TrainingTitle
		n.Lines = []string{"Une place s’est libérée : votre inscription est confirmée."}
	default:
		n.Lines = []string{"Votre inscription à la formation « " + sess.TrainingTitle + " » est confirmée."}
	}
	if en.Status == Confirmed {
		n.Lines = append(n.Lines, "La session commence le "+fr.DateTime(sess.Start())+". Votre convocation, avec le lien d’émargement, suivra une semaine avant.")
	}
	return s.send(ctx, tx, en, fmt.Sprintf("training-%s:%d", kind, en.ID), n)
}
