package expert

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Sort orders the expert list.
type Sort string

// The orders of the list; ties always break on the id.
const (
	ByName       Sort = "name"       // last name then first name, accents ignored
	ByUpdated    Sort = "updated"    // most recently updated first
	ByRate       Sort = "rate"       // lowest daily rate first, none last
	ByExperience Sort = "experience" // most years first, none last
)

// Page sizes of the list.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Filter selects and orders experts for the coordinators' list. Zero fields
// do not filter.
type Filter struct {
	// Skill and MinLevel keep experts holding the skill at MinLevel or
	// more (MinLevel 0 means 1).
	Skill    string
	MinLevel skill.Level
	// Zone keeps the experts who accept to work there: for "dep:69",
	// experts whose zones include the département itself, its region or
	// national; for "reg:84", experts whose zones include the region, any
	// of its départements, or national (they can work somewhere in it);
	// for "national", experts who accept all of France.
	Zone   string
	Status Status
	// AvailableFrom–AvailableTo (both or neither) keep experts whose
	// periods cover every day of the window at DaysPerWeek days a week or
	// more (DaysPerWeek 0 means 1).
	AvailableFrom, AvailableTo date.Date
	DaysPerWeek                int
	// Text is a French full-text query over name, bio, skill labels and
	// home commune (package search): every word must match.
	Text string
	// HomeDepartement keeps experts living in that département ("69").
	HomeDepartement string
	Sort            Sort
	Page            int // from 1
	PageSize        int // 1 to MaxPageSize, DefaultPageSize when 0
	// CountUpTo, when positive, stops counting the matches there: Total is
	// then at most CountUpTo and More says there are others. Counting
	// every match of a broad filter over a large pool costs more than the
	// page itself; a person reads "more than 1,000" as well.
	CountUpTo int
	// Brief reads only what the coordinators' list shows of each expert:
	// reference, names, commune, rate, experience, status and skills (no
	// contact details, bio, zones or periods). Those are half of what a
	// page costs the database (docs/benchmarks.md, "Pool pages").
	Brief bool
}

// Page is one page of the list.
type Page struct {
	Experts  []Expert
	Total    int  // experts matching the filter, on every page (at most Filter.CountUpTo)
	More     bool // more than Total match (Filter.CountUpTo reached)
	Page     int
	PageSize int
}

// Pages returns the number of pages.
func (p Page) Pages() int { return (p.Total + p.PageSize - 1) / p.PageSize }

// query builds a WHERE clause with numbered parameters.
type query struct {
	where []string
	args  []any
	// sets are the filters that select a set of expert ids through their
	// own index (skill, text, availability, zone), most selective first.
	sets []set
}

// set is one filter written two ways: ids, a query of the matching expert
// ids read through the filter's index, and probe, a condition on one
// expert e read by its primary key.
type set struct {
	ids, probe string
	// ids names its column id. joinable says a count should join it to
	// experts, stopping after CountUpTo (an IN-subquery is read whole
	// first); repeats says an expert may come more than once.
	joinable, repeats bool
}

// probeClause is the clause with every set written as a probe: the plan
// for reading a broad filter's page in the list's order, probing experts
// until the page is full.
func (q *query) probeClause() string {
	var where []string
	for _, st := range q.sets {
		where = append(where, st.probe)
	}
	return joinWhere(append(where, q.where...))
}

// clause is the clause driven by the first (most selective) set: the
// database reads its ids through their index, then probes each expert for
// the other sets and conditions. Building the other sets, or intersecting
// them, would read every id of the broad ones (a region zone is a third
// of the pool).
func (q *query) clause() string {
	if len(q.sets) == 0 {
		return joinWhere(q.where)
	}
	where := []string{`e.id IN (` + q.sets[0].ids + `)`}
	for _, st := range q.sets[1:] {
		where = append(where, st.probe)
	}
	return joinWhere(append(where, q.where...))
}

func joinWhere(where []string) string {
	if len(where) == 0 {
		return "TRUE"
	}
	return strings.Join(where, " AND ")
}

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// fewMatches is the count under which List reads a page from the matches
// and sorts them, rather than in the list's order.
const fewMatches = 2000

// List returns the page of experts matching f, with their zones, skills and
// periods. An invalid filter is a validation error naming its field.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) (Page, error) {
	if err := staffOnly(actor); err != nil {
		return Page{}, err
	}
	q, order, err := s.build(&f)
	if err != nil {
		return Page{}, err
	}
	page := Page{Page: f.Page, PageSize: f.PageSize, Experts: []Expert{}}
	clause, err := s.count(ctx, q, f, &page)
	if err != nil {
		return Page{}, err
	}
	if page.Total == 0 {
		return page, nil
	}
	fields, scan := expertFields, scanExpert
	if f.Brief {
		fields, scan = briefFields, scanBrief
	}
	from, where := `experts e`, ` WHERE `+clause
	if fence := s.dialect.SubqueryFence(); fence != "" && !page.More && page.Total <= fewMatches {
		// Few matches: read them, then sort. The fenced subquery keeps
		// PostgreSQL from walking the whole list in order looking for
		// them (the name index for « Lefèvre »: 400 ms, the matches all
		// in one stretch of it).
		from, where = `(SELECT * FROM experts e WHERE `+clause+fence+`) e`, ``
	}
	query := `SELECT ` + fields + ` FROM ` + from + where + fmt.Sprintf(" ORDER BY %s LIMIT %d OFFSET %d", order, f.PageSize, (f.Page-1)*f.PageSize)
	rows, err := s.db.QueryContext(ctx, query, q.args...)
	if err != nil {
		return Page{}, fmt.Errorf("list experts: %w", err)
	}
	defer rows.Close()
	var ids []any
	marks := make([]string, 0, f.PageSize)
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return Page{}, err
		}
		page.Experts = append(page.Experts, e)
		ids = append(ids, e.ID)
		marks = append(marks, "$"+strconv.Itoa(len(ids)))
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	if len(ids) == 0 {
		return page, nil
	}
	// Parameters rather than the ids inlined: one statement text per page
	// size, which the database keeps prepared.
	err = loadPageDetails(ctx, s.db, page.Experts, f.Brief, `expert_id IN (`+strings.Join(marks, ", ")+`)`, ids...)
	return page, err
}

// count fills the total of page and returns the WHERE clause the page's
// query should use. It counts through the most selective set, probing the
// others, and stops past CountUpTo. When more than CountUpTo match, the
// filter is broad: the page then reads the experts in the list's order,
// probing each, which fills a page after a few (at least one expert in a
// hundred matches). Otherwise the page reads the few matches through the
// set and sorts them.
func (s *Service) count(ctx context.Context, q query, f Filter, page *Page) (string, error) {
	clause := q.clause()
	from, where := `experts e`, clause
	if len(q.sets) > 0 && q.sets[0].joinable {
		// The driving set joined to experts: the database reads its ids
		// as they come and stops after CountUpTo matches.
		var rest []string
		for _, st := range q.sets[1:] {
			rest = append(rest, st.probe)
		}
		from, where = `(`+q.sets[0].ids+`) d JOIN experts e ON e.id = d.id`, joinWhere(append(rest, q.where...))
	}
	distinct := ""
	if len(q.sets) > 0 && q.sets[0].joinable && q.sets[0].repeats {
		distinct = "DISTINCT "
	}
	count := fmt.Sprintf(`SELECT count(*) FROM (SELECT %se.id FROM %s WHERE %s) m`, distinct, from, where)
	if f.CountUpTo > 0 {
		count = fmt.Sprintf(`SELECT count(*) FROM (SELECT %se.id FROM %s WHERE %s LIMIT %d) m`, distinct, from, where, f.CountUpTo+1)
	}
	if err := s.db.QueryRowContext(ctx, count, q.args...).Scan(&page.Total); err != nil {
		return "", fmt.Errorf("count experts: %w", err)
	}
	if f.CountUpTo > 0 && page.Total > f.CountUpTo {
		page.Total, page.More = f.CountUpTo, true
		return q.probeClause(), nil
	}
	return clause, nil
}

// briefFields and scanBrief read what a brief list shows of an expert e.
const briefFields = `e.id, e.reference, e.first_name, e.last_name, e.commune, e.daily_rate, e.experience_years, e.status`

func scanBrief(row interface{ Scan(...any) error }) (Expert, error) {
	var e Expert
	var rate, exp sql.NullInt64
	err := row.Scan(&e.ID, &e.Reference, &e.FirstName, &e.LastName, &e.Commune, &rate, &exp, &e.Status)
	e.DailyRate, e.ExperienceYears = intPtr(rate), intPtr(exp)
	e.Skills = []SkillLevel{}
	return e, err
}

// pageDetails is the statement reading the details of a page's experts,
// whose ids cond selects, in one statement: a list page pays per
// statement, and the three of loadDetails were a third of its time. A brief
// page reads only the skills.
func pageDetails(brief bool, cond string) string {
	if brief {
		return `SELECT expert_id, 1 AS kind, skill_code AS code, level AS n, CAST(NULL AS DATE) AS start_date, CAST(NULL AS DATE) AS end_date FROM expert_skills WHERE ` + cond
	}
	return `SELECT expert_id, 0 AS kind, zone AS code, 0 AS n, CAST(NULL AS DATE) AS start_date, CAST(NULL AS DATE) AS end_date FROM expert_zones WHERE ` + cond + `
		UNION ALL SELECT expert_id, 1, skill_code, level, NULL, NULL FROM expert_skills WHERE ` + cond + `
		UNION ALL SELECT expert_id, 2, '', days_per_week, start_date, end_date FROM expert_availability WHERE ` + cond
}

// loadPageDetails fills the zones, skills and periods (brief: the skills)
// of the experts of a list page, selected by the condition on expert_id.
func loadPageDetails(ctx context.Context, q store.Querier, list []Expert, brief bool, cond string, args ...any) error {
	byID := make(map[int64]*Expert, len(list))
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	rows, err := q.QueryContext(ctx, pageDetails(brief, cond), args...)
	if err != nil {
		return fmt.Errorf("load expert details: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, n int
		var code string
		var start, end date.Date
		if err := rows.Scan(&id, &kind, &code, &n, &start, &end); err != nil {
			return fmt.Errorf("load expert details: %w", err)
		}
		e := byID[id]
		if e == nil {
			continue
		}
		switch kind {
		case 0:
			e.Zones = append(e.Zones, code)
		case 1:
			e.Skills = append(e.Skills, SkillLevel{Code: code, Level: skill.Level(n)})
		default:
			e.Availability = append(e.Availability, Period{Start: start, End: end, DaysPerWeek: n})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Sorted here rather than by the compound statement's ORDER BY,
	// which made the database merge-sort the three parts.
	for i := range list {
		e := &list[i]
		slices.Sort(e.Zones)
		slices.SortFunc(e.Skills, func(a, b SkillLevel) int { return strings.Compare(a.Code, b.Code) })
		slices.SortFunc(e.Availability, func(a, b Period) int { return a.Start.Compare(b.Start) })
	}
	return nil
}

// build checks f, fills its defaults and returns the WHERE clause and the
// ORDER BY of the list.
func (s *Service) build(f *Filter) (query, string, error) {
	var q query
	var errs valid.Errors
	if f.Page < 1 {
		f.Page = 1
	}
	switch {
	case f.PageSize == 0:
		f.PageSize = DefaultPageSize
	case f.PageSize < 0 || f.PageSize > MaxPageSize:
		errs.Add("page_size", "de 1 à %d experts par page", MaxPageSize)
	}
	// The sets go in the order the count should be driven by: the text
	// first, because its probe is the most expensive (the database builds
	// every match of the words before testing one expert), whereas the
	// others probe an expert by its primary key; then by their usual size:
	// one skill holds a few percent of the pool, an availability window
	// or a region zone a third.
	if sub, arg, ok := s.index.Match(len(q.args)+1, f.Text); ok {
		q.args = append(q.args, arg)
		// Joined by a count or tested with IN, as the engine plans it
		// better (see store.Dialect.JoinTextMatches).
		q.sets = append(q.sets, set{ids: sub, probe: `e.id IN (` + sub + `)`, joinable: s.dialect.JoinTextMatches()})
	}
	if f.Skill != "" {
		level := f.MinLevel
		if level == 0 {
			level = 1
		}
		if !level.Valid() {
			errs.Add("min_level", "le niveau va de 1 à 4")
		}
		code, lvl := q.arg(strings.TrimSpace(f.Skill)), q.arg(int(level))
		q.sets = append(q.sets, set{
			ids:      fmt.Sprintf(`SELECT k.expert_id AS id FROM expert_skills k WHERE k.skill_code = %s AND k.level >= %s`, code, lvl),
			joinable: true,
			probe:    fmt.Sprintf(`EXISTS (SELECT 1 FROM expert_skills k WHERE k.expert_id = e.id AND k.skill_code = %s AND k.level >= %s)`, code, lvl),
		})
	}
	s.availability(&q, &errs, f)
	if f.Zone != "" {
		zones, err := s.zoneFilter(f.Zone)
		if err != nil {
			errs.Add("zone", "%s", zoneMessage(f.Zone))
		} else {
			marks := make([]string, len(zones))
			for i, z := range zones {
				marks[i] = q.arg(z)
			}
			in := strings.Join(marks, ", ")
			q.sets = append(q.sets, set{
				ids:      `SELECT z.expert_id AS id FROM expert_zones z WHERE z.zone IN (` + in + `)`,
				joinable: true, repeats: true, // an expert naming the département and its region
				// Read through the expert's own few zones (the primary
				// key), not one lookup per zone of the list in the zone
				// index: see store.Dialect.NoIndex.
				probe: `EXISTS (SELECT 1 FROM expert_zones z WHERE z.expert_id = e.id AND ` + s.dialect.NoIndex("z.zone") + ` IN (` + in + `))`,
			})
		}
	}
	if f.Status != "" {
		if !f.Status.valid() {
			errs.Add("status", "statut %s inconnu", fr.Quote(string(f.Status)))
		}
		q.where = append(q.where, `e.status = `+q.arg(string(f.Status)))
	}
	if f.HomeDepartement != "" {
		q.where = append(q.where, `e.home_departement = `+q.arg(strings.ToUpper(strings.TrimSpace(f.HomeDepartement))))
	}
	order := map[Sort]string{
		ByName:       `e.sort_name, e.id`,
		"":           `e.sort_name, e.id`,
		ByUpdated:    `e.updated_at DESC, e.id DESC`,
		ByRate:       `e.daily_rate IS NULL, e.daily_rate, e.id`,
		ByExperience: `e.experience_years IS NULL, e.experience_years DESC, e.id`,
	}[f.Sort]
	if order == "" {
		errs.Add("sort", "tri %s inconnu : name, updated, rate ou experience", fr.Quote(string(f.Sort)))
	}
	return q, order, errs.Err()
}

func (s *Service) availability(q *query, errs *valid.Errors, f *Filter) {
	if f.AvailableFrom.IsZero() && f.AvailableTo.IsZero() {
		return
	}
	switch {
	case f.AvailableFrom.IsZero():
		errs.Add("available_from", "indiquez le début de la période")
		return
	case f.AvailableTo.IsZero():
		errs.Add("available_to", "indiquez la fin de la période")
		return
	case f.AvailableTo.Before(f.AvailableFrom):
		errs.Add("available_to", "la fin précède le début")
		return
	}
	days := f.DaysPerWeek
	if days == 0 {
		days = 1
	}
	if days < 1 || days > 5 {
		errs.Add("days_per_week", "de 1 à 5 jours par semaine")
		return
	}
	// Periods never overlap (see Period): the window is covered at >= days
	// when one span of that level or above (expert_spans, merged periods,
	// see spans) holds it whole.
	// days (1 to 5, checked above) is written in the statement as it is.
	from, to := q.arg(f.AvailableFrom), q.arg(f.AvailableTo)
	window := fmt.Sprintf(`sp.start_date <= %s AND sp.end_date >= %s`, from, to)
	levels := make([]string, 0, 5)
	for n := max(days, 1); n <= 5; n++ {
		levels = append(levels, strconv.Itoa(n))
	}
	q.sets = append(q.sets, set{
		// One index range per level (days_per_week IN, not >=, which
		// would read every span of the levels above).
		ids: `SELECT sp.expert_id AS id FROM expert_spans sp WHERE sp.days_per_week IN (` + strings.Join(levels, ", ") + `) AND ` + window,
		// A span and a wider one of a lower level may both hold it.
		joinable: true, repeats: true,
		// On the expert's own few spans (the primary key) rather than
		// the window index, which would read every span of the levels
		// for each expert probed: see store.Dialect.NoIndex.
		probe: `EXISTS (SELECT 1 FROM expert_spans sp WHERE sp.expert_id = e.id AND ` + s.dialect.NoIndex("sp.days_per_week") + ` >= ` + strconv.Itoa(days) + ` AND ` + window + `)`,
	})
}
