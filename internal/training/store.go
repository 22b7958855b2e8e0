package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/markdown"
	"vivier/internal/store"
	"vivier/internal/valid"
)

func parisLoc() *time.Location { return date.Paris() }

func dateOf(t time.Time) date.Date { return date.Of(t) }

const selectTraining = `SELECT id, title, kind, programme, objectives, prerequisites, hours, price_member, price_other, partner FROM trainings`

func scanTraining(sc interface{ Scan(...any) error }) (Training, error) {
	var t Training
	err := sc.Scan(&t.ID, &t.Title, &t.Kind, &t.Programme, &t.Objectives, &t.Prerequisites, &t.Hours, &t.PriceMember, &t.PriceOther, &t.Partner)
	return t, err
}

func getTraining(ctx context.Context, q store.Querier, id int64) (Training, error) {
	t, err := scanTraining(q.QueryRowContext(ctx, selectTraining+` WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, store.NotFound("training %d", id)
	}
	return t, err
}

// List returns the catalogue, by title.
func (s *Service) List(ctx context.Context, actor access.Actor) ([]Training, error) {
	rows, err := s.db.QueryContext(ctx, selectTraining+` ORDER BY lower(title), id`)
	if err != nil {
		return nil, fmt.Errorf("list trainings: %w", err)
	}
	defer rows.Close()
	var out []Training
	for rows.Next() {
		t, err := scanTraining(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Get returns a training and its sessions, soonest first.
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Training, []Session, error) {
	t, err := getTraining(ctx, s.db, id)
	if err != nil {
		return t, nil, err
	}
	sessions, err := s.sessionsWhere(ctx, s.db, "s.training_id = $1", id)
	return t, sessions, err
}

// Label names training id for staff (the counterparts of partners link to it).
func (s *Service) Label(ctx context.Context, id int64, actor access.Actor) (string, error) {
	if err := staffOnly(actor); err != nil {
		return "", err
	}
	t, err := getTraining(ctx, s.db, id)
	return t.Title + " (" + t.Kind.Label() + ")", err
}

// TrainingInput is a training as staff write it.
type TrainingInput = Training

func text(errs *valid.Errors, field, s string, max int) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		errs.Add(field, "le texte contient des caractères illisibles (octets invalides ou nuls)")
	case utf8.RuneCountInString(s) > max:
		errs.Add(field, "%s caractères au plus (ici %s)", fr.Int(int64(max)), fr.Int(int64(utf8.RuneCountInString(s))))
	}
	return s
}

// CreateTraining adds a training and returns its id.
func (s *Service) CreateTraining(ctx context.Context, in TrainingInput, actor access.Actor) (int64, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	var errs valid.Errors
	in.Title = text(&errs, "title", in.Title, 200)
	if in.Title == "" && !errs.Has("title") {
		errs.Add("title", "donnez un titre à la formation")
	}
	if in.Kind == "" {
		in.Kind = Course
	}
	if in.Kind != Course && in.Kind != MOOC {
		errs.Add("kind", "type inconnu : course ou mooc")
	}
	in.Programme = text(&errs, "programme", in.Programme, markdown.MaxSource)
	in.Objectives = text(&errs, "objectives", in.Objectives, 5000)
	in.Prerequisites = text(&errs, "prerequisites", in.Prerequisites, 2000)
	if in.Hours <= 0 || in.Hours > 2000 {
		errs.Add("hours", "la durée est un nombre d’heures entre 0,5 et 2 000")
	}
	if in.PriceMember < 0 || in.PriceMember > 100000 {
		errs.Add("price_member", "le prix est un montant en euros entre 0 et 100 000")
	}
	if in.PriceOther < 0 || in.PriceOther > 100000 {
		errs.Add("price_other", "le prix est un montant en euros entre 0 et 100 000")
	}
	in.Partner = text(&errs, "partner", in.Partner, 200)
	if len(errs) > 0 {
		return 0, errs
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO trainings (title, kind, programme, objectives, prerequisites, hours, price_member, price_other,
			partner, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			in.Title, string(in.Kind), in.Programme, in.Objectives, in.Prerequisites, in.Hours, in.PriceMember, in.PriceOther, in.Partner, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create training: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.created", Subject: fmt.Sprintf("training:%d", id)})
	})
	return id, err
}

// SessionInput is a session as staff plan it.
type SessionInput struct {
	Commune   string // INSEE code, "" online
	Address   string
	OnlineURL string
	Trainer   string
	Capacity  int
	HalfDays  []Slot
}

// Slot is a half-day's start and end.
type Slot struct{ Start, End time.Time }

// HalfDaysOf splits days into half-days, 9 h – 12 h 30 and 14 h – 17 h 30
// in Paris: the usual hours of a training day.
func HalfDaysOf(days []date.Date) []Slot {
	var out []Slot
	at := func(d date.Date, h, m int) time.Time {
		return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, date.Paris()).UTC()
	}
	for _, d := range days {
		out = append(out, Slot{at(d, 9, 0), at(d, 12, 30)}, Slot{at(d, 14, 0), at(d, 17, 30)})
	}
	return out
}

// AddSession plans a session of training trainingID and returns its id.
func (s *Service) AddSession(ctx context.Context, trainingID int64, in SessionInput, actor access.Actor) (int64, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	if _, err := getTraining(ctx, s.db, trainingID); err != nil {
		return 0, err
	}
	var errs valid.Errors
	in.Commune = strings.ToUpper(strings.TrimSpace(in.Commune))
	if in.Commune != "" {
		if _, ok := s.geo.Commune(in.Commune); !ok {
			errs.Add("commune", "aucune commune n’a le code INSEE « %s »", in.Commune)
		}
	}
	in.Address = text(&errs, "address", in.Address, 300)
	in.OnlineURL = strings.TrimSpace(in.OnlineURL)
	if in.OnlineURL != "" {
		if u, err := url.Parse(in.OnlineURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs.Add("online_url", "le lien doit être une adresse web complète, commençant par https://")
		}
	}
	if in.Commune == "" && in.OnlineURL == "" && !errs.Has("commune") && !errs.Has("online_url") {
		errs.Add("commune", "indiquez le lieu (une commune) ou le lien de la classe virtuelle")
	}
	in.Trainer = text(&errs, "trainer", in.Trainer, 200)
	if in.Trainer == "" && !errs.Has("trainer") {
		errs.Add("trainer", "indiquez le formateur ou la formatrice")
	}
	if in.Capacity < 1 || in.Capacity > 1000 {
		errs.Add("capacity", "la capacité est un nombre de places entre 1 et 1 000")
	}
	switch {
	case len(in.HalfDays) == 0:
		errs.Add("days", "indiquez au moins une journée")
	case len(in.HalfDays) > 60:
		errs.Add("days", "une session compte 60 demi-journées au plus")
	}
	for i, h := range in.HalfDays {
		if !h.End.After(h.Start) || h.End.Sub(h.Start) > 6*time.Hour || h.Start.Year() < 2000 || h.Start.Year() > 2100 {
			errs.Add("days", "demi-journée %d : la fin doit suivre le début, six heures au plus", i+1)
			break
		}
	}
	if len(errs) > 0 {
		return 0, errs
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO training_sessions (training_id, commune, address, online_url, trainer, trainer_token,
			capacity, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			trainingID, in.Commune, in.Address, in.OnlineURL, in.Trainer, newToken(), in.Capacity, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		for _, h := range in.HalfDays {
			_, err := tx.ExecContext(ctx, `INSERT INTO training_halfdays (session_id, starts_at, ends_at, room_token) VALUES ($1, $2, $3, $4)`,
				id, h.Start.UTC(), h.End.UTC(), newToken())
			if store.IsUniqueViolation(err) {
				return fieldErr("days", "deux demi-journées commencent au même moment")
			}
			if err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.session_created", Subject: fmt.Sprintf("training:%d", trainingID),
			Details: map[string]any{"session": id}})
	})
	return id, err
}

const selectSession = `SELECT s.id, s.training_id, t.title, s.commune, s.address, s.online_url, s.trainer, s.trainer_token, s.capacity,
	(SELECT count(*) FROM training_enrolments e WHERE e.session_id = s.id AND e.status = 'confirmed'),
	(SELECT count(*) FROM training_enrolments e WHERE e.session_id = s.id AND e.status = 'waitlisted')
	FROM training_sessions s JOIN trainings t ON t.id = s.training_id`

func (s *Service) sessionsWhere(ctx context.Context, q store.Querier, where string, args ...any) ([]Session, error) {
	rows, err := q.QueryContext(ctx, selectSession+" WHERE "+where+" ORDER BY s.id", args...)
	if err != nil {
		return nil, fmt.Errorf("read sessions: %w", err)
	}
	var out []Session
	for rows.Next() {
		var x Session
		if err := rows.Scan(&x.ID, &x.TrainingID, &x.TrainingTitle, &x.Commune, &x.Address, &x.OnlineURL, &x.Trainer, &x.TrainerToken,
			&x.Capacity, &x.Confirmed, &x.Waitlisted); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].HalfDays, err = halfDays(ctx, q, out[i].ID); err != nil {
			return nil, err
		}
	}
	// Soonest first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Start().Before(out[j-1].Start()); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

func halfDays(ctx context.Context, q store.Querier, sessionID int64) ([]HalfDay, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, session_id, starts_at, ends_at, room_token, countersigned_at FROM training_halfdays
		WHERE session_id = $1 ORDER BY starts_at`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HalfDay
	for rows.Next() {
		var h HalfDay
		var cs sql.NullTime
		if err := rows.Scan(&h.ID, &h.SessionID, &h.StartsAt, &h.EndsAt, &h.RoomToken, &cs); err != nil {
			return nil, err
		}
		h.StartsAt, h.EndsAt = h.StartsAt.UTC(), h.EndsAt.UTC()
		if cs.Valid {
			t := cs.Time.UTC()
			h.CountersignedAt = &t
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

func (s *Service) getSession(ctx context.Context, q store.Querier, id int64) (Session, error) {
	list, err := s.sessionsWhere(ctx, q, "s.id = $1", id)
	if err != nil {
		return Session{}, err
	}
	if len(list) == 0 {
		return Session{}, store.NotFound("session %d", id)
	}
	return list[0], nil
}

// Session returns a session of the catalogue.
func (s *Service) Session(ctx context.Context, id int64, actor access.Actor) (Session, error) {
	return s.getSession(ctx, s.db, id)
}

// lockSession takes session id's row lock for the rest of tx (see
// store.Dialect.ForUpdate).
func lockSession(ctx context.Context, tx *sql.Tx, d store.Dialect, id int64) error {
	var got int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM training_sessions WHERE id = $1`+d.ForUpdate(), id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return store.NotFound("session %d", id)
	}
	return err
}
