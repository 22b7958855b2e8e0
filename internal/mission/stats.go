package mission

import (
	"context"
	"sort"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/store"
)

// Count is one labelled figure of a dashboard table.
type Count struct {
	Key, Label string
	Value      int
}

// Stats are the coordinators' dashboard figures for a period (both days
// included): proposals made, missions created, days logged and reviews
// given in the period, and the needs open now.
type Stats struct {
	From, To date.Date
	// OpenNeeds counts the open needs by status, with their mean age in days.
	OpenNeeds []Count
	MeanAge   map[string]int
	// MedianDaysToProposal and MedianDaysToStart are in days from the
	// need's submission (needs submitted in the period), -1 when none.
	MedianDaysToProposal, MedianDaysToStart int
	Proposals                               []Count // by status
	MissionsByStatus                        []Count
	MissionsByDomain                        []Count
	MissionsByRegion                        []Count
	DaysDelivered                           float64
	ReviewCount                             int
	MeanReview                              float64 // 0 when no review
	Cost, Saving                            int     // of the missions created in the period
	// Declines are the proposals declined in the period, with their
	// reasons, latest first: what coordinators learn from.
	Declines []Proposal
}

// Stats reads the dashboard figures for the period; staff only.
func (s *Service) Stats(ctx context.Context, from, to date.Date, actor access.Actor) (Stats, error) {
	if err := staffOnly(actor); err != nil {
		return Stats{}, err
	}
	return computeStats(ctx, s.db, s.geo, from, to)
}

func computeStats(ctx context.Context, q store.Querier, ref *geo.Reference, from, to date.Date) (Stats, error) {
	st := Stats{From: from, To: to, MeanAge: map[string]int{}, MedianDaysToProposal: -1, MedianDaysToStart: -1}
	start, end := from.Time(), to.AddDays(1).Time()
	if err := st.openNeeds(ctx, q); err != nil {
		return st, err
	}
	if err := st.delays(ctx, q, start, end); err != nil {
		return st, err
	}
	byStatus := map[string]int{}
	rows, err := q.QueryContext(ctx, `SELECT status, count(*) FROM proposals WHERE created_at >= $1 AND created_at < $2 GROUP BY status`, start, end)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			rows.Close()
			return st, err
		}
		byStatus[s] = n
	}
	rows.Close()
	for _, s := range []ProposalStatus{Pending, Accepted, Declined, Expired, Chosen, Passed} {
		st.Proposals = append(st.Proposals, Count{string(s), s.Label(), byStatus[string(s)]})
	}
	if err := st.missions(ctx, q, ref, start, end); err != nil {
		return st, err
	}
	declines, err := queryProposals(ctx, q, "p.status = 'declined' AND p.answered_at >= $1 AND p.answered_at < $2", start, end)
	if err != nil {
		return st, err
	}
	for i := len(declines) - 1; i >= 0; i-- {
		st.Declines = append(st.Declines, declines[i])
	}
	var halves int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(half_days), 0) FROM mission_days WHERE day >= $1 AND day <= $2`, from, to).Scan(&halves); err != nil {
		return st, err
	}
	st.DaysDelivered = float64(halves) / 2
	var sum int
	if err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(rating), 0) FROM mission_reviews WHERE created_at >= $1 AND created_at < $2`, start, end).
		Scan(&st.ReviewCount, &sum); err != nil {
		return st, err
	}
	if st.ReviewCount > 0 {
		st.MeanReview = float64(sum) / float64(st.ReviewCount)
	}
	return st, nil
}

func (st *Stats) openNeeds(ctx context.Context, q store.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT status, created_at FROM needs WHERE status IN ('submitted', 'qualified', 'proposed')`)
	if err != nil {
		return err
	}
	defer rows.Close()
	counts, ages := map[string]int{}, map[string]int{}
	now := time.Now().UTC()
	for rows.Next() {
		var s string
		var at time.Time
		if err := rows.Scan(&s, &at); err != nil {
			return err
		}
		counts[s]++
		ages[s] += int(now.Sub(at).Hours() / 24)
	}
	for _, s := range [][2]string{{"submitted", "déposés"}, {"qualified", "qualifiés"}, {"proposed", "experts proposés"}} {
		st.OpenNeeds = append(st.OpenNeeds, Count{s[0], s[1], counts[s[0]]})
		if counts[s[0]] > 0 {
			st.MeanAge[s[0]] = ages[s[0]] / counts[s[0]]
		}
	}
	return rows.Err()
}

func (st *Stats) delays(ctx context.Context, q store.Querier, start, end time.Time) error {
	created, err := instants(ctx, q, `SELECT id, created_at FROM needs WHERE created_at >= $1 AND created_at < $2`, start, end)
	if err != nil {
		return err
	}
	// Aggregates lose the column type on SQLite: read the instants and take
	// the first of each need here.
	proposed, err := instants(ctx, q, `SELECT need_id, created_at FROM proposals WHERE created_at >= $1`, start)
	if err != nil {
		return err
	}
	started, err := instants(ctx, q, `SELECT need_id, started_at FROM missions WHERE started_at >= $1`, start)
	if err != nil {
		return err
	}
	var toProp, toStart []int
	for id, c := range created {
		if t, ok := proposed[id]; ok {
			toProp = append(toProp, int(t.Sub(c).Hours()/24))
		}
		if t, ok := started[id]; ok {
			toStart = append(toStart, int(t.Sub(c).Hours()/24))
		}
	}
	st.MedianDaysToProposal, st.MedianDaysToStart = median(toProp), median(toStart)
	return nil
}

// instants reads (id, instant) rows, keeping the earliest instant of each id.
func instants(ctx context.Context, q store.Querier, query string, args ...any) (map[int64]time.Time, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var t time.Time
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		if old, ok := out[id]; !ok || t.Before(old) {
			out[id] = t
		}
	}
	return out, rows.Err()
}

func median(v []int) int {
	if len(v) == 0 {
		return -1
	}
	sort.Ints(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func (st *Stats) missions(ctx context.Context, q store.Querier, ref *geo.Reference, start, end time.Time) error {
	list, err := queryMissions(ctx, q, "m.created_at >= $1 AND m.created_at < $2", start, end)
	if err != nil {
		return err
	}
	rates, err := referenceRates(ctx, q)
	if err != nil {
		return err
	}
	byStatus, byDomain, byRegion := map[string]int{}, map[string]int{}, map[string]int{}
	for _, m := range list {
		byStatus[string(m.Status)]++
		byDomain[m.Domain]++
		region := "—"
		if r, ok := ref.RegionOfCommune(m.Commune); ok {
			region = r.Name
		}
		byRegion[region]++
		st.Cost += m.Cost()
		st.Saving += Saving(m, rates)
	}
	for _, s := range Statuses() {
		st.MissionsByStatus = append(st.MissionsByStatus, Count{string(s), s.Label(), byStatus[string(s)]})
	}
	for _, d := range Domains() {
		if byDomain[d[0]] > 0 {
			st.MissionsByDomain = append(st.MissionsByDomain, Count{d[0], d[1], byDomain[d[0]]})
		}
	}
	regions := make([]string, 0, len(byRegion))
	for r := range byRegion {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	for _, r := range regions {
		st.MissionsByRegion = append(st.MissionsByRegion, Count{r, r, byRegion[r]})
	}
	return nil
}
