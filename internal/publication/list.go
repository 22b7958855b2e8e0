package publication

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/search"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Page sizes of the library.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Filter narrows List; zero fields do not filter.
type Filter struct {
	Text     string    // French full-text query (title, summary, kind, themes, co-authors)
	Kind     Kind      // one kind
	Theme    string    // one skill domain
	Year     int       // published that year
	From, To date.Date // published in this period, both days included
	Audience Audience  // staff only: one audience
	Page     int       // from 1
	PageSize int       // 1 to MaxPageSize, DefaultPageSize when 0
}

// List is one page of publications.
type List struct {
	Publications []Publication
	Total        int
	Page         int
	PageSize     int
}

const selectPublication = `SELECT p.id, p.title, p.kind, p.summary, p.published_on, p.audience, p.link, p.created_at, p.updated_at,
	coalesce(f.filename, ''), coalesce(f.size, 0),
	coalesce((SELECT sum(d.downloads) FROM publication_downloads d WHERE d.publication_id = p.id), 0)
	FROM publications p LEFT JOIN publication_files f ON f.publication_id = p.id`

// Get returns the publication id, if actor may see it.
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Publication, error) {
	list, err := s.query(ctx, s.db, "p.id = $1", "", id)
	if err != nil {
		return Publication{}, err
	}
	if len(list) == 0 {
		return Publication{}, store.NotFound("publication %d", id)
	}
	return visible(list[0], actor)
}

// List returns the page of publications that match f and that actor may
// see, latest first: the public ones for anyone, all of them for staff and
// members. A filter value that means nothing is an error naming its field.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) (List, error) {
	var errs valid.Errors
	if f.Kind != "" && !f.Kind.valid() {
		errs.Add("kind", "type de publication inconnu")
	}
	if f.Theme != "" {
		if d, ok := skill.DomainOf(f.Theme); !ok || d.Code != f.Theme {
			errs.Add("theme", "thème inconnu : choisissez-en un dans la liste")
		}
	}
	if f.Year != 0 && (f.Year < 1990 || f.Year > 9999) {
		errs.Add("year", "écrivez l’année, 2026 par exemple")
	}
	if f.Audience != "" && !f.Audience.valid() {
		errs.Add("audience", "public inconnu : public ou members")
	}
	errs.Text("q", f.Text, 200, false)
	if f.Page < 1 {
		f.Page = 1
	}
	switch {
	case f.PageSize == 0:
		f.PageSize = DefaultPageSize
	case f.PageSize < 1 || f.PageSize > MaxPageSize:
		errs.Add("page_size", "de 1 à %d publications par page", MaxPageSize)
	}
	if f.Page > 10000 {
		errs.Add("page", "page trop lointaine")
	}
	if err := errs.Err(); err != nil {
		return List{}, err
	}
	if !mayRead(actor, Members) {
		f.Audience = Public
	}
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.Kind != "" {
		add("p.kind = $?", string(f.Kind))
	}
	if f.Theme != "" {
		add("p.id IN (SELECT publication_id FROM publication_themes WHERE domain = $?)", f.Theme)
	}
	if f.Year != 0 {
		add("p.published_on >= $?", date.Date{Year: f.Year, Month: 1, Day: 1})
		add("p.published_on <= $?", date.Date{Year: f.Year, Month: 12, Day: 31})
	}
	if !f.From.IsZero() {
		add("p.published_on >= $?", f.From)
	}
	if !f.To.IsZero() {
		add("p.published_on <= $?", f.To)
	}
	if f.Audience != "" {
		add("p.audience = $?", string(f.Audience))
	}
	if cond, arg, ok := search.Publications(s.db).Condition("p.id", len(args)+1, f.Text); ok {
		args = append(args, arg)
		conds = append(conds, cond)
	}
	where := "1 = 1"
	if len(conds) > 0 {
		where = strings.Join(conds, " AND ")
	}
	out := List{Page: f.Page, PageSize: f.PageSize}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM publications p WHERE `+where, args...).Scan(&out.Total); err != nil {
		return List{}, fmt.Errorf("count publications: %w", err)
	}
	// LIMIT and OFFSET stay in the text (see docs/architecture.md).
	page := fmt.Sprintf(" ORDER BY p.published_on DESC, p.id DESC LIMIT %d OFFSET %d", f.PageSize, (f.Page-1)*f.PageSize)
	var err error
	out.Publications, err = s.query(ctx, s.db, where, page, args...)
	return out, err
}

// query reads the publications matching where, with their themes and
// co-authors.
func (s *Service) query(ctx context.Context, q store.Querier, where, tail string, args ...any) ([]Publication, error) {
	rows, err := q.QueryContext(ctx, selectPublication+" WHERE "+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list publications: %w", err)
	}
	var out []Publication
	index := map[int64]int{}
	for rows.Next() {
		var p Publication
		if err := rows.Scan(&p.ID, &p.Title, &p.Kind, &p.Summary, &p.PublishedOn, &p.Audience, &p.Link, &p.CreatedAt, &p.UpdatedAt,
			&p.FileName, &p.FileSize, &p.Downloads); err != nil {
			rows.Close()
			return nil, err
		}
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		p.Themes, p.CoAuthors = []string{}, []Author{}
		index[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]string, 0, len(out))
	for _, p := range out {
		ids = append(ids, strconv.FormatInt(p.ID, 10))
	}
	// The ids are integers read just above, safe in the text.
	in := "(" + strings.Join(ids, ", ") + ")"
	if err := store.EachRow(ctx, q, `SELECT publication_id, domain FROM publication_themes WHERE publication_id IN `+in+` ORDER BY domain`,
		func(scan func(...any) error) error {
			var id int64
			var d string
			if err := scan(&id, &d); err != nil {
				return err
			}
			p := &out[index[id]]
			p.Themes = append(p.Themes, d)
			return nil
		}); err != nil {
		return nil, err
	}
	err = store.EachRow(ctx, q, `SELECT a.publication_id, o.id, o.name, o.kind FROM publication_authors a JOIN organisations o ON o.id = a.organisation_id
		WHERE a.publication_id IN `+in+` ORDER BY o.id`, func(scan func(...any) error) error {
		var id int64
		var a Author
		if err := scan(&id, &a.ID, &a.Name, &a.Kind); err != nil {
			return err
		}
		p := &out[index[id]]
		p.CoAuthors = append(p.CoAuthors, a)
		return nil
	})
	return out, err
}

// Between returns every publication published between from and to (both
// days included), oldest first, whatever its audience; staff only. It is
// what the activity report counts.
func (s *Service) Between(ctx context.Context, from, to date.Date, actor access.Actor) ([]Publication, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	return s.query(ctx, s.db, "p.published_on >= $1 AND p.published_on <= $2", " ORDER BY p.published_on, p.id", from, to)
}

// ByAuthors returns, for each organisation, the publications it
// co-authored on one of domains (any theme when domains is empty); staff
// only. The delegation helper reads it as experience.
func (s *Service) ByAuthors(ctx context.Context, domains []string, actor access.Actor) (map[int64][]Publication, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	list, err := s.query(ctx, s.db, "p.id IN (SELECT publication_id FROM publication_authors)", " ORDER BY p.published_on DESC, p.id DESC")
	if err != nil {
		return nil, err
	}
	out := map[int64][]Publication{}
	for _, p := range list {
		if len(domains) > 0 && !overlaps(p.Themes, domains) {
			continue
		}
		for _, a := range p.CoAuthors {
			out[a.ID] = append(out[a.ID], p)
		}
	}
	return out, nil
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// AuthorChoices lists the organisations that may co-author a publication
// (member agencies and partners), by name; staff only, for the form.
func (s *Service) AuthorChoices(ctx context.Context, actor access.Actor) ([]Author, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	var out []Author
	err := store.EachRow(ctx, s.db, `SELECT id, name, kind FROM organisations WHERE kind IN ('agence', 'partenaire') ORDER BY name, id`,
		func(scan func(...any) error) error {
			var a Author
			err := scan(&a.ID, &a.Name, &a.Kind)
			out = append(out, a)
			return err
		})
	return out, err
}
