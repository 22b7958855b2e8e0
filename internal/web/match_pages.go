package web

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// ShortlistSize is how many experts the need page ranks.
const ShortlistSize = 20

// matchSection is the data of the need_matching partial: the ranked
// shortlist, the excluded counts, the "pourquoi pas cet expert ?" box and
// what the proposal form posts. The partial sees only this value, so it
// carries the CSRF token too.
type matchSection struct {
	NeedID     int64
	CSRF       string
	Open       bool   // the need is open: experts can be proposed, needs grouped
	Problem    string // why the need cannot be ranked, "" when it can
	Considered int
	Eligible   int
	Rows       []shortlistRow
	Excluded   []excludedCount
	ExcludedN  int
	Why        whyBox
	Pooling    poolingBox
	// When nobody passes: the constraint that excludes most, and what
	// loosening each constraint would give.
	Blocker *excludedCount
	Relax   []match.Relaxation
}

// shortlistRow is one ranked expert on the need page.
type shortlistRow struct {
	Rank      int
	ExpertID  int64
	Reference string
	Name      string
	Score     float64
	Bars      []componentBar
	Reason    string // one line in French
}

// componentBar is one score component drawn as a <meter>.
type componentBar struct {
	Key   string
	Label string
	Value float64
}

// excludedCount is how many experts one hard constraint excluded.
type excludedCount struct {
	Key   string
	Label string
	Count int
}

// whyBox is the "pourquoi pas cet expert ?" box: what was asked and the
// answer, or the experts whose name matched when several did.
type whyBox struct {
	Query       string
	Error       string
	Name        string
	Explanation *match.Explanation
	Candidates  []expert.Brief
	// Text is the explanation's sentence and Reasons its criteria, with
	// skills, languages and zones named rather than coded.
	Text    string
	Reasons []string
}

// rankNeed ranks the experts for the need page and logs the ranking shown
// (purpose "page"); ?pourquoi= explains one expert.
func (s *Server) rankNeed(r *http.Request, n need.Need) (any, error) {
	if s.deps.Match == nil {
		return nil, nil
	}
	ctx := r.Context()
	v := httpkit.VisitorOf(r)
	actor := v.Actor()
	sec := &matchSection{NeedID: n.ID, CSRF: v.CSRF, Open: n.Status.Open()}
	ranking, err := s.deps.Match.RankNeed(ctx, n, ShortlistSize, "page", actor)
	req, res := ranking.Request, ranking.Result
	if list, ok := valid.As(err); ok {
		sec.Problem = "Ce besoin ne peut pas être classé : " + list.Error() + "."
	} else if err != nil {
		return nil, err
	}
	if sec.Pooling, err = s.loadPooling(r, n, req); err != nil || sec.Problem != "" {
		return sec, err
	}
	ids := make([]int64, len(res.Matches))
	for i, m := range res.Matches {
		ids[i] = m.ExpertID
	}
	names, err := s.deps.Experts.Names(ctx, ids, actor)
	if err != nil {
		return nil, err
	}
	sec.Considered, sec.Eligible, sec.ExcludedN = res.Considered, res.Eligible, res.Excluded.Total()
	for _, m := range res.Matches {
		sec.Rows = append(sec.Rows, shortlistRow{Rank: m.Rank, ExpertID: m.ExpertID, Reference: m.Reference,
			Name: names[m.ExpertID], Score: m.Score, Bars: bars(m.Components), Reason: strongPoints(m.Components, res.Weights)})
	}
	for _, reason := range match.Reasons() {
		sec.Excluded = append(sec.Excluded, excludedCount{Key: reason.String(), Label: reason.Label(), Count: res.Excluded.Get(reason)})
	}
	if res.Eligible == 0 {
		for i, x := range sec.Excluded {
			// Not being qualified is no constraint of the need.
			if x.Key != match.NotQualified.String() && x.Count > 0 && (sec.Blocker == nil || x.Count > sec.Blocker.Count) {
				sec.Blocker = &sec.Excluded[i]
			}
		}
		if sec.Relax, err = s.deps.Match.Relaxations(ctx, n, actor); err != nil {
			return nil, err
		}
	}
	if q := strings.TrimSpace(r.URL.Query().Get("pourquoi")); q != "" {
		if err := s.whyNot(r, n, q, &sec.Why); err != nil {
			return nil, err
		}
	}
	return sec, nil
}

// whyNot fills the "pourquoi pas cet expert ?" box for q, a reference or
// a name, and logs the explanation shown.
func (s *Server) whyNot(r *http.Request, n need.Need, q string, box *whyBox) error {
	ctx := r.Context()
	actor := httpkit.ActorOf(r)
	box.Query = q
	found, err := s.deps.Experts.Find(ctx, q, actor)
	if err != nil {
		return err
	}
	switch len(found) {
	case 0:
		box.Error = fmt.Sprintf("Aucun expert n’a la référence ou le nom %s.", fr.Quote(q))
		return nil
	case 1:
	default:
		box.Candidates = found
		return nil
	}
	ex, err := s.deps.Match.ExplainNeed(ctx, n, found[0].Reference, "page-explain", actor)
	if errors.Is(err, store.ErrNotFound) {
		box.Error = fmt.Sprintf("L’expert %s n’est pas dans le vivier de la mise en relation.", fr.Quote(q))
		return nil
	}
	if err != nil {
		return err
	}
	box.Name, box.Explanation = found[0].Name, &ex
	cat, err := s.deps.Skills.Catalog(ctx)
	if err != nil {
		return err
	}
	box.Text = ex.Summary
	if ex.Failure != nil {
		box.Text = "Exclu : " + s.failureText(ex.Failure, cat) + "."
	}
	// The engine writes skill codes in its criteria: name them.
	var names []string
	for _, k := range n.Skills {
		names = append(names, k.Code, skillLabel(cat, k.Code))
	}
	named := strings.NewReplacer(names...)
	for _, c := range ex.Reasons {
		box.Reasons = append(box.Reasons, fmt.Sprintf("%s (%s, poids %d) : %s", c.Component.Label(), fr.Percent(c.Value), c.Weight, named.Replace(c.Text)))
	}
	return nil
}

func bars(c match.Components) []componentBar {
	var out []componentBar
	for _, k := range match.ComponentList() {
		out = append(out, componentBar{Key: k.String(), Label: k.Label(), Value: c.Get(k)})
	}
	return out
}

// strongPoints sums up a ranked expert in one French line: the components
// that weigh most in their score, and the one that costs them most.
func strongPoints(c match.Components, w match.Weights) string {
	type part struct {
		k      match.Component
		gained float64 // weight × value: what the component brings
		lost   float64 // weight × (1 − value): what it costs
	}
	weight := map[match.Component]int{match.CompSkills: w.Skills, match.CompAvailability: w.Availability,
		match.CompProximity: w.Proximity, match.CompExperience: w.Experience, match.CompReviews: w.Reviews,
		match.CompRate: w.Rate, match.CompLoad: w.Load, match.CompFreshness: w.Freshness}
	var parts []part
	for _, k := range match.ComponentList() {
		v := c.Get(k)
		parts = append(parts, part{k, float64(weight[k]) * v, float64(weight[k]) * (1 - v)})
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].gained > parts[j].gained })
	var strong []string
	for _, p := range parts[:2] {
		if c.Get(p.k) >= 0.5 {
			strong = append(strong, fr.InSentence(p.k.Label())+" "+fr.Percent(c.Get(p.k)))
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].lost > parts[j].lost })
	weak := parts[0]
	line := "Points forts : " + strings.Join(strong, ", ")
	if len(strong) == 0 {
		line = "Aucun point fort marqué"
	}
	if c.Get(weak.k) < 0.5 {
		line += " ; à surveiller : " + fr.InSentence(weak.k.Label()) + " " + fr.Percent(c.Get(weak.k))
	}
	return line + "."
}
