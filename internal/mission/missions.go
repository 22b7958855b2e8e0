package mission

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/mail"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/store"
)

// Mission is a stored mission with the facts its pages show.
type Mission struct {
	ID            int64
	NeedID        int64
	NeedTitle     string
	NeedKind      string
	OrgID         int64 // the first requester organisation
	OrgName       string
	ExpertID      int64
	ExpertName    string
	ExpertUser    int64
	Status        Status
	Start, End    date.Date
	PlannedDays   int
	DaysPerWeek   int
	DailyRate     int
	Domain        string
	Commune       string
	Employer      Employer
	EmployerEmail string
	EmployerNote  string
	Report        string
	Handover      string // the handover note of an interim direction
	CreatedAt     time.Time
	LoggedHalves  int // half days logged
}

// LoggedDays is the days logged, in days (½ steps).
func (m Mission) LoggedDays() float64 { return float64(m.LoggedHalves) / 2 }

// Cost is the days (logged, else planned) times the daily rate, in euros.
func (m Mission) Cost() int {
	if m.LoggedHalves > 0 {
		return m.LoggedHalves * m.DailyRate / 2
	}
	return m.PlannedDays * m.DailyRate
}

const selectMission = `SELECT m.id, m.need_id, n.title, n.kind, n.requester_id, o.name, m.expert_id, e.first_name, e.last_name,
	coalesce(e.user_id, 0), m.status, m.start_date, m.end_date, m.planned_days, m.days_per_week, m.daily_rate, m.domain, m.commune,
	m.employer, m.employer_email, m.employer_note, m.closing_report, m.handover_note, m.created_at,
	coalesce((SELECT sum(d.half_days) FROM mission_days d WHERE d.mission_id = m.id), 0)
	FROM missions m JOIN needs n ON n.id = m.need_id JOIN organisations o ON o.id = n.requester_id JOIN experts e ON e.id = m.expert_id`

func queryMissions(ctx context.Context, q store.Querier, where string, args ...any) ([]Mission, error) {
	rows, err := q.QueryContext(ctx, selectMission+" WHERE "+where+" ORDER BY m.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mission
	for rows.Next() {
		var m Mission
		var first, last string
		if err := rows.Scan(&m.ID, &m.NeedID, &m.NeedTitle, &m.NeedKind, &m.OrgID, &m.OrgName, &m.ExpertID, &first, &last,
			&m.ExpertUser, &m.Status, &m.Start, &m.End, &m.PlannedDays, &m.DaysPerWeek, &m.DailyRate, &m.Domain, &m.Commune,
			&m.Employer, &m.EmployerEmail, &m.EmployerNote, &m.Report, &m.Handover, &m.CreatedAt, &m.LoggedHalves); err != nil {
			return nil, err
		}
		m.ExpertName = strings.TrimSpace(first + " " + last)
		m.CreatedAt = m.CreatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// Get returns the mission with id, if actor may see it.
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Mission, error) {
	return visibleMission(ctx, s.db, id, actor)
}

func getMission(ctx context.Context, q store.Querier, id int64) (Mission, error) {
	list, err := queryMissions(ctx, q, "m.id = $1", id)
	if err != nil {
		return Mission{}, err
	}
	if len(list) == 0 {
		return Mission{}, store.NotFound("mission %d", id)
	}
	return list[0], nil
}

// Filter narrows List: zero fields do not filter.
type Filter struct {
	ExpertID       int64
	OrganisationID int64 // missions serving this requester organisation
	Status         Status
}

// List returns the missions that match f and that actor may see, newest
// first: all for staff, their own for an expert, those serving their
// organisation for a requester.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) ([]Mission, error) {
	switch {
	case actor.Staff():
	case actor.Is(access.Expert):
		id, err := ownExpertID(ctx, s.db, actor)
		if err != nil {
			return nil, err
		}
		f.ExpertID = id
	case actor.Is(access.Requester):
		f.OrganisationID = actor.OrganisationID
		if f.OrganisationID == 0 {
			return nil, nil
		}
	default:
		return nil, access.Deny("les missions ne sont pas visibles pour votre rôle")
	}
	where, args := []string{"1 = 1"}, []any{}
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	if f.ExpertID != 0 {
		where = append(where, "m.expert_id = "+arg(f.ExpertID))
	}
	if f.OrganisationID != 0 {
		where = append(where, "m.id IN (SELECT mission_id FROM mission_needs WHERE organisation_id = "+arg(f.OrganisationID)+")")
	}
	if f.Status != "" {
		where = append(where, "m.status = "+arg(string(f.Status)))
	}
	return queryMissions(ctx, s.db, strings.Join(where, " AND "), args...)
}

func itoa(n int) string { return subject("", int64(n))[1:] }

// serves reports whether the mission serves the requester organisation.
func serves(ctx context.Context, q store.Querier, missionID, orgID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM mission_needs WHERE mission_id = $1 AND organisation_id = $2`, missionID, orgID).Scan(&n)
	return n > 0, err
}

// RequestEmployer sends the employer contact of an en_poste expert a
// single-use link to agree to the mission or refuse it. Asking again sends
// a new link (the previous one stops working). It returns the link's token.
func (s *Service) RequestEmployer(ctx context.Context, id int64, email string, actor access.Actor) (string, error) {
	if _, err := staffMission(ctx, s.db, id, actor); err != nil {
		return "", err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return "", fieldErr("employer_email", "saisissez l’adresse électronique du contact de l’employeur, par exemple drh@agence.fr")
	}
	token := newToken()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Employer != Awaited && m.Employer != Asked {
			return fieldErr("employer_email", "l’accord de l’employeur est « %s » : il n’y a rien à demander", m.Employer.Label())
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE missions SET employer = 'asked', employer_email = $1, employer_token = $2, updated_at = $3 WHERE id = $4`,
			email, hashToken(token), now, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.employer_asked", Subject: subject("mission", id)}); err != nil {
			return err
		}
		return s.notify(ctx, tx, email, "", "employer-ask:"+hashToken(token),
			notice{Subject: "Accord demandé : mission de " + m.ExpertName + " pour « " + m.NeedTitle + " »",
				Lines: []string{m.ExpertName + ", agent de votre structure, est retenu par " + m.OrgName + " pour une mission du réseau Vivier, " + window(m.Start, m.End) + ", " + itoa(m.PlannedDays) + " jours prévus.",
					"La mission ne peut commencer qu’avec votre accord. Ce lien ne sert qu’une fois."},
				Action: "Donner ou refuser mon accord"}, "/accord-employeur/"+token)
	})
	return token, err
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// ByEmployerToken returns the mission an employer's link is for; a link
// already used or replaced is not found.
func (s *Service) ByEmployerToken(ctx context.Context, token string) (Mission, error) {
	list, err := queryMissions(ctx, s.db, "m.employer_token = $1", hashToken(token))
	if err != nil {
		return Mission{}, err
	}
	if len(list) == 0 {
		return Mission{}, store.NotFound("employer link")
	}
	return list[0], nil
}

// EmployerAnswer records the employer's answer through the link. The link
// serves once: a replay returns ErrAnswered and changes nothing.
func (s *Service) EmployerAnswer(ctx context.Context, token string, agree bool, note string) error {
	note = strings.TrimSpace(note)
	if !agree && note == "" {
		return fieldErr("note", "dites pourquoi vous refusez : l’expert et la coordination en seront informés")
	}
	to := Refused
	if agree {
		to = Agreed
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM missions WHERE employer_token = $1`, hashToken(token)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("employer link")
		}
		if err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE missions SET employer = $1, employer_note = $2, employer_answered_at = $3, updated_at = $3
			WHERE id = $4 AND employer = 'asked'`, string(to), note, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAnswered
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Action: "mission.employer_" + string(to), Subject: subject("mission", id)}); err != nil {
			return err
		}
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		ex, err := expertPerson(ctx, tx, m.ExpertID)
		if err != nil {
			return err
		}
		lines := []string{"L’employeur a " + map[bool]string{true: "donné son accord", false: "refusé son accord"}[agree] + " pour la mission « " + m.NeedTitle + " »."}
		if note != "" {
			lines = append(lines, "Message : "+note)
		}
		n := notice{Subject: "Accord de l’employeur pour « " + m.NeedTitle + " » : " + to.Label(), Lines: lines}
		if err := s.notify(ctx, tx, ex.Email, ex.Name, subject("employer-"+string(to), id), n, idPath("/missions", id)); err != nil {
			return err
		}
		coord, err := coordinatorOf(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, coord.Email, coord.Name, subject("employer-"+string(to)+"-coordinator", id), n, idPath("/missions", id))
	})
}

// ToReview lists the delivered or closed missions serving the requester's
// organisation that it has not reviewed yet (none for other actors).
func (s *Service) ToReview(ctx context.Context, actor access.Actor) ([]Mission, error) {
	if !actor.Is(access.Requester) || actor.OrganisationID == 0 {
		return nil, nil
	}
	return queryMissions(ctx, s.db, `m.status IN ('delivered', 'closed')
		AND m.id IN (SELECT mission_id FROM mission_needs WHERE organisation_id = $1)
		AND m.id NOT IN (SELECT mission_id FROM mission_reviews WHERE organisation_id = $1)`, actor.OrganisationID)
}

// RateText is the mission's daily rate in French ("650 €").
func (m Mission) RateText() string { return fr.Euros(int64(m.DailyRate)) }

// DaysText writes a number of half days as days in French: "1", "0,5", "2,5".
func DaysText(halves int) string {
	if halves%2 == 0 {
		return fr.Int(int64(halves / 2))
	}
	return fr.Decimal(float64(halves)/2, 1)
}

// LoggedDaysText is the days logged, in French.
func (m Mission) LoggedDaysText() string { return DaysText(m.LoggedHalves) }
