package expert

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/skill"
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
}

// Page is one page of the list.
type Page struct {
	Experts  []Expert
	Total    int // experts matching the filter, on every page
	Page     int
	PageSize int
}

// Pages returns the number of pages.
func (p Page) Pages() int { return (p.Total + p.PageSize - 1) / p.PageSize }

// query builds a WHERE clause with numbered parameters: plain conditions
// on the experts row, and "member" subqueries that each select a set of
// expert ids (by skill, zone, availability, text). Sets are read once
// through their own indexes, which is far cheaper than probing every
// expert with a correlated EXISTS.
type query struct {
	where   []string
	members []string
	args    []any
	only    string // the text query when it is the only filter, else ""
	// distinct is true while the conditions are exactly one set whose ids
	// are each listed once (by skill, by availability): its members can
	// then be counted without reading the experts.
	distinct bool
}

// count returns the query counting the experts q selects.
func (q *query) count() string {
	if q.distinct && len(q.members) == 1 && len(q.where) == 0 {
		return `SELECT count(*) FROM (` + q.members[0] + `) m`
	}
	return `SELECT count(*) FROM experts e WHERE ` + q.clause(false)
}

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// clause joins the conditions. broad writes the membership tests as
// "+e.id IN (…)": the unary plus hides e.id from the planner, which then
// walks the index of the ORDER BY and stops after one page, instead of
// fetching and sorting every member of a large set (SQLite; PostgreSQL
// plans from its statistics either way).
func (q *query) clause(broad bool) string {
	parts := append([]string(nil), q.where...)
	prefix := "e.id IN ("
	if broad {
		prefix = "+e.id IN ("
	}
	for _, m := range q.members {
		parts = append(parts, prefix+m+")")
	}
	if len(parts) == 0 {
		return "TRUE"
	}
	return strings.Join(parts, " AND ")
}

// broadSet is the number of matching experts from which a page is read in
// index order rather than by sorting the matches (a variable so that tests
// run both ways).
var broadSet = 5000

// smallSet is the number of matching experts up to which the page is read
// from the list of their ids.
var smallSet = 2000

// members reads the ids of the experts matching q when there are at most
// max of them, and returns a condition listing them, their number and
// small = true; with more, small is false and the rest is not set.
func (s *Service) members(ctx context.Context, q query, max int) (cond string, n int, small bool, err error) {
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`SELECT e.id FROM experts e WHERE %s LIMIT %d`, q.clause(false), max+1), q.args...)
	if err != nil {
		return "", 0, false, fmt.Errorf("list experts: %w", err)
	}
	defer rows.Close()
	ids := make([]string, 0, 64)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", 0, false, err
		}
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	if err := rows.Err(); err != nil || len(ids) > max {
		return "", 0, false, err
	}
	if len(ids) == 0 {
		return "FALSE", 0, true, nil
	}
	// ids are integers read from the database: safe to inline.
	return "e.id IN (" + strings.Join(ids, ", ") + ")", len(ids), true, nil
}

// List returns the page of experts matching f, with their zones, skills and
// periods. An invalid filter is a validation error naming its field.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	q, order, err := s.build(&f)
	if err != nil {
		return Page{}, err
	}
	page := Page{Page: f.Page, PageSize: f.PageSize, Experts: []Expert{}}
	where, args, small := "", q.args, false
	switch {
	case q.only != "":
		// Text alone: the search index counts its matches by itself.
		page.Total, err = s.index.Count(ctx, s.db, q.only)
		if err == nil && page.Total <= smallSet {
			where, page.Total, small, err = s.members(ctx, q, smallSet)
		}
	case len(q.members) > 0 && !(q.distinct && len(q.members) == 1 && len(q.where) == 0):
		// Several conditions: read the ids at once when they are few
		// (one pass for both the total and the page), else count them.
		where, page.Total, small, err = s.members(ctx, q, smallSet)
		if err == nil && !small {
			err = s.db.QueryRowContext(ctx, q.count(), q.args...).Scan(&page.Total)
		}
	default:
		err = s.db.QueryRowContext(ctx, q.count(), q.args...).Scan(&page.Total)
	}
	if err != nil {
		return Page{}, fmt.Errorf("count experts: %w", err)
	}
	if page.Total == 0 || (f.Page-1)*f.PageSize >= page.Total {
		return page, nil
	}
	limit := fmt.Sprintf(" ORDER BY %s LIMIT %d OFFSET %d", order, f.PageSize, (f.Page-1)*f.PageSize)
	if small {
		// A small set is sorted from the list of its ids. Left to itself,
		// a planner that misjudges the size of a set (PostgreSQL with a
		// rare name) walks the whole list in order, testing each expert.
		args = nil
	} else {
		where = q.clause(page.Total >= broadSet)
	}
	rows, err := s.db.QueryContext(ctx, selectExpert+` WHERE `+where+limit, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list experts: %w", err)
	}
	defer rows.Close()
	ids := make([]string, 0, f.PageSize)
	for rows.Next() {
		e, err := scanExpert(rows)
		if err != nil {
			return Page{}, err
		}
		page.Experts = append(page.Experts, e)
		ids = append(ids, strconv.FormatInt(e.ID, 10))
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	if len(ids) == 0 {
		return page, nil
	}
	// ids are integers read from the database: safe to inline.
	err = loadDetails(ctx, s.db, page.Experts, `expert_id IN (`+strings.Join(ids, ", ")+`)`)
	return page, err
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
	if f.Skill != "" {
		level := f.MinLevel
		if level == 0 {
			level = 1
		}
		if !level.Valid() {
			errs.Add("min_level", "niveau de 1 à 4")
		}
		q.distinct = true // one row per expert and skill
		q.members = append(q.members, fmt.Sprintf(`SELECT k.expert_id FROM expert_skills k WHERE k.skill_code = %s AND k.level >= %s`,
			q.arg(strings.TrimSpace(f.Skill)), q.arg(int(level))))
	}
	// Sets come in order of expected size, smallest first: SQLite (without
	// statistics) fetches the experts of the first set and tests them
	// against the others, and a zone often spans a region.
	zoneSet := ""
	if f.Zone != "" {
		zones, err := s.zonesCovering(f.Zone)
		if err != nil {
			errs.Add("zone", "%s", zoneMessage(f.Zone))
		} else {
			marks := make([]string, len(zones))
			for i, z := range zones {
				marks[i] = q.arg(z)
			}
			zoneSet = `SELECT z.expert_id FROM expert_zones z WHERE z.zone IN (` + strings.Join(marks, ", ") + `)`
		}
	}
	if f.Status != "" {
		if !f.Status.valid() {
			errs.Add("status", "statut %s inconnu", fr.Quote(string(f.Status)))
		}
		q.where = append(q.where, `e.status = `+q.arg(string(f.Status)))
	}
	s.availability(&q, &errs, f)
	if f.HomeDepartement != "" {
		q.where = append(q.where, `e.home_departement = `+q.arg(strings.ToUpper(strings.TrimSpace(f.HomeDepartement))))
	}
	if sub, arg, ok := s.index.Match(len(q.args)+1, f.Text); ok {
		if len(q.args) == 0 && len(q.members) == 0 && len(q.where) == 0 {
			q.only = f.Text
		}
		q.args = append(q.args, arg)
		q.members = append(q.members, sub)
	}
	if zoneSet != "" {
		q.members = append(q.members, zoneSet)
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
	}
	from, to, n := q.arg(f.AvailableFrom), q.arg(f.AvailableTo), q.arg(days)
	length := q.arg(f.AvailableFrom.DaysUntil(f.AvailableTo) + 1)
	// Periods never overlap (see Period). So an expert is available either
	// through one period spanning the whole window (first part: a range of
	// the window index), or through successive periods whose covered days
	// add up to the window's length — summed only for the experts whose
	// period covering the first day ends before the last (second part),
	// few compared with the pool. The two parts never share an expert.
	q.distinct = true // see above: the two parts never share an expert, each lists one
	q.members = append(q.members, fmt.Sprintf(`SELECT a.expert_id FROM expert_availability a
		WHERE a.end_date >= %[2]s AND a.start_date <= %[1]s AND a.days_per_week >= %[3]s
		UNION ALL
		SELECT a.expert_id FROM expert_availability a
		WHERE a.end_date >= %[1]s AND a.start_date <= %[2]s AND a.days_per_week >= %[3]s
		AND a.expert_id IN (SELECT c.expert_id FROM expert_availability c
			WHERE c.end_date >= %[1]s AND c.end_date < %[2]s AND c.start_date <= %[1]s AND c.days_per_week >= %[3]s)
		GROUP BY a.expert_id HAVING sum(%[4]s) >= %[5]s`,
		from, to, n, s.dialect.coveredDays(from, to), length))
}

// zonesCovering lists the stored zones that make an expert available for
// the zone filter z (see Filter.Zone).
func (s *Service) zonesCovering(z string) ([]string, error) {
	zone, err := s.geo.ParseZone(z)
	if err != nil {
		return nil, err
	}
	out := []string{"national"}
	switch zone.String() {
	case "national":
		return out, nil
	}
	if strings.HasPrefix(zone.String(), "dep:") {
		d, _ := s.geo.Departement(zone.Code())
		return append(out, zone.String(), "reg:"+d.RegionCode), nil
	}
	out = append(out, zone.String())
	for _, d := range s.geo.Departements() {
		if d.RegionCode == zone.Code() {
			out = append(out, "dep:"+d.Code)
		}
	}
	return out, nil
}
