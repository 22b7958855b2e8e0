package press

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Limits of a mention's fields.
const (
	MaxOutlet = 200
	MaxTitle  = 500
	MaxTopic  = 300
	MaxCited  = 50
)

// normalise returns in cleaned and every invalid value, named as in the
// API; the cited agencies and experts are checked through q.
func (s *Service) normalise(ctx context.Context, q store.Querier, in Input) (Input, valid.Errors, error) {
	var errs valid.Errors
	in.Outlet = strings.TrimSpace(in.Outlet)
	in.Title = strings.TrimSpace(in.Title)
	in.URL = strings.TrimSpace(in.URL)
	in.Topic = strings.TrimSpace(in.Topic)
	if errs.Text("outlet", in.Outlet, MaxOutlet, false) && in.Outlet == "" {
		errs.Add("outlet", "indiquez le média, « Ouest-France » par exemple")
	}
	if !in.Scope.valid() {
		errs.Add("scope", "choisissez la portée : national, regional ou trade")
	}
	today := s.today()
	switch {
	case in.PublishedOn.IsZero():
		errs.Add("published_on", "indiquez la date de parution")
	case in.PublishedOn.Year < 1990 || in.PublishedOn.After(today.AddDays(1)):
		errs.Add("published_on", "la date de parution doit être comprise entre 1990 et aujourd’hui")
	}
	if errs.Text("title", in.Title, MaxTitle, false) && in.Title == "" {
		errs.Add("title", "indiquez le titre de l’article")
	}
	errs.WebAddress("url", in.URL)
	errs.Text("topic", in.Topic, MaxTopic, false)
	var err error
	if in.Agencies, err = existing(ctx, q, &errs, "agencies", in.Agencies,
		`SELECT count(*) FROM organisations WHERE id = $1 AND kind = 'agence'`, "aucune agence n’a le numéro %d"); err != nil {
		return in, nil, err
	}
	if in.Experts, err = existing(ctx, q, &errs, "experts", in.Experts,
		`SELECT count(*) FROM experts WHERE id = $1`, "aucun expert n’a le numéro %d"); err != nil {
		return in, nil, err
	}
	return in, errs, nil
}

// existing returns ids sorted without repeats, recording on field each id
// that query (counting the row of $1) does not find.
func existing(ctx context.Context, q store.Querier, errs *valid.Errors, field string, ids []int64, query, missing string) ([]int64, error) {
	out := []int64{}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > MaxCited {
		errs.Add(field, "%d au plus", MaxCited)
		return out, nil
	}
	slices.Sort(out)
	for _, id := range out {
		var n int
		if err := q.QueryRowContext(ctx, query, id).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			errs.Add(field, missing, id)
		}
	}
	return out, nil
}

// Create stores a mention; staff only. The same article (outlet, day,
// title) twice is refused on the title.
func (s *Service) Create(ctx context.Context, in Input, actor access.Actor) (Mention, error) {
	if err := staffOnly(actor); err != nil {
		return Mention{}, err
	}
	in, errs, err := s.normalise(ctx, s.db, in)
	if err != nil {
		return Mention{}, err
	}
	if err := errs.Err(); err != nil {
		return Mention{}, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var err error
		if id, err = insert(ctx, tx, in, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "press.create", Subject: subject(id),
			Details: map[string]any{"scope": string(in.Scope)}})
	})
	if store.IsUniqueViolation(err) {
		return Mention{}, valid.Errors{{Field: "title", Message: "cet article de ce média à cette date est déjà enregistré"}}
	}
	if err != nil {
		return Mention{}, err
	}
	return s.Get(ctx, id, actor)
}

func insert(ctx context.Context, tx *sql.Tx, in Input, now any) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO press_mentions (outlet, scope, published_on, title, url, topic, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, in.Outlet, string(in.Scope), in.PublishedOn, in.Title, in.URL, in.Topic, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, writeCited(ctx, tx, id, in)
}

func writeCited(ctx context.Context, tx *sql.Tx, id int64, in Input) error {
	for _, table := range []string{"press_mention_agencies", "press_mention_experts"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE mention_id = $1`, id); err != nil {
			return err
		}
	}
	for _, o := range in.Agencies {
		if _, err := tx.ExecContext(ctx, `INSERT INTO press_mention_agencies (mention_id, organisation_id) VALUES ($1, $2)`, id, o); err != nil {
			return err
		}
	}
	for _, e := range in.Experts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO press_mention_experts (mention_id, expert_id) VALUES ($1, $2)`, id, e); err != nil {
			return err
		}
	}
	return nil
}

// Update replaces mention id with in; staff only. Nothing changed is no
// change: no write, no audit entry.
func (s *Service) Update(ctx context.Context, id int64, in Input, actor access.Actor) (Mention, error) {
	old, err := s.Get(ctx, id, actor)
	if err != nil {
		return Mention{}, err
	}
	in, errs, err := s.normalise(ctx, s.db, in)
	if err != nil {
		return Mention{}, err
	}
	if err := errs.Err(); err != nil {
		return Mention{}, err
	}
	if same(old, in) {
		return old, nil
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE press_mentions SET outlet = $1, scope = $2, published_on = $3, title = $4, url = $5, topic = $6,
			updated_at = $7 WHERE id = $8`, in.Outlet, string(in.Scope), in.PublishedOn, in.Title, in.URL, in.Topic, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("press mention %d", id)
		}
		if err := writeCited(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "press.update", Subject: subject(id)})
	})
	if store.IsUniqueViolation(err) {
		return Mention{}, valid.Errors{{Field: "title", Message: "cet article de ce média à cette date est déjà enregistré"}}
	}
	if err != nil {
		return Mention{}, err
	}
	return s.Get(ctx, id, actor)
}

func same(m Mention, in Input) bool {
	return m.Outlet == in.Outlet && m.Scope == in.Scope && m.PublishedOn == in.PublishedOn && m.Title == in.Title &&
		m.URL == in.URL && m.Topic == in.Topic && slices.Equal(ids(m.Agencies), in.Agencies) && slices.Equal(ids(m.Experts), in.Experts)
}

func ids(list []Cited) []int64 {
	out := make([]int64, len(list))
	for i, c := range list {
		out[i] = c.ID
	}
	return out
}

// Get returns mention id; staff only (« not found » to anyone else).
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Mention, error) {
	if err := staffRecord(id, actor); err != nil {
		return Mention{}, err
	}
	list, err := query(ctx, s.db, "m.id = $1", id)
	if err != nil {
		return Mention{}, err
	}
	if len(list) == 0 {
		return Mention{}, store.NotFound("press mention %d", id)
	}
	return list[0], nil
}

// Filter narrows List; zero fields do not filter.
type Filter struct {
	From, To date.Date // published in this period, both days included
	Scope    Scope
	Outlet   string // exactly this outlet
}

// List returns the mentions that match f, latest first; staff only.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) ([]Mention, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	if f.Scope != "" && !f.Scope.valid() {
		return nil, valid.Errors{{Field: "scope", Message: "portée inconnue : national, regional ou trade"}}
	}
	conds, args := []string{"1 = 1"}, []any{}
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if !f.From.IsZero() {
		add("m.published_on >= $?", f.From)
	}
	if !f.To.IsZero() {
		add("m.published_on <= $?", f.To)
	}
	if f.Scope != "" {
		add("m.scope = $?", string(f.Scope))
	}
	if f.Outlet != "" {
		add("m.outlet = $?", f.Outlet)
	}
	return query(ctx, s.db, strings.Join(conds, " AND "), args...)
}

// query reads the mentions matching where, latest first, with the agencies
// and experts they cite.
func query(ctx context.Context, q store.Querier, where string, args ...any) ([]Mention, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.outlet, m.scope, m.published_on, m.title, m.url, m.topic, m.created_at, m.updated_at
		FROM press_mentions m WHERE `+where+` ORDER BY m.published_on DESC, m.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("list press mentions: %w", err)
	}
	var out []Mention
	index := map[int64]int{}
	for rows.Next() {
		var m Mention
		if err := rows.Scan(&m.ID, &m.Outlet, &m.Scope, &m.PublishedOn, &m.Title, &m.URL, &m.Topic, &m.CreatedAt, &m.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
		m.Agencies, m.Experts = []Cited{}, []Cited{}
		index[m.ID] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	list := make([]string, len(out))
	for i, m := range out {
		list[i] = strconv.FormatInt(m.ID, 10)
	}
	// The ids are integers read just above, safe in the text.
	in := "(" + strings.Join(list, ", ") + ")"
	for _, c := range []struct {
		query string
		to    func(m *Mention, c Cited)
	}{
		{`SELECT a.mention_id, o.id, o.name FROM press_mention_agencies a JOIN organisations o ON o.id = a.organisation_id
			WHERE a.mention_id IN ` + in + ` ORDER BY o.id`, func(m *Mention, c Cited) { m.Agencies = append(m.Agencies, c) }},
		{`SELECT x.mention_id, e.id, e.first_name || ' ' || e.last_name FROM press_mention_experts x JOIN experts e ON e.id = x.expert_id
			WHERE x.mention_id IN ` + in + ` ORDER BY e.id`, func(m *Mention, c Cited) { m.Experts = append(m.Experts, c) }},
	} {
		rows, err := q.QueryContext(ctx, c.query)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var x Cited
			if err := rows.Scan(&id, &x.ID, &x.Name); err != nil {
				rows.Close()
				return nil, err
			}
			x.Name = strings.TrimSpace(x.Name)
			c.to(&out[index[id]], x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Count is one line of the figures: a scope or an outlet and its mentions.
type Count struct {
	Key, Label string
	Value      int
}

// Figures are the press figures of a period: what the press page shows
// and what the activity report counts, computed once here.
type Figures struct {
	From, To date.Date
	// Total is the number of mentions published in the period.
	Total int
	// ByScope counts them by scope, every scope listed (zero included).
	ByScope []Count
	// ByOutlet counts them by outlet, most mentions first, then by name.
	ByOutlet []Count
	// Mentions are the period's mentions, latest first.
	Mentions []Mention
}

// Scope returns the count of scope sc.
func (f Figures) Scope(sc Scope) int {
	for _, c := range f.ByScope {
		if c.Key == string(sc) {
			return c.Value
		}
	}
	return 0
}

// Figures computes the figures of the period from..to (both days
// included); staff only.
func (s *Service) Figures(ctx context.Context, from, to date.Date, actor access.Actor) (Figures, error) {
	list, err := s.List(ctx, Filter{From: from, To: to}, actor)
	if err != nil {
		return Figures{}, err
	}
	f := Figures{From: from, To: to, Total: len(list), Mentions: list}
	byScope, byOutlet := map[Scope]int{}, map[string]int{}
	for _, m := range list {
		byScope[m.Scope]++
		byOutlet[m.Outlet]++
	}
	for _, sc := range Scopes() {
		f.ByScope = append(f.ByScope, Count{Key: string(sc), Label: sc.Label(), Value: byScope[sc]})
	}
	for o, n := range byOutlet {
		f.ByOutlet = append(f.ByOutlet, Count{Key: o, Label: o, Value: n})
	}
	sort.Slice(f.ByOutlet, func(i, j int) bool {
		a, b := f.ByOutlet[i], f.ByOutlet[j]
		if a.Value != b.Value {
			return a.Value > b.Value
		}
		return a.Label < b.Label
	})
	return f, nil
}

// AgencyChoices lists the agencies an article may cite, by name; staff
// only, for the form.
func (s *Service) AgencyChoices(ctx context.Context, actor access.Actor) ([]Cited, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM organisations WHERE kind = 'agence' ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Cited
	for rows.Next() {
		var c Cited
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
