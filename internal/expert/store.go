package expert

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"vivier/internal/access"
	"vivier/internal/geo"
	"vivier/internal/search"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Service reads and writes the expert pool.
type Service struct {
	db      *store.DB
	geo     *geo.Reference
	index   *search.Index
	dialect store.Dialect
	now     func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Geo *geo.Reference // checks communes and zones
	// Now is the clock; nil means time.Now (tests move it).
	Now func() time.Time
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: o.DB, geo: o.Geo, index: search.Experts(o.DB), dialect: o.DB.Dialect(),
		now: func() time.Time { return now().UTC() }}
}

func subject(id int64) string { return fmt.Sprintf("expert:%d", id) }

// checker loads the skill taxonomy for one operation.
func (s *Service) checker(ctx context.Context, q store.Querier) (checker, error) {
	cat, err := skill.LoadCatalog(ctx, q)
	if err != nil {
		return checker{}, err
	}
	return checker{geo: s.geo, skills: cat}, nil
}

// Validate checks and normalises a profile without writing anything, for
// forms that show errors before saving and for import previews.
func (s *Service) Validate(ctx context.Context, p Profile) (Profile, error) {
	c, err := s.checker(ctx, s.db)
	if err != nil {
		return p, err
	}
	p, errs := c.normalise(p)
	return p, errs.Err()
}

// Create adds an expert as a candidate (staff only). An empty Reference
// gets "EXP-<id>". The email and the reference must not be used by another
// expert.
func (s *Service) Create(ctx context.Context, p Profile, actor access.Actor) (Expert, error) {
	if err := staffOnly(actor); err != nil {
		return Expert{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		generated := p.Reference == ""
		if generated {
			p.Reference = fmt.Sprintf("tmp-%d", time.Now().UnixNano())
		}
		var err error
		if id, err = s.saveChecked(ctx, tx, nil, p, actor); err != nil {
			return err
		}
		if generated {
			_, err = tx.ExecContext(ctx, `UPDATE experts SET reference = $1 WHERE id = $2`, fmt.Sprintf("EXP-%d", id), id)
		}
		return err
	})
	if err != nil {
		return Expert{}, err
	}
	return s.Get(ctx, id, actor)
}

// Update replaces the profile of expert id (its status is changed with
// SetStatus): staff any profile, an expert their own, whose reference they
// cannot change. An empty Reference keeps the current one.
func (s *Service) Update(ctx context.Context, id int64, p Profile, actor access.Actor) (Expert, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := visibleTo(actor)(getOne(ctx, tx, `e.id = $1`, id))
		if err != nil {
			return err
		}
		if strings.TrimSpace(p.Reference) == "" || !actor.Staff() {
			p.Reference = old.Reference
		}
		_, err = s.saveChecked(ctx, tx, &old, p, actor)
		return err
	})
	if err != nil {
		return Expert{}, err
	}
	return s.Get(ctx, id, actor)
}

// saveChecked normalises the profile p of a form or the API, checks that
// its reference and email belong to no other expert, and writes it within
// tx: a new candidate when old is nil, else over old (whose status stays).
// It returns the expert's id.
func (s *Service) saveChecked(ctx context.Context, tx *sql.Tx, old *Expert, p Profile, actor access.Actor) (int64, error) {
	c, err := s.checker(ctx, tx)
	if err != nil {
		return 0, err
	}
	p, errs := c.normalise(p)
	status, self := Candidate, int64(0)
	if old != nil {
		status, self = old.Status, old.ID
	}
	if err := s.checkUnique(ctx, tx, &errs, p, self); err != nil {
		return 0, err
	}
	if err := errs.Err(); err != nil {
		return 0, err
	}
	w, err := s.newWriter(ctx, tx, c, actor, "form")
	if err != nil {
		return 0, err
	}
	defer w.close()
	id, err := w.save(old, p, status, "")
	if err != nil {
		return 0, err
	}
	return id, w.flush()
}

// checkUnique adds an error when another expert than id holds p's email or
// reference.
func (s *Service) checkUnique(ctx context.Context, q store.Querier, errs *valid.Errors, p Profile, id int64) error {
	var other string
	err := q.QueryRowContext(ctx, `SELECT reference FROM experts WHERE email = $1 AND id <> $2`, p.Email, id).Scan(&other)
	switch {
	case err == nil:
		errs.Add("email", "l’adresse %s est déjà celle de l’expert %s", p.Email, other)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	err = q.QueryRowContext(ctx, `SELECT reference FROM experts WHERE reference = $1 AND id <> $2`, p.Reference, id).Scan(&other)
	switch {
	case err == nil:
		errs.Add("reference", "la référence %s est déjà celle d’un autre expert", p.Reference)
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	return nil
}

// Get returns the expert with id, if actor may see it.
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Expert, error) {
	return visibleTo(actor)(getOne(ctx, s.db, `e.id = $1`, id))
}

// ByReference returns the expert with the external reference ref, if actor
// may see it.
func (s *Service) ByReference(ctx context.Context, ref string, actor access.Actor) (Expert, error) {
	return visibleTo(actor)(getOne(ctx, s.db, `e.reference = $1`, strings.TrimSpace(ref)))
}

// Mine returns the expert profile linked to actor's account; « not found »
// when there is none.
func (s *Service) Mine(ctx context.Context, actor access.Actor) (Expert, error) {
	if actor.UserID == 0 {
		return Expert{}, store.NotFound("expert profile of an anonymous visitor")
	}
	return getOne(ctx, s.db, `e.user_id = $1`, actor.UserID)
}

// expertFields are what scanExpert reads of an expert e, for queries that
// choose their own FROM (the list's).
const expertFields = `e.id, e.reference, coalesce(e.user_id, 0), e.first_name, e.last_name, e.email, e.phone,
	e.employment, e.employer_siren, e.commune, e.daily_rate, e.experience_years, e.languages, e.bio, e.status,
	e.consent_at, e.retain_until, e.archived_at, e.created_at, e.updated_at,
	EXISTS (SELECT 1 FROM expert_cvs c WHERE c.expert_id = e.id)`

const selectExpert = `SELECT ` + expertFields + `
	FROM experts e`

func scanExpert(row interface{ Scan(...any) error }) (Expert, error) {
	var e Expert
	var rate, exp sql.NullInt64
	var consent, archived sql.NullTime
	var langs string
	err := row.Scan(&e.ID, &e.Reference, &e.UserID, &e.FirstName, &e.LastName, &e.Email, &e.Phone,
		&e.Employment, &e.EmployerSIREN, &e.Commune, &rate, &exp, &langs, &e.Bio, &e.Status,
		&consent, &e.RetainUntil, &archived, &e.CreatedAt, &e.UpdatedAt, &e.HasCV)
	if err != nil {
		return e, err
	}
	e.DailyRate = intPtr(rate)
	e.ExperienceYears = intPtr(exp)
	e.ConsentAt = timePtr(consent)
	e.ArchivedAt = timePtr(archived)
	e.Languages = splitList(langs)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.Zones, e.Skills, e.Availability = []string{}, []SkillLevel{}, []Period{}
	return e, nil
}

func getOne(ctx context.Context, q store.Querier, where string, arg any) (Expert, error) {
	list, err := load(ctx, q, where, arg)
	if err != nil {
		return Expert{}, err
	}
	if len(list) == 0 {
		return Expert{}, store.NotFound("expert %v", arg)
	}
	return list[0], nil
}

// load reads the experts matching where, with their zones, skills and
// periods.
func load(ctx context.Context, q store.Querier, where string, args ...any) ([]Expert, error) {
	rows, err := q.QueryContext(ctx, selectExpert+` WHERE `+where+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load experts: %w", err)
	}
	defer rows.Close()
	var list []Expert
	for rows.Next() {
		e, err := scanExpert(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, loadDetails(ctx, q, list, `expert_id IN (SELECT e.id FROM experts e WHERE `+where+`)`, args...)
}

// loadDetails fills the zones, skills and periods of list, whose experts
// are those selected by the condition on expert_id.
func loadDetails(ctx context.Context, q store.Querier, list []Expert, cond string, args ...any) error {
	byID := make(map[int64]*Expert, len(list))
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	each := func(query string, scan func(rows *sql.Rows, e *Expert) error) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("load expert details: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e Expert
			if err := scan(rows, &e); err != nil {
				return err
			}
			if target := byID[e.ID]; target != nil {
				target.Zones = append(target.Zones, e.Zones...)
				target.Skills = append(target.Skills, e.Skills...)
				target.Availability = append(target.Availability, e.Availability...)
			}
		}
		return rows.Err()
	}
	err := each(`SELECT expert_id, zone FROM expert_zones WHERE `+cond+` ORDER BY expert_id, zone`, func(rows *sql.Rows, e *Expert) error {
		var z string
		err := rows.Scan(&e.ID, &z)
		e.Zones = []string{z}
		return err
	})
	if err != nil {
		return err
	}
	err = each(`SELECT expert_id, skill_code, level FROM expert_skills WHERE `+cond+` ORDER BY expert_id, skill_code`, func(rows *sql.Rows, e *Expert) error {
		var s SkillLevel
		err := rows.Scan(&e.ID, &s.Code, &s.Level)
		e.Skills = []SkillLevel{s}
		return err
	})
	if err != nil {
		return err
	}
	return each(`SELECT expert_id, start_date, end_date, days_per_week FROM expert_availability WHERE `+cond+` ORDER BY expert_id, start_date`, func(rows *sql.Rows, e *Expert) error {
		var p Period
		err := rows.Scan(&e.ID, &p.Start, &p.End, &p.DaysPerWeek)
		e.Availability = []Period{p}
		return err
	})
}

// sortName folds "last first" to lower case without accents, so that the
// list sorts the same on both engines: "Élodie Émery" → "emery elodie".
func sortName(last, first string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(last + " " + first)) {
		if r < 0x300 || r > 0x36f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "|")
}
