package need

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/mail"
	"vivier/internal/organisation"
	"vivier/internal/search"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Service reads and writes needs.
type Service struct {
	db      *store.DB
	geo     *geo.Reference
	index   *search.Index
	now     func() time.Time
	baseURL string
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Geo *geo.Reference // checks places
	// BaseURL is the public address of the site, for the link of the
	// confirmation email ("" leaves the link out).
	BaseURL string
	// Now is the clock; nil means time.Now (tests move it).
	Now func() time.Time
}

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: o.DB, geo: o.Geo, index: search.Needs(o.DB), baseURL: strings.TrimRight(o.BaseURL, "/"),
		now: func() time.Time { return now().UTC() }}
}

func subject(id int64) string { return fmt.Sprintf("need:%d", id) }

func (s *Service) checker(ctx context.Context, q store.Querier) (checker, error) {
	cat, err := skill.LoadCatalog(ctx, q)
	return checker{geo: s.geo, skills: cat}, err
}

// Validate checks in without writing (forms, import previews).
func (s *Service) Validate(ctx context.Context, in Input) (Input, error) {
	c, err := s.checker(ctx, s.db)
	if err != nil {
		return in, err
	}
	in, errs := c.normalise(in, false)
	return in, errs.Err()
}

// Create stores a need typed by a coordinator or sent through the API, as
// submitted. For staff the requester comes from requester_siren, or else
// from the commune (or its EPCI, see Input.Requester); a requester always
// asks in the name of their own organisation.
func (s *Service) Create(ctx context.Context, in Input, actor access.Actor) (Need, error) {
	switch {
	case actor.Staff():
	case actor.Is(access.Requester):
		org, err := organisation.Get(ctx, s.db, actor.OrganisationID)
		if errors.Is(err, store.ErrNotFound) || err == nil && org.SIREN == "" {
			return Need{}, valid.FieldError{Field: "requester_siren",
				Message: "votre organisation n’a pas de SIREN connu : demandez à la fédération de le renseigner"}
		}
		if err != nil {
			return Need{}, err
		}
		in.RequesterSIREN, in.Requester = org.SIREN, ""
	default:
		return Need{}, access.Deny("seuls la coordination et les demandeurs enregistrent un besoin par l’API")
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.create(ctx, tx, in, false, actor, "need.create")
		return err
	})
	if err != nil {
		return Need{}, err
	}
	return get(ctx, s.db, s.geo, id)
}

// ReceivedData is what the need_received email template reads.
type ReceivedData struct {
	Name, Title, Place, Window, Requester, URL string
	ID                                         int64
}

func (s *Service) confirm(ctx context.Context, tx *sql.Tx, n Need) error {
	data := ReceivedData{Name: n.Contact.Name, Title: n.Title, Place: n.CommuneName, Requester: n.RequesterName, ID: n.ID,
		Window: "du " + fr.Date(n.Start) + " au " + fr.Date(n.End)}
	if s.baseURL != "" {
		data.URL = s.baseURL + "/besoins/" + strconv.FormatInt(n.ID, 10)
	}
	m, err := mail.Compose(n.Contact.Email, fmt.Sprintf("need-received:%d", n.ID), "need_received", data)
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, m)
}

// create validates and inserts a need within tx.
func (s *Service) create(ctx context.Context, tx *sql.Tx, in Input, public bool, actor access.Actor, action string) (int64, error) {
	c, err := s.checker(ctx, tx)
	if err != nil {
		return 0, err
	}
	in, errs := c.normalise(in, public)
	if err := errs.Err(); err != nil {
		return 0, err
	}
	org, err := s.requester(ctx, tx, in)
	if err != nil {
		return 0, err
	}
	return s.insert(ctx, tx, c, in, org, actor, action)
}

// requester finds the organisation that asks.
func (s *Service) requester(ctx context.Context, tx *sql.Tx, in Input) (organisation.Organisation, error) {
	if in.RequesterSIREN != "" {
		return organisation.BySIREN(ctx, tx, s.geo, in.RequesterSIREN)
	}
	if in.Requester == "epci" {
		c, _ := s.geo.Commune(in.Commune)
		if c.EPCISIREN == "" {
			return organisation.Organisation{}, valid.FieldError{Field: "requester", Message: "cette commune n’appartient à aucune intercommunalité"}
		}
		return organisation.EnsureEPCI(ctx, tx, s.geo, c.EPCISIREN)
	}
	return organisation.EnsureCommune(ctx, tx, s.geo, in.Commune)
}

func (s *Service) insert(ctx context.Context, tx *sql.Tx, c checker, in Input, org organisation.Organisation, actor access.Actor, action string) (int64, error) {
	now := s.now()
	place, _ := s.geo.Commune(in.Commune)
	contact := in.Contact
	if contact == nil {
		contact = &Contact{}
	}
	var submittedBy any
	if actor.UserID != 0 {
		submittedBy = actor.UserID
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO needs (title, description, commune, requester_id, kind, start_date, end_date,
		days_per_week, max_daily_rate, format, languages, status, contact_name, contact_email, contact_phone, contact_role,
		submitted_by, created_at, updated_at, departement, epci_siren)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', $12, $13, $14, $15, $16, $17, $17, $18, $19) RETURNING id`,
		in.Title, in.Description, in.Commune, org.ID, string(in.Kind), in.Start, in.End, in.DaysPerWeek, nullInt(in.MaxDailyRate),
		string(in.Format), strings.Join(in.Languages, "|"), contact.Name, contact.Email, contact.Phone, contact.Role,
		submittedBy, now, place.DepartementCode, place.EPCISIREN).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert need: %w", err)
	}
	for _, sk := range in.Skills {
		if _, err := tx.ExecContext(ctx, `INSERT INTO need_skills (need_id, skill_code, min_level, required) VALUES ($1, $2, $3, $4)`,
			id, sk.Code, int(sk.MinLevel), sk.Required); err != nil {
			return 0, err
		}
	}
	if err := s.index.Put(ctx, tx, id, document(c, in.Title, in.Description, place.Name, org.Name, in.Skills)); err != nil {
		return 0, err
	}
	name, err := audit.ActorName(ctx, tx, actor, "formulaire public")
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO need_status_history (need_id, from_status, to_status, comment, actor_id, actor, created_at)
		VALUES ($1, '', 'submitted', '', $2, $3, $4)`, id, submittedBy, name, now); err != nil {
		return 0, err
	}
	details := map[string]any{"requester_id": org.ID}
	if in.ConsentWording != "" {
		details["contact_consent"] = in.ConsentWording
	}
	return id, audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: action, Subject: subject(id), Details: details})
}

// Qualify moves a submitted need to qualified.
func (s *Service) Qualify(ctx context.Context, id int64, comment string, actor access.Actor) error {
	return s.Transition(ctx, id, Qualified, comment, actor)
}

// Transition moves need id to status to, refusing a move that skips a step
// or leaves a closed need, with a French message on the field "status".
func (s *Service) Transition(ctx context.Context, id int64, to Status, comment string, actor access.Actor) error {
	if err := staffOn(ctx, s.db, s.geo, id, actor); err != nil {
		return err
	}
	comment = strings.TrimSpace(comment)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var from Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM needs WHERE id = $1`, id).Scan(&from); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return store.NotFound("need %d", id)
			}
			return err
		}
		if err := checkMove(from, to, comment); err != nil {
			return err
		}
		return move(ctx, tx, id, from, to, comment, actor, s.now())
	})
}

// MoveInTx moves need id from status from to status to inside the caller's
// transaction — a proposal or a mission changes together with its need —
// with the same rules, history line and audit entry as Transition. It does
// nothing when the need is no longer at from (another change came first).
func MoveInTx(ctx context.Context, tx *sql.Tx, id int64, from, to Status, actor access.Actor, now time.Time) error {
	var current Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM needs WHERE id = $1`, id).Scan(&current); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("need %d", id)
		}
		return err
	}
	if current != from {
		return nil
	}
	if err := checkMove(from, to, ""); err != nil {
		return err
	}
	return move(ctx, tx, id, from, to, "", actor, now)
}

// move writes a checked status change with its history line and audit entry.
func move(ctx context.Context, tx *sql.Tx, id int64, from, to Status, comment string, actor access.Actor, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE needs SET status = $1, updated_at = $2 WHERE id = $3`, string(to), now, id); err != nil {
		return err
	}
	name, err := audit.ActorName(ctx, tx, actor, "système")
	if err != nil {
		return err
	}
	var actorID any
	if actor.UserID != 0 {
		actorID = actor.UserID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO need_status_history (need_id, from_status, to_status, comment, actor_id, actor, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, string(from), string(to), comment, actorID, name, now); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "need.status", Subject: subject(id),
		Details: map[string]any{"from": string(from), "to": string(to)}})
}

func checkMove(from, to Status, comment string) error {
	var errs valid.Errors
	switch {
	case !to.valid():
		errs.Add("status", "statut %s inconnu", fr.Quote(string(to)))
	case from == to:
		errs.Add("status", "le besoin est déjà au statut « %s »", to.Label())
	case !from.Open():
		errs.Add("status", "le besoin est clos (%s) : il ne change plus de statut", from.Label())
	case from == Submitted && (to == Proposed || to == Assigned || to == Unfulfilled):
		errs.Add("status", "qualifiez d’abord le besoin : il ne peut pas passer de « déposé » à « %s »", to.Label())
	case from == Qualified && to == Assigned:
		errs.Add("status", "proposez d’abord des experts : le besoin ne peut pas passer de « qualifié » à « attribué »")
	case !CanMove(from, to):
		errs.Add("status", "un besoin « %s » ne peut pas passer à « %s »", from.Label(), to.Label())
	}
	if (to == Cancelled || to == Unfulfilled) && comment == "" {
		errs.Add("comment", "dites pourquoi : le motif reste dans l’historique du besoin")
	}
	return errs.Err()
}

// Get returns the need with id.
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Need, error) {
	return visibleTo(actor)(get(ctx, s.db, s.geo, id))
}

const selectNeed = `SELECT n.id, n.title, n.description, n.commune, n.departement, n.epci_siren, n.requester_id, o.name,
	coalesce(o.siren, ''), n.kind, n.start_date, n.end_date, n.days_per_week, n.max_daily_rate, n.format, n.languages,
	n.status, n.contact_name, n.contact_email, n.contact_phone, n.contact_role, coalesce(n.submitted_by, 0),
	n.created_at, n.updated_at
	FROM needs n JOIN organisations o ON o.id = n.requester_id`

func scanNeeds(rows *sql.Rows, ref *geo.Reference) ([]Need, error) {
	defer rows.Close()
	var out []Need
	for rows.Next() {
		var n Need
		var rate sql.NullInt64
		var langs string
		if err := rows.Scan(&n.ID, &n.Title, &n.Description, &n.Commune, &n.Departement, &n.EPCISIREN, &n.RequesterID, &n.RequesterName,
			&n.RequesterSIREN, &n.Kind, &n.Start, &n.End, &n.DaysPerWeek, &rate, &n.Format, &langs, &n.Status,
			&n.Contact.Name, &n.Contact.Email, &n.Contact.Phone, &n.Contact.Role, &n.SubmittedBy, &n.CreatedAt, &n.UpdatedAt); err != nil {
			return nil, err
		}
		if rate.Valid {
			v := int(rate.Int64)
			n.MaxDailyRate = &v
		}
		n.Languages = strings.Split(langs, "|")
		n.CreatedAt, n.UpdatedAt = n.CreatedAt.UTC(), n.UpdatedAt.UTC()
		if c, ok := ref.Commune(n.Commune); ok {
			n.CommuneName = c.Name
		}
		n.Skills = []WantedSkill{}
		out = append(out, n)
	}
	return out, rows.Err()
}

// document is the search text of a need: its title, description, commune,
// requester and the labels of its skills.
func document(c checker, title, description, communeName, requester string, skills []WantedSkill) string {
	parts := []string{title, description, communeName, requester}
	for _, sk := range skills {
		k, _ := c.skills.Lookup(sk.Code)
		parts = append(parts, k.Label)
	}
	return search.Document(parts...)
}

// ReindexSkill rewrites, within tx, the search documents of the needs that
// want the skill code (a skill.Reindexer: documents hold skill labels).
func (s *Service) ReindexSkill(ctx context.Context, tx *sql.Tx, code string) error {
	rows, err := tx.QueryContext(ctx, selectNeed+` WHERE n.id IN (SELECT k.need_id FROM need_skills k WHERE k.skill_code = $1)`, code)
	if err != nil {
		return err
	}
	list, err := scanNeeds(rows, s.geo)
	if err != nil {
		return err
	}
	if err := loadSkills(ctx, tx, list); err != nil {
		return err
	}
	c, err := s.checker(ctx, tx)
	if err != nil {
		return err
	}
	for _, n := range list {
		if err := s.index.Put(ctx, tx, n.ID, document(c, n.Title, n.Description, n.CommuneName, n.RequesterName, n.Skills)); err != nil {
			return err
		}
	}
	return nil
}

func get(ctx context.Context, q store.Querier, ref *geo.Reference, id int64) (Need, error) {
	rows, err := q.QueryContext(ctx, selectNeed+` WHERE n.id = $1`, id)
	if err != nil {
		return Need{}, err
	}
	list, err := scanNeeds(rows, ref)
	if err != nil {
		return Need{}, err
	}
	if len(list) == 0 {
		return Need{}, store.NotFound("need %d", id)
	}
	return list[0], loadSkills(ctx, q, list)
}

// loadSkills fills the wanted skills of list.
func loadSkills(ctx context.Context, q store.Querier, list []Need) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]string, len(list))
	byID := map[int64]*Need{}
	for i := range list {
		ids[i] = strconv.FormatInt(list[i].ID, 10)
		byID[list[i].ID] = &list[i]
	}
	// ids are integers read from the database: safe to inline.
	rows, err := q.QueryContext(ctx, `SELECT need_id, skill_code, min_level, required FROM need_skills
		WHERE need_id IN (`+strings.Join(ids, ", ")+`) ORDER BY need_id, required DESC, skill_code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var w WantedSkill
		if err := rows.Scan(&id, &w.Code, &w.MinLevel, &w.Required); err != nil {
			return err
		}
		byID[id].Skills = append(byID[id].Skills, w)
	}
	return rows.Err()
}

// History returns the status changes of need id, oldest first.
func (s *Service) History(ctx context.Context, id int64, actor access.Actor) ([]StatusChange, error) {
	if _, err := s.Get(ctx, id, actor); err != nil {
		return nil, err
	}
	return audit.StatusHistory[Status](ctx, s.db, "need_status_history", "need_id", id)
}

func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// Update replaces what a need asks (its status is changed with Transition;
// the requester and the contact stay). A closed need cannot be edited.
func (s *Service) Update(ctx context.Context, id int64, in Input, actor access.Actor) (Need, error) {
	if err := staffOn(ctx, s.db, s.geo, id, actor); err != nil {
		return Need{}, err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := get(ctx, tx, s.geo, id)
		if err != nil {
			return err
		}
		if !old.Status.Open() {
			return valid.FieldError{Field: "status", Message: fmt.Sprintf("le besoin est clos (%s) : il ne se modifie plus", old.Status.Label())}
		}
		c, err := s.checker(ctx, tx)
		if err != nil {
			return err
		}
		in, errs := c.normalise(in, false)
		if err := errs.Err(); err != nil {
			return err
		}
		place, _ := s.geo.Commune(in.Commune)
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE needs SET title = $1, description = $2, commune = $3, kind = $4, start_date = $5,
			end_date = $6, days_per_week = $7, max_daily_rate = $8, format = $9, languages = $10, departement = $11,
			epci_siren = $12, updated_at = $13 WHERE id = $14`,
			in.Title, in.Description, in.Commune, string(in.Kind), in.Start, in.End, in.DaysPerWeek, nullInt(in.MaxDailyRate),
			string(in.Format), strings.Join(in.Languages, "|"), place.DepartementCode, place.EPCISIREN, now, id); err != nil {
			return fmt.Errorf("update need %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM need_skills WHERE need_id = $1`, id); err != nil {
			return err
		}
		for _, sk := range in.Skills {
			if _, err := tx.ExecContext(ctx, `INSERT INTO need_skills (need_id, skill_code, min_level, required) VALUES ($1, $2, $3, $4)`,
				id, sk.Code, int(sk.MinLevel), sk.Required); err != nil {
				return err
			}
		}
		if err := s.index.Put(ctx, tx, id, document(c, in.Title, in.Description, place.Name, old.RequesterName, in.Skills)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "need.update", Subject: subject(id)})
	})
	if err != nil {
		return Need{}, err
	}
	return s.Get(ctx, id, actor)
}
