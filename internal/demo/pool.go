package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/progress"
	"vivier/internal/store"
)

// The size of the demo pool.
const (
	DemoExperts = 2000
	DemoNeeds   = 150
)

// Pool is what the pool part of the demo made, for the demo accounts: the
// expert a demo expert account links to (expert.Service.LinkUser) and the
// organisation a demo requester belongs to.
type Pool struct {
	ExpertReference  string // a qualified expert with skills and availability
	ExpertID         int64
	RequesterOrgID   int64 // a commune under 3,500 inhabitants with needs
	RequesterOrgName string
}

// order of the need statuses along the lifecycle, to walk a need there.
var needPath = map[need.Status][]need.Status{
	need.Submitted:   nil,
	need.Qualified:   {need.Qualified},
	need.Proposed:    {need.Qualified, need.Proposed},
	need.Assigned:    {need.Qualified, need.Proposed, need.Assigned},
	need.Cancelled:   {need.Cancelled},
	need.Unfulfilled: {need.Qualified, need.Unfulfilled},
}

// FillPool adds the demo experts and needs: experts through the real
// import (so the demo exercises it), statuses through the lifecycle, needs
// through the service, a few of them grouped in one EPCI so pooling has
// candidates. The same seed gives the same pool within a month.
func FillPool(ctx context.Context, db *store.DB, opts Options) (Pool, error) {
	ref := geo.Default()
	today := date.Today()
	g := NewGenerator(opts.Seed, ref, date.Date{Year: today.Year, Month: today.Month, Day: 1})
	var file bytes.Buffer
	statuses, err := g.WriteExpertsCSV(&file, DemoExperts)
	if err != nil {
		return Pool{}, err
	}
	experts := expert.New(expert.Options{DB: db, Geo: ref})
	w := opts.Progress
	if w == nil {
		w = io.Discard
	}
	bar := progress.New(w, "Experts de démonstration", DemoExperts)
	shown := 0
	_, err = experts.Import(ctx, &file, expert.ImportOptions{Progress: func(done, total int) {
		bar.Add(done - shown)
		shown = done
	}}, access.System)
	bar.Finish()
	if err != nil {
		return Pool{}, fmt.Errorf("demo experts: %w", err)
	}
	if err := setStatuses(ctx, experts, statuses); err != nil {
		return Pool{}, err
	}
	var pool Pool
	demoExpert, err := experts.List(ctx, expert.Filter{Status: expert.Qualified, Skill: "filieres.industrie", MinLevel: 3, PageSize: 1}, access.System)
	if err != nil || len(demoExpert.Experts) == 0 {
		return Pool{}, fmt.Errorf("demo expert: %v", err)
	}
	pool.ExpertReference, pool.ExpertID = demoExpert.Experts[0].Reference, demoExpert.Experts[0].ID
	if err := fillNeeds(ctx, db, g, w, &pool); err != nil {
		return Pool{}, err
	}
	return pool, nil
}

func setStatuses(ctx context.Context, experts *expert.Service, statuses map[string]expert.Status) error {
	for i := range DemoExperts {
		ref := fmt.Sprintf("EXP-%06d", i+1)
		st := statuses[ref]
		if st != expert.Suspended && st != expert.Archived {
			continue
		}
		e, err := experts.ByReference(ctx, ref, access.System)
		if err != nil {
			return err
		}
		reason := map[expert.Status]string{expert.Suspended: "indisponible plusieurs mois (raison personnelle)", expert.Archived: "a quitté le réseau"}[st]
		if err := experts.SetStatus(ctx, e.ID, st, reason, access.System); err != nil {
			return fmt.Errorf("demo expert %s: %w", ref, err)
		}
	}
	return nil
}

func fillNeeds(ctx context.Context, db *store.DB, g *Generator, w io.Writer, pool *Pool) error {
	// Each need was submitted some weeks ago and moved along its
	// lifecycle since, every step after the one before and before now:
	// its dates, its history and the dashboards' ages agree.
	clock := &demoClock{}
	defer func() { clock.at = time.Time{} }()
	needs := need.New(need.Options{DB: db, Geo: g.geo, Now: clock.now})
	now := time.Now().UTC().Add(-time.Hour)
	bar := progress.New(w, "Besoins de démonstration", DemoNeeds)
	defer bar.Finish()
	var cluster *geo.Commune
	for i := range DemoNeeds {
		var near *geo.Commune
		if i%50 < 4 && cluster != nil {
			near = cluster // four needs of the same EPCI, overlapping: pooling candidates
		}
		in, status := g.Need(near)
		if near != nil {
			status, in.Start, in.End = need.Qualified, g.base.AddDays(40), g.base.AddDays(130)
		}
		path := needPath[status]
		// Submitted 2 to 20 days ago, plus a week or two per step.
		hours := 24 * (2 + g.rng.IntN(19) + len(path)*(7+g.rng.IntN(8)))
		at := now.Add(-time.Duration(hours) * time.Hour)
		clock.at = at
		n, err := needs.Create(ctx, in, access.System)
		if err != nil {
			return fmt.Errorf("demo need %q: %w", in.Title, err)
		}
		if i%50 == 0 {
			c, _ := g.geo.Commune(n.Commune)
			cluster = &c
		}
		for k, st := range path {
			// The steps share the time since the submission.
			clock.at = at.Add(time.Duration(hours*(k+1)/(len(path)+1)) * time.Hour)
			if err := needs.Transition(ctx, n.ID, st, statusComment(st), access.System); err != nil {
				return fmt.Errorf("demo need %d → %s: %w", n.ID, st, err)
			}
		}
		if pool.RequesterOrgID == 0 && in.Requester == "" {
			pool.RequesterOrgID, pool.RequesterOrgName = n.RequesterID, n.RequesterName
		}
		bar.Add(1)
	}
	return nil
}

func statusComment(st need.Status) string {
	switch st {
	case need.Qualified:
		return "besoin précisé par téléphone avec la commune"
	case need.Cancelled:
		return "la commune a trouvé une solution en interne"
	case need.Unfulfilled:
		return "aucun expert disponible sur la période"
	}
	return ""
}
