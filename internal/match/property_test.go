package match_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/match/matchtest"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var ctx = context.Background()

func opts() match.Options {
	return match.Options{Now: func() time.Time { return matchtest.Now }}
}

// world builds a small dense pool and its experts.
func world(t testing.TB, seed uint64, n int) (*geo.Reference, *match.Engine, []match.Expert, *matchtest.World) {
	t.Helper()
	g := geo.Default()
	w := matchtest.NewWorld(g, matchtest.Config{Seed: seed, Small: true})
	experts := slices.Collect(w.Experts(n))
	e, err := match.New(g, slices.Values(experts), opts())
	if err != nil {
		t.Fatal(err)
	}
	return g, e, experts, w
}

// TestIndexedEqualsBruteForce is the main property: over random pools and
// needs, the engine's top-k and excluded counts equal those of the plain
// reference implementation; no excluded expert is returned; the counts add
// up to the pool.
func TestIndexedEqualsBruteForce(t *testing.T) {
	var seen match.Excluded // over every need, so the worlds are known to hit every rule
	eligible := 0
	defer func() {
		for _, r := range match.Reasons() {
			if seen.Get(r) == 0 {
				t.Errorf("no need excluded anyone for %s: the generated worlds miss a rule", r)
			}
		}
		if eligible == 0 {
			t.Error("no eligible expert in any world")
		}
	}()
	for seed := range uint64(8) {
		g, e, experts, w := world(t, seed, 400+int(seed)*150)
		for i, req := range w.Needs(150) {
			limit := []int{1, 5, 20, 0}[i%4]
			res, err := e.Rank(ctx, req, limit)
			if err != nil {
				t.Fatalf("seed %d need %d: %v", seed, i, err)
			}
			want, wantX := refRank(g, e, experts, req)
			for _, r := range match.Reasons() {
				seen[r] += wantX.Get(r)
			}
			eligible += len(want)
			if res.Excluded != wantX {
				t.Fatalf("seed %d need %d: excluded %v, brute force %v", seed, i, res.Excluded, wantX)
			}
			if res.Excluded.Total()+res.Eligible != len(experts) || res.Considered != len(experts) || res.Eligible != len(want) {
				t.Fatalf("seed %d need %d: counts do not add up: %d excluded + %d eligible, pool %d", seed, i, res.Excluded.Total(), res.Eligible, len(experts))
			}
			if limit > 0 && len(want) > limit {
				want = want[:limit]
			}
			if len(res.Matches) != len(want) {
				t.Fatalf("seed %d need %d: %d matches, brute force %d", seed, i, len(res.Matches), len(want))
			}
			for j, m := range res.Matches {
				if m.Reference != want[j].ref || m.Score != float64(want[j].total)/float64(e.WeightSum()) {
					t.Fatalf("seed %d need %d: match %d is %s (%v), brute force %s", seed, i, j, m.Reference, m.Score, want[j].ref)
				}
				if m.Rank != j+1 || m.Score < 0 || m.Score > 1 {
					t.Fatalf("rank %d score %v", m.Rank, m.Score)
				}
			}
		}
	}
}

// TestDeterministic: the same pool inserted in another order, or asked twice,
// gives byte-identical JSON.
func TestDeterministic(t *testing.T) {
	g, e, experts, w := world(t, 42, 600)
	shuffled := slices.Clone(experts)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	e2, err := match.New(g, slices.Values(shuffled), opts())
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range w.Needs(60) {
		a, _ := e.Rank(ctx, req, 10)
		b, _ := e2.Rank(ctx, req, 10)
		c, _ := e.Rank(ctx, req, 10)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		jc, _ := json.Marshal(c)
		if string(ja) != string(jb) || string(ja) != string(jc) {
			t.Fatalf("not deterministic:\n%s\n%s\n%s", ja, jb, jc)
		}
	}
}

// TestExplainAgreesWithRank: every ranked expert's explanation gives their
// place and score; every excluded expert's explanation gives the first
// failing reason of the brute force.
func TestExplainAgreesWithRank(t *testing.T) {
	for seed := range uint64(3) {
		g, e, experts, w := world(t, 100+seed, 300)
		for i, req := range w.Needs(25) {
			res, err := e.Rank(ctx, req, 0)
			if err != nil {
				t.Fatal(err)
			}
			for j, m := range res.Matches {
				if j > 15 && j%7 != 0 {
					continue
				}
				ex, err := e.Explain(ctx, req, m.Reference)
				if err != nil {
					t.Fatal(err)
				}
				if !ex.Eligible || ex.Rank != j+1 || ex.Score != m.Score || *ex.Components != m.Components || ex.EligibleCount != res.Eligible {
					t.Fatalf("seed %d need %d: %s ranked %d (%v) but explained %+v", seed, i, m.Reference, j+1, m.Score, ex)
				}
			}
			for k := range experts {
				if k%9 != i%9 {
					continue
				}
				x := &experts[k]
				why := refReason(g, x, &req)
				if why == match.Pass {
					continue
				}
				ex, err := e.Explain(ctx, req, x.Reference)
				if err != nil {
					t.Fatal(err)
				}
				if ex.Eligible || ex.Failure == nil || ex.Failure.Reason != why || ex.Failure.Message == "" || ex.Rank != 0 {
					t.Fatalf("seed %d need %d: %s fails %s but explained %+v", seed, i, x.Reference, why, ex)
				}
			}
		}
	}
}

// improvements change one input of an expert for the better.
var improvements = []struct {
	name string
	fn   func(x *match.Expert, req *match.Request)
}{
	{"skill level", func(x *match.Expert, req *match.Request) {
		for i := range x.Skills {
			for _, s := range req.Skills {
				if x.Skills[i].Code == s.Code && x.Skills[i].Level < 4 {
					x.Skills[i].Level++
					return
				}
			}
		}
	}},
	{"reviews", func(x *match.Expert, _ *match.Request) { x.History.ReviewCount++; x.History.ReviewSum += 5 }},
	{"rate", func(x *match.Expert, _ *match.Request) {
		if x.DailyRate > 350 {
			x.DailyRate -= 50
		}
	}},
	{"load", func(x *match.Expert, _ *match.Request) {
		if x.History.ProposalsLast90Days > 0 {
			x.History.ProposalsLast90Days--
		}
	}},
	{"freshness", func(x *match.Expert, _ *match.Request) { x.UpdatedAt = matchtest.Now }},
	{"experience", func(x *match.Expert, _ *match.Request) { x.ExperienceYears++ }},
	{"proximity", func(x *match.Expert, req *match.Request) { x.Commune = req.Commune }},
}

// TestImprovingNeverLowersRank: an eligible expert improved on one input
// never ranks lower, and ranks strictly higher when their score rose.
func TestImprovingNeverLowersRank(t *testing.T) {
	g, _, experts, w := world(t, 7, 300)
	r := rand.New(rand.NewPCG(7, 7))
	for i, req := range w.Needs(40) {
		e, _ := match.New(g, slices.Values(experts), opts())
		res, _ := e.Rank(ctx, req, 0)
		if len(res.Matches) == 0 {
			continue
		}
		m := res.Matches[r.IntN(len(res.Matches))]
		var x match.Expert
		for _, y := range experts {
			if y.Reference == m.Reference {
				x = y
			}
		}
		x.Skills = slices.Clone(x.Skills)
		imp := improvements[i%len(improvements)]
		imp.fn(&x, &req)
		if err := e.Put(x); err != nil {
			t.Fatal(err)
		}
		ex, err := e.Explain(ctx, req, x.Reference)
		if err != nil || !ex.Eligible {
			t.Fatalf("%s: improved expert no longer eligible: %v %+v", imp.name, err, ex)
		}
		if ex.Rank > m.Rank || (ex.Score > m.Score && ex.Rank == m.Rank && m.Rank > 1 && higherExists(res, m, ex.Score)) {
			t.Fatalf("%s: rank %d → %d (score %v → %v)", imp.name, m.Rank, ex.Rank, m.Score, ex.Score)
		}
	}
}

// higherExists reports whether some expert ranked above m scored below s:
// then the improved expert should have overtaken them.
func higherExists(res match.Result, m match.Match, s float64) bool {
	for _, o := range res.Matches[:m.Rank-1] {
		if o.Score < s {
			return true
		}
	}
	return false
}

// TestOneComponentBetterRanksAbove: two experts equal in everything but one
// input; the better one ranks first even with the larger reference (which
// would win a tie).
func TestOneComponentBetterRanksAbove(t *testing.T) {
	g := geo.Default()
	req := baseRequest()
	for _, imp := range improvements {
		base := baseExpert(1, "B-1")
		base.ExperienceYears = 5
		base.DailyRate = 600
		base.History.ProposalsLast90Days = 2
		base.UpdatedAt = matchtest.Now.Add(-90 * 24 * time.Hour)
		base.Commune = "69259"
		better := base
		better.ID, better.Reference = 2, "B-2"
		better.Skills = slices.Clone(base.Skills)
		imp.fn(&better, &req)
		if reflect.DeepEqual(better.Skills, base.Skills) && reflect.DeepEqual(better.History, base.History) && better.DailyRate == base.DailyRate &&
			better.UpdatedAt == base.UpdatedAt && better.ExperienceYears == base.ExperienceYears && better.Commune == base.Commune {
			t.Fatalf("%s: the improvement changed nothing", imp.name)
		}
		e, err := match.New(g, slices.Values([]match.Expert{base, better}), opts())
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Rank(ctx, req, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Matches) != 2 || res.Matches[0].Reference != "B-2" || !(res.Matches[0].Score > res.Matches[1].Score) {
			t.Fatalf("%s: want B-2 strictly above B-1, got %+v", imp.name, res.Matches)
		}
	}
}

// TestEditsAndCompaction: after many replacements and removals (enough to
// rewrite the blob and the period array several times) the engine still
// equals the brute force over the experts as they now are.
func TestEditsAndCompaction(t *testing.T) {
	g, e, experts, w := world(t, 11, 1500)
	r := rand.New(rand.NewPCG(11, 11))
	fresh := slices.Collect(matchtest.NewWorld(g, matchtest.Config{Seed: 12, Small: true}).Experts(1500))
	blob0, pers0 := e.Sizes()
	defer func() {
		// Without compaction 25 rounds rewriting 40 % of the experts would
		// leave the arrays about eleven times their first size.
		if blob, pers := e.Sizes(); blob > 3*blob0 || pers > 4*pers0 {
			t.Errorf("arrays grew from %d, %d to %d, %d: no compaction", blob0, pers0, blob, pers)
		}
	}()
	for round := range 25 {
		for i := range experts {
			switch r.IntN(10) {
			case 0:
				if experts[i].ID > 0 {
					e.Remove(experts[i].ID)
					experts[i].ID = -experts[i].ID // marks it gone
				}
			case 1, 2, 3, 4:
				if experts[i].ID < 0 {
					experts[i].ID = -experts[i].ID
				}
				x := fresh[r.IntN(len(fresh))]
				x.ID, x.Reference = experts[i].ID, experts[i].Reference
				experts[i] = x
				if err := e.Put(x); err != nil {
					t.Fatal(err)
				}
			}
		}
		if round%5 != 4 {
			continue
		}
		var present []match.Expert
		for _, x := range experts {
			if x.ID > 0 {
				present = append(present, x)
			}
		}
		if e.Len() != len(present) {
			t.Fatalf("round %d: engine holds %d, want %d", round, e.Len(), len(present))
		}
		for _, req := range w.Needs(30) {
			res, err := e.Rank(ctx, req, 0)
			if err != nil {
				t.Fatal(err)
			}
			want, wantX := refRank(g, e, present, req)
			if res.Excluded != wantX || len(res.Matches) != len(want) {
				t.Fatalf("round %d: excluded %v / %d matches, brute force %v / %d", round, res.Excluded, len(res.Matches), wantX, len(want))
			}
			for j, m := range res.Matches {
				if m.Reference != want[j].ref {
					t.Fatalf("round %d: match %d is %s, brute force %s", round, j, m.Reference, want[j].ref)
				}
			}
		}
	}
}
