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
	// CountUpTo, when positive, stops counting the matches there: Total is
	// then at most CountUpTo and More says there are others. Counting
	// every match of a broad filter over a large pool costs more than the
	// page itself; a person reads "more than 1,000" as well.
	CountUpTo int
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
	// sets are queries of expert ids the experts must be in (skill, zone,
	// availability). They are intersected into one IN-subquery, so that the
	// database builds the small set of ids first and reads only those
	// experts, rather than probing every expert against each set.
	sets []string
	// probes are the same conditions written as correlated EXISTS probes
	// of one expert: cheaper than building the sets when a filter is broad
	// and only the first matches are read (see List).
	probes []string
}

// probeClause is clause with the sets written as probes.
func (q *query) probeClause() string {
	return strings.Join(append(append([]string(nil), q.probes...), q.where...), " AND ")
}

// probeSample is how many experts, by id, List probes to tell a broad
// filter (CountUpTo matches among them) from a selective one.
const probeSample = 20000

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *query) clause() string {
	where := q.where
	if len(q.sets) > 0 {
		where = append([]string{`e.id IN (` + strings.Join(q.sets, " INTERSECT ") + `)`}, where...)
	}
	if len(where) == 0 {
		return "TRUE"
	}
	return strings.Join(where, " AND ")
}

// List returns the page of experts matching f, with their zones, skills and
// periods. An invalid filter is a validation error naming its field.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
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
	limit := fmt.Sprintf(" ORDER BY %s LIMIT %d OFFSET %d", order, f.PageSize, (f.Page-1)*f.PageSize)
	rows, err := s.db.QueryContext(ctx, selectExpert+` WHERE `+clause+limit, q.args...)
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

// count fills the total of page and returns the WHERE clause the page's
// query should use. With CountUpTo and sets to meet, it first probes a
// sample of experts: when CountUpTo of them already match, the filter is
// broad, the count stops there, and the page reads the experts in order
// probing each, which finds its rows after a few. Otherwise (a selective
// filter) it counts through the sets, which reads only their ids.
func (s *Service) count(ctx context.Context, q query, f Filter, page *Page) (string, error) {
	if f.CountUpTo > 0 && len(q.sets) > 0 {
		sample := fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM (SELECT * FROM experts ORDER BY id LIMIT %d) e WHERE %s LIMIT %d) m`,
			probeSample, q.probeClause(), f.CountUpTo+1)
		var n int
		if err := s.db.QueryRowContext(ctx, sample, q.args...).Scan(&n); err != nil {
			return "", fmt.Errorf("count experts: %w", err)
		}
		if n > f.CountUpTo {
			page.Total, page.More = f.CountUpTo, true
			return q.probeClause(), nil
		}
	}
	count := `SELECT count(*) FROM experts e WHERE ` + q.clause()
	if f.CountUpTo > 0 {
		count = fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM experts e WHERE %s LIMIT %d) m`, q.clause(), f.CountUpTo+1)
	}
	if err := s.db.QueryRowContext(ctx, count, q.args...).Scan(&page.Total); err != nil {
		return "", fmt.Errorf("count experts: %w", err)
	}
	if f.CountUpTo > 0 && page.Total > f.CountUpTo {
		page.Total, page.More = f.CountUpTo, true
	}
	return q.clause(), nil
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
		code, lvl := q.arg(strings.TrimSpace(f.Skill)), q.arg(int(level))
		q.sets = append(q.sets, fmt.Sprintf(`SELECT k.expert_id FROM expert_skills k WHERE k.skill_code = %s AND k.level >= %s`, code, lvl))
		q.probes = append(q.probes, fmt.Sprintf(`EXISTS (SELECT 1 FROM expert_skills k WHERE k.expert_id = e.id AND k.skill_code = %s AND k.level >= %s)`, code, lvl))
	}
	if f.Zone != "" {
		zones, err := s.zonesCovering(f.Zone)
		if err != nil {
			errs.Add("zone", "%s", zoneMessage(f.Zone))
		} else {
			marks := make([]string, len(zones))
			for i, z := range zones {
				marks[i] = q.arg(z)
			}
			q.sets = append(q.sets, `SELECT z.expert_id FROM expert_zones z WHERE z.zone IN (`+strings.Join(marks, ", ")+`)`)
			q.probes = append(q.probes, `EXISTS (SELECT 1 FROM expert_zones z WHERE z.expert_id = e.id AND z.zone IN (`+strings.Join(marks, ", ")+`))`)
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
	if cond, arg, ok := s.index.Condition("e.id", len(q.args)+1, f.Text); ok {
		q.args = append(q.args, arg)
		q.where = append(q.where, cond)
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
	from, to := q.arg(f.AvailableFrom), q.arg(f.AvailableTo)
	length := f.AvailableFrom.DaysUntil(f.AvailableTo) + 1
	// Periods never overlap (see Period), so the days of the window they
	// cover add up; the window is covered when they add up to its length.
	// Most experts cover a window with one period: that case is a plain
	// comparison; only the periods that cover part of the window are
	// summed (an expert with a covering period is already in).
	d := q.arg(days)
	q.sets = append(q.sets, fmt.Sprintf(`SELECT av.expert_id FROM (SELECT a.expert_id FROM expert_availability a
		WHERE a.days_per_week >= %[1]s AND a.start_date <= %[2]s AND a.end_date >= %[3]s
		UNION SELECT a.expert_id FROM expert_availability a
		WHERE a.days_per_week >= %[1]s AND a.start_date <= %[3]s AND a.end_date >= %[2]s AND (a.start_date > %[2]s OR a.end_date < %[3]s)
		GROUP BY a.expert_id HAVING sum(%[4]s) >= %[5]s) av`,
		d, from, to, s.dialect.coveredDays(from, to), q.arg(length)))
	q.probes = append(q.probes, fmt.Sprintf(`(SELECT coalesce(sum(%s), 0) FROM expert_availability a
		WHERE a.expert_id = e.id AND a.days_per_week >= %s AND a.start_date <= %s AND a.end_date >= %s) >= $%d`,
		s.dialect.coveredDays(from, to), d, to, from, len(q.args)))
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
