package network

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// EngagementSource counts what the staff of each organisation did over a period.
type EngagementSource interface {
	// Engagement returns, by organisation id, counts of named activities between from and
	// to inclusive (Paris calendar days).
	Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error)
}

// Tracker is what a source may add to say which activities it counts, so
// that a count of zero shows as 0 rather than « non suivi pour l’instant ».
// Without it, an activity counts as tracked once a source returned it.
type Tracker interface {
	Tracks() []string
}

// RecordLister is what a source may add to list the records behind one of
// its counts, so that each figure of an agency's engagement links to them.
type RecordLister interface {
	EngagementRecords(ctx context.Context, orgID int64, activity string, from, to date.Date) ([]Record, error)
}

// Record is one record behind an engagement figure.
type Record struct {
	Label string
	Path  string    // the record's page, "" when it has none
	Day   date.Date // when it happened
}

// Activity is one kind of engagement and its weight in the score.
type Activity struct {
	Key    string
	Label  string
	Weight int
}

// The activities of the engagement score. The pool's own (experts, needs,
// missions) are counted here; the others come from the sources of their
// packages (events and trainings, newsletters, representation).
var activities = []Activity{
	{"events_attended", "événements suivis", 3},
	{"trainings_attended", "formations suivies", 3},
	{"experts_contributed", "experts apportés au vivier", 5},
	{"missions_hosted", "missions menées par ses agents", 4},
	{"missions_requested", "missions demandées", 4},
	{"needs_submitted", "besoins déposés", 2},
	{"newsletter_human_opens", "ouvertures de la lettre d’information", 1},
	{"hearings_joined", "auditions rejointes", 4},
}

// Activities lists the activities of the score, in display order.
func Activities() []Activity { return slices.Clone(activities) }

// Formula writes the score's formula: « score = 3 × événements suivis + … ».
func Formula() string {
	parts := make([]string, len(activities))
	for i, a := range activities {
		parts[i] = fmt.Sprintf("%d × %s", a.Weight, a.Label)
	}
	return "score = " + strings.Join(parts, " + ")
}

// Score is the weighted sum of counts.
func Score(counts map[string]int) int {
	n := 0
	for _, a := range activities {
		n += a.Weight * counts[a.Key]
	}
	return n
}

// MaxPeriod bounds an engagement period.
const MaxPeriod = 3 * 366

// EngagementRow is one member's engagement over a period.
type EngagementRow struct {
	OrgID    int64
	Name     string
	Kind     organisation.Kind
	Counts   map[string]int
	Score    int
	Previous int // the score of the period just before, as long
	// Churn flags a member whose score fell by more than half against the
	// previous period just before its renewal: its membership of
	// RenewalYear is not paid yet.
	Churn       bool
	RenewalYear int
	Renewal     MembershipStatus // of RenewalYear, "" when none
}

// Engagement is the engagement of members over a period.
type Engagement struct {
	From, To         date.Date
	PrevFrom, PrevTo date.Date
	Activities       []Activity
	Tracked          map[string]bool // activities some source counts; the others show « non suivi pour l’instant »
	Formula          string
	Rows             []EngagementRow
	// Records are, for one member's engagement, the records behind each
	// count, by activity.
	Records map[string][]Record
}

// checkPeriod checks an engagement period and returns the previous one.
func checkPeriod(from, to date.Date) (date.Date, date.Date, error) {
	var errs valid.Errors
	switch {
	case from.IsZero():
		errs.Add("from", "indiquez le début de la période")
	case to.IsZero():
		errs.Add("to", "indiquez la fin de la période")
	case to.Before(from):
		errs.Add("to", "la fin de la période vient après son début")
	case from.DaysUntil(to) > MaxPeriod:
		errs.Add("to", "la période couvre trois ans au plus")
	}
	if err := errs.Err(); err != nil {
		return date.Date{}, date.Date{}, err
	}
	prevTo := from.AddDays(-1)
	return prevTo.AddDays(-from.DaysUntil(to)), prevTo, nil
}

// EngagementTable returns the engagement of every member over from..to
// (Paris days, both included), with the score of the period before and
// the churn flag, sorted by sort: "score" (default, highest first),
// "name", "churn" or an activity's key. Staff only.
func (s *Service) EngagementTable(ctx context.Context, from, to date.Date, sort string, actor access.Actor) (Engagement, error) {
	if err := staffOnly(actor); err != nil {
		return Engagement{}, err
	}
	members, err := s.listMembers(ctx, s.db, DirectoryFilter{}, `TRUE`)
	if err != nil {
		return Engagement{}, err
	}
	e, err := s.engagement(ctx, members, from, to)
	if err != nil {
		return Engagement{}, err
	}
	sortRows(e.Rows, sort)
	return e, nil
}

// MemberEngagement returns the engagement of member id over from..to with
// the records behind each figure; staff and the member's own staff may.
func (s *Service) MemberEngagement(ctx context.Context, id int64, from, to date.Date, actor access.Actor) (Engagement, error) {
	if !mayManage(actor, id) {
		return Engagement{}, store.NotFound("member %d", id)
	}
	m, err := s.getMember(ctx, s.db, id)
	if err != nil {
		return Engagement{}, err
	}
	e, err := s.engagement(ctx, []Member{m}, from, to)
	if err != nil {
		return Engagement{}, err
	}
	e.Records = map[string][]Record{}
	for _, src := range s.sources {
		lister, ok := src.(RecordLister)
		if !ok {
			continue
		}
		for _, a := range activities {
			list, err := lister.EngagementRecords(ctx, id, a.Key, from, to)
			if err != nil {
				return Engagement{}, err
			}
			e.Records[a.Key] = append(e.Records[a.Key], list...)
		}
	}
	return e, nil
}

// engagement counts the activities of members over the period and the one
// before.
func (s *Service) engagement(ctx context.Context, members []Member, from, to date.Date) (Engagement, error) {
	prevFrom, prevTo, err := checkPeriod(from, to)
	if err != nil {
		return Engagement{}, err
	}
	e := Engagement{From: from, To: to, PrevFrom: prevFrom, PrevTo: prevTo, Activities: Activities(), Tracked: map[string]bool{}, Formula: Formula()}
	now, prev := map[int64]map[string]int{}, map[int64]map[string]int{}
	for _, src := range s.sources {
		if t, ok := src.(Tracker); ok {
			for _, k := range t.Tracks() {
				e.Tracked[k] = true
			}
		}
		for _, p := range []struct {
			from, to date.Date
			into     map[int64]map[string]int
		}{{from, to, now}, {prevFrom, prevTo, prev}} {
			counts, err := src.Engagement(ctx, p.from, p.to)
			if err != nil {
				return Engagement{}, fmt.Errorf("engagement source: %w", err)
			}
			for org, byKey := range counts {
				if p.into[org] == nil {
					p.into[org] = map[string]int{}
				}
				for k, n := range byKey {
					p.into[org][k] += n
					e.Tracked[k] = true
				}
			}
		}
	}
	renewalYear := to.Year
	if to.Month >= time.October {
		renewalYear++
	}
	statuses, err := s.statusesOf(ctx, renewalYear)
	if err != nil {
		return Engagement{}, err
	}
	for _, m := range members {
		r := EngagementRow{OrgID: m.ID, Name: m.Name, Kind: m.Kind, Counts: now[m.ID], RenewalYear: renewalYear, Renewal: statuses[m.ID]}
		if r.Counts == nil {
			r.Counts = map[string]int{}
		}
		r.Score, r.Previous = Score(r.Counts), Score(prev[m.ID])
		r.Churn = r.Previous > 0 && 2*r.Score < r.Previous && r.Renewal != Paid && r.Renewal != Resigned
		e.Rows = append(e.Rows, r)
	}
	return e, nil
}

// statusesOf maps each organisation to its membership status of year.
func (s *Service) statusesOf(ctx context.Context, year int) (map[int64]MembershipStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT organisation_id, status FROM memberships WHERE year = $1`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]MembershipStatus{}
	for rows.Next() {
		var id int64
		var st MembershipStatus
		if err := rows.Scan(&id, &st); err != nil {
			return nil, err
		}
		out[id] = st
	}
	return out, rows.Err()
}

// sortRows orders an engagement table; ties break on the name.
func sortRows(rows []EngagementRow, by string) {
	key := func(r EngagementRow) int {
		switch by {
		case "churn":
			if r.Churn {
				return 1
			}
			return 0
		case "", "score":
			return r.Score
		}
		return r.Counts[by]
	}
	slices.SortStableFunc(rows, func(a, b EngagementRow) int {
		if by != "name" {
			if c := compareInt(int64(key(b)), int64(key(a))); c != 0 {
				return c
			}
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
}
