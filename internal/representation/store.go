package representation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Limits of an act's fields.
const (
	MaxBody    = 300
	MaxTopic   = 500
	MaxSummary = 20000
)

// normalise returns in cleaned and every invalid value, named as in the
// API; the publication of a note is checked through q.
func (s *Service) normalise(ctx context.Context, q store.Querier, in Input) (Input, valid.Errors, error) {
	var errs valid.Errors
	in.Body = strings.TrimSpace(in.Body)
	in.Topic = strings.TrimSpace(in.Topic)
	in.Summary = strings.TrimSpace(strings.ReplaceAll(in.Summary, "\r\n", "\n"))
	if !in.Kind.valid() {
		errs.Add("kind", "choisissez : audition, réunion ou note remise")
	}
	if errs.Text("body", in.Body, MaxBody, false) && in.Body == "" {
		errs.Add("body", "indiquez l’instance (« Commission des affaires économiques du Sénat »)")
	}
	if !in.BodyKind.valid() {
		errs.Add("body_kind", "choisissez le type d’instance")
	}
	switch {
	case in.HeldOn.IsZero():
		errs.Add("held_on", "indiquez la date de l’audition, de la réunion ou de la remise de la note")
	case in.HeldOn.Year < 2000 || in.HeldOn.After(s.today().AddDays(366)):
		errs.Add("held_on", "la date doit être comprise entre 2000 et l’an prochain")
	}
	if errs.Text("topic", in.Topic, MaxTopic, false) && in.Topic == "" {
		errs.Add("topic", "indiquez le sujet abordé")
	}
	errs.Text("summary", in.Summary, MaxSummary, true)
	in.Domains = domains(&errs, in.Domains)
	if in.PublicationID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM publications WHERE id = $1`, in.PublicationID).Scan(&n); err != nil {
			return in, nil, err
		}
		if n == 0 {
			errs.Add("publication_id", "aucune publication n’a le numéro %d", in.PublicationID)
		}
	}
	return in, errs, nil
}

// domains returns the skill domains of list, sorted without repeats,
// recording the unknown ones.
func domains(errs *valid.Errors, list []string) []string {
	out := []string{}
	for _, d := range list {
		d = strings.TrimSpace(d)
		if d == "" || slices.Contains(out, d) {
			continue
		}
		if dom, ok := skill.DomainOf(d); !ok || dom.Code != d {
			errs.Add("domains", "thème %q inconnu : attractivite, filieres, entreprises, management ou strategie", d)
			continue
		}
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

// Create records an act; staff only.
func (s *Service) Create(ctx context.Context, in Input, actor access.Actor) (Act, error) {
	if err := staffOnly(actor); err != nil {
		return Act{}, err
	}
	in, errs, err := s.normalise(ctx, s.db, in)
	if err != nil {
		return Act{}, err
	}
	if err := errs.Err(); err != nil {
		return Act{}, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO representations (kind, body, body_kind, held_on, topic, summary, publication_id, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, string(in.Kind), in.Body, string(in.BodyKind), in.HeldOn, in.Topic,
			in.Summary, nullID(in.PublicationID), nullID(actor.UserID), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create representation: %w", err)
		}
		if err := writeDomains(ctx, tx, id, in.Domains); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "representation.create", Subject: subject(id),
			Details: map[string]any{"kind": string(in.Kind)}})
	})
	if err != nil {
		return Act{}, err
	}
	return s.Get(ctx, id, actor)
}

func writeDomains(ctx context.Context, tx *sql.Tx, id int64, list []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM representation_domains WHERE representation_id = $1`, id); err != nil {
		return err
	}
	for _, d := range list {
		if _, err := tx.ExecContext(ctx, `INSERT INTO representation_domains (representation_id, domain) VALUES ($1, $2)`, id, d); err != nil {
			return err
		}
	}
	return nil
}

// Update replaces act id with in; staff only. A hearing with a delegation
// stays a hearing. Nothing changed is no change: no write, no audit entry.
func (s *Service) Update(ctx context.Context, id int64, in Input, actor access.Actor) (Act, error) {
	old, err := s.Get(ctx, id, actor)
	if err != nil {
		return Act{}, err
	}
	in, errs, err := s.normalise(ctx, s.db, in)
	if err != nil {
		return Act{}, err
	}
	if old.Kind == Hearing && in.Kind != Hearing && len(old.Agencies) > 0 {
		errs.Add("kind", "cette audition a une délégation : retirez ses agences avant d’en changer le type")
	}
	if err := errs.Err(); err != nil {
		return Act{}, err
	}
	if old.Kind == in.Kind && old.Body == in.Body && old.BodyKind == in.BodyKind && old.HeldOn == in.HeldOn && old.Topic == in.Topic &&
		old.Summary == in.Summary && slices.Equal(old.Domains, in.Domains) && old.PublicationID == in.PublicationID {
		return old, nil
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE representations SET kind = $1, body = $2, body_kind = $3, held_on = $4, topic = $5, summary = $6,
			publication_id = $7, updated_at = $8 WHERE id = $9`, string(in.Kind), in.Body, string(in.BodyKind), in.HeldOn, in.Topic, in.Summary,
			nullID(in.PublicationID), now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("representation %d", id)
		}
		if err := writeDomains(ctx, tx, id, in.Domains); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "representation.update", Subject: subject(id)})
	})
	if err != nil {
		return Act{}, err
	}
	return s.Get(ctx, id, actor)
}

// Get returns act id with its delegation and documents; staff only
// (« not found » to anyone else).
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Act, error) {
	if err := staffRecord(id, actor); err != nil {
		return Act{}, err
	}
	list, err := query(ctx, s.db, "r.id = $1", id)
	if err != nil {
		return Act{}, err
	}
	if len(list) == 0 {
		return Act{}, store.NotFound("representation %d", id)
	}
	return list[0], nil
}

// Filter narrows List; zero fields do not filter.
type Filter struct {
	From, To date.Date // held in this period, both days included
	Kind     Kind
}

// List returns the acts that match f, latest first; staff only.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) ([]Act, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	if f.Kind != "" && !f.Kind.valid() {
		return nil, valid.Errors{{Field: "kind", Message: "type inconnu : hearing, meeting ou note"}}
	}
	conds, args := []string{"1 = 1"}, []any{}
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if !f.From.IsZero() {
		add("r.held_on >= $?", f.From)
	}
	if !f.To.IsZero() {
		add("r.held_on <= $?", f.To)
	}
	if f.Kind != "" {
		add("r.kind = $?", string(f.Kind))
	}
	return query(ctx, s.db, strings.Join(conds, " AND "), args...)
}

// query reads the acts matching where, latest first, with their themes,
// delegation, people and documents.
func query(ctx context.Context, q store.Querier, where string, args ...any) ([]Act, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.kind, r.body, r.body_kind, r.held_on, r.topic, r.summary, coalesce(r.publication_id, 0),
		coalesce(p.title, ''), r.created_at, r.updated_at
		FROM representations r LEFT JOIN publications p ON p.id = r.publication_id WHERE `+where+` ORDER BY r.held_on DESC, r.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("list representations: %w", err)
	}
	var out []Act
	index := map[int64]int{}
	for rows.Next() {
		var a Act
		if err := rows.Scan(&a.ID, &a.Kind, &a.Body, &a.BodyKind, &a.HeldOn, &a.Topic, &a.Summary, &a.PublicationID, &a.PublicationTitle,
			&a.CreatedAt, &a.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
		a.Domains, a.Agencies, a.People, a.Documents = []string{}, []Delegate{}, []Person{}, []Document{}
		index[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]string, len(out))
	for i, a := range out {
		ids[i] = strconv.FormatInt(a.ID, 10)
	}
	// The ids are integers read just above, safe in the text.
	in := "(" + strings.Join(ids, ", ") + ")"
	at := func(id int64) *Act { return &out[index[id]] }
	parts := []struct {
		query string
		read  func(scan func(...any) error) error
	}{
		{`SELECT representation_id, domain FROM representation_domains WHERE representation_id IN ` + in + ` ORDER BY domain`,
			func(scan func(...any) error) error {
				var id int64
				var d string
				err := scan(&id, &d)
				at(id).Domains = append(at(id).Domains, d)
				return err
			}},
		{`SELECT d.representation_id, o.id, o.name, d.reason FROM delegation_agencies d JOIN organisations o ON o.id = d.organisation_id
			WHERE d.representation_id IN ` + in + ` ORDER BY o.name, o.id`,
			func(scan func(...any) error) error {
				var id int64
				var x Delegate
				err := scan(&id, &x.ID, &x.Name, &x.Reason)
				at(id).Agencies = append(at(id).Agencies, x)
				return err
			}},
		{`SELECT p.representation_id, p.id, p.name, p.role, coalesce(p.organisation_id, 0), coalesce(o.name, '')
			FROM delegation_people p LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.representation_id IN ` + in + ` ORDER BY p.id`,
			func(scan func(...any) error) error {
				var id int64
				var x Person
				err := scan(&id, &x.ID, &x.Name, &x.Role, &x.OrganisationID, &x.Organisation)
				at(id).People = append(at(id).People, x)
				return err
			}},
		{`SELECT representation_id, id, filename, size, uploaded_at FROM representation_documents WHERE representation_id IN ` + in + ` ORDER BY id`,
			func(scan func(...any) error) error {
				var id int64
				var x Document
				err := scan(&id, &x.ID, &x.Filename, &x.Size, &x.UploadedAt)
				x.UploadedAt = x.UploadedAt.UTC()
				at(id).Documents = append(at(id).Documents, x)
				return err
			}},
	}
	for _, p := range parts {
		if err := store.EachRow(ctx, q, p.query, p.read); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// kindOf reads the kind of act id in q; « not found » when there is none.
func kindOf(ctx context.Context, q store.Querier, id int64) (Kind, error) {
	var k Kind
	err := q.QueryRowContext(ctx, `SELECT kind FROM representations WHERE id = $1`, id).Scan(&k)
	if errors.Is(err, sql.ErrNoRows) {
		return "", store.NotFound("representation %d", id)
	}
	return k, err
}

// AgencyChoices lists the agencies that may join a delegation, by name;
// staff only, for the forms.
func (s *Service) AgencyChoices(ctx context.Context, actor access.Actor) ([]Delegate, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	var out []Delegate
	err := store.EachRow(ctx, s.db, `SELECT id, name FROM organisations WHERE kind = 'agence' ORDER BY name, id`, func(scan func(...any) error) error {
		var d Delegate
		err := scan(&d.ID, &d.Name)
		out = append(out, d)
		return err
	})
	return out, err
}
