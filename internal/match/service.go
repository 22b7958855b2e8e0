package match

import (
	"context"
	"errors"
	"slices"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Service is matching as the rest of Vivier uses it: rankings and
// explanations of stored needs, each logged for oversight; mutualised
// needs; conflicts of interest; the weights; the ranking log. Ranking
// people for work is staff's business: every method is for staff (the
// weights' change for administrators; an expert reads the logged ranking
// behind a proposal they received, a requester the one behind a proposal
// accepted for their need). A need or a profile the actor may not see is
// « not found ». The Engine it holds ranks in memory.
type Service struct {
	engine *Engine
	db     *store.DB
	geo    *geo.Reference
	needs  Needs
}

// Needs reads the stored needs that a ranking concerns.
type Needs interface {
	Get(ctx context.Context, id int64, actor access.Actor) (need.Need, error)
	Nearby(ctx context.Context, id int64, actor access.Actor) ([]need.Need, error)
}

// ServiceOptions are what the service needs.
type ServiceOptions struct {
	Engine *Engine // loaded with Load
	DB     *store.DB
	Geo    *geo.Reference
	Needs  Needs
}

// NewService returns the service.
func NewService(o ServiceOptions) *Service {
	return &Service{engine: o.Engine, db: o.DB, geo: o.Geo, needs: o.Needs}
}

// Run keeps the engine in step with the database until ctx ends (see
// Engine.Run).
func (s *Service) Run(ctx context.Context) { s.engine.Run(ctx) }

// Size is the number of experts the engine holds.
func (s *Service) Size() int { return s.engine.Len() }

func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("le classement des experts est réservé à la coordination")
	}
	return nil
}

// staffOnNeed refuses an action of staff only on need needID: « not
// found » to an actor who may not see the need, refused to one who sees it
// (a requester of its organisation).
func (s *Service) staffOnNeed(ctx context.Context, needID int64, actor access.Actor) error {
	if actor.Staff() {
		return nil
	}
	if _, err := s.needs.Get(ctx, needID, actor); err != nil {
		return err
	}
	return staffOnly(actor)
}

// staffOnExpert refuses an action of staff only on expert expertID:
// « not found » to an actor who may not see the profile, refused to its
// expert, who sees it.
func (s *Service) staffOnExpert(ctx context.Context, expertID int64, actor access.Actor) error {
	if actor.Staff() {
		return nil
	}
	if actor.Is(access.Expert) {
		var own bool
		if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM experts WHERE id = $1 AND user_id = $2)`,
			expertID, actor.UserID).Scan(&own); err != nil {
			return err
		}
		if own {
			return staffOnly(actor)
		}
	}
	return store.NotFound("expert %d", expertID)
}

// Rank ranks the experts for req (a need that is not stored: a file of the
// command line) and logs the ranking shown with purpose.
func (s *Service) Rank(ctx context.Context, req Request, limit int, purpose string, actor access.Actor) (Result, error) {
	if err := staffOnly(actor); err != nil {
		return Result{}, err
	}
	res, err := s.engine.Rank(ctx, req, limit)
	if err != nil {
		return res, err
	}
	return res, s.logRanking(ctx, actor, purpose, 0, req, res)
}

// Explain says why the expert with reference ranks where they do for req,
// or which constraint excludes them, and logs the explanation shown.
func (s *Service) Explain(ctx context.Context, req Request, reference, purpose string, actor access.Actor) (Explanation, error) {
	return s.explain(ctx, 0, req, reference, purpose, actor)
}

// NeedRanking is the ranking of a stored need: the request ranked (the
// need's, or its group's merged one) and the result.
type NeedRanking struct {
	Request Request
	Result  Result
}

// RankNeed ranks the experts for the stored need n — with the merged
// request of its group when it is mutualised — and logs the ranking shown
// with purpose. A group whose windows no longer share a day is a
// valid.Errors on the field "group".
func (s *Service) RankNeed(ctx context.Context, n need.Need, limit int, purpose string, actor access.Actor) (NeedRanking, error) {
	if err := s.staffOnNeed(ctx, n.ID, actor); err != nil {
		return NeedRanking{}, err
	}
	req, err := s.requestFor(ctx, n, actor)
	if err != nil {
		return NeedRanking{Request: req}, err
	}
	res, err := s.engine.Rank(ctx, req, limit)
	if err != nil {
		return NeedRanking{Request: req}, err
	}
	return NeedRanking{Request: req, Result: res}, s.logRanking(ctx, actor, purpose, n.ID, req, res)
}

// ExplainNeed says why the expert with reference ranks where they do for
// the stored need n, or which constraint excludes them, and logs it.
func (s *Service) ExplainNeed(ctx context.Context, n need.Need, reference, purpose string, actor access.Actor) (Explanation, error) {
	if err := s.staffOnNeed(ctx, n.ID, actor); err != nil {
		return Explanation{}, err
	}
	req, err := s.requestFor(ctx, n, actor)
	if err != nil {
		return Explanation{}, err
	}
	return s.explain(ctx, n.ID, req, reference, purpose, actor)
}

func (s *Service) explain(ctx context.Context, needID int64, req Request, reference, purpose string, actor access.Actor) (Explanation, error) {
	if err := staffOnly(actor); err != nil {
		return Explanation{}, err
	}
	ex, err := s.engine.Explain(ctx, req, reference)
	if err != nil {
		return ex, err
	}
	// The log keeps, of an explanation, the weights and, for an eligible
	// expert, their place and components.
	logged := Result{Weights: s.engine.Weights()}
	if ex.Eligible && ex.Components != nil {
		logged.Matches = []Match{{ExpertID: ex.ExpertID, Reference: ex.Reference, Rank: ex.Rank, Score: ex.Score, Components: *ex.Components}}
	}
	return ex, s.logRanking(ctx, actor, purpose, needID, req, logged)
}

// logRanking records a ranking shown to actor in match_log.
func (s *Service) logRanking(ctx context.Context, actor access.Actor, purpose string, needID int64, req Request, res Result) error {
	name, err := audit.ActorName(ctx, s.db, actor, "vivier match (ligne de commande)")
	if err != nil {
		return err
	}
	return logRanking(ctx, s.db, LogEntry{ActorID: actor.UserID, Actor: name, Purpose: purpose, NeedID: needID, Request: req, Result: res})
}

// requestFor returns the request matching ranks experts for need n: the
// need itself, or, when it is mutualised, the merged request of its group
// (union of the skills, intersection of the windows).
func (s *Service) requestFor(ctx context.Context, n need.Need, actor access.Actor) (Request, error) {
	members, err := s.groupNeeds(ctx, n, actor)
	if err != nil || len(members) < 2 {
		return FromNeed(n), err
	}
	return mergeNeeds(members)
}

// Group returns the needs of n's group in order, n included, and their
// merged request; nil when n is alone.
func (s *Service) Group(ctx context.Context, n need.Need, actor access.Actor) ([]need.Need, error) {
	if err := s.staffOnNeed(ctx, n.ID, actor); err != nil {
		return nil, err
	}
	return s.groupNeeds(ctx, n, actor)
}

func (s *Service) groupNeeds(ctx context.Context, n need.Need, actor access.Actor) ([]need.Need, error) {
	_, ids, err := groupOf(ctx, s.db, n.ID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	out := make([]need.Need, 0, len(ids))
	for _, id := range ids {
		m := n
		if id != n.ID {
			if m, err = s.needs.Get(ctx, id, actor); err != nil {
				return nil, err
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// mergeNeeds merges the requests of ns, in order.
func mergeNeeds(ns []need.Need) (Request, error) {
	reqs := make([]Request, len(ns))
	for i, m := range ns {
		reqs[i] = FromNeed(m)
	}
	req, err := Merge(reqs...)
	if errors.Is(err, ErrNoCommonWindow) {
		var errs valid.Errors
		errs.Add("group", "les besoins mutualisés n’ont plus aucun jour en commun : dissociez-en un")
		return req, errs
	}
	return req, err
}

// PoolCandidates are the open needs that could be mutualised with n: those
// Pool accepts among the needs nearby, outside n's group.
func (s *Service) PoolCandidates(ctx context.Context, n need.Need, actor access.Actor) ([]need.Need, error) {
	if err := s.staffOnNeed(ctx, n.ID, actor); err != nil {
		return nil, err
	}
	if !n.Status.Open() {
		return nil, nil // a closed need is grouped with nothing more
	}
	nearby, err := s.needs.Nearby(ctx, n.ID, actor)
	if err != nil {
		return nil, err
	}
	_, members, err := groupOf(ctx, s.db, n.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]need.Need{}
	open := make([]OpenNeed, 0, len(nearby))
	for _, m := range nearby {
		if slices.Contains(members, m.ID) {
			continue
		}
		byID[m.ID] = m
		open = append(open, OpenNeed{ID: m.ID, Request: FromNeed(m)})
	}
	var out []need.Need
	for _, o := range Pool(s.geo, OpenNeed{ID: n.ID, Request: FromNeed(n)}, open) {
		out = append(out, byID[o.ID])
	}
	return out, nil
}

// GroupNeeds mutualises the open need n with the needs chosen, which must
// still be among its PoolCandidates and whose merged windows must share a
// day; errors are valid.Errors on the field "need" (or "group").
func (s *Service) GroupNeeds(ctx context.Context, n need.Need, chosen []int64, actor access.Actor) error {
	if err := s.staffOnNeed(ctx, n.ID, actor); err != nil {
		return err
	}
	var errs valid.Errors
	if !n.Status.Open() {
		errs.Add("need", "ce besoin est clos : il ne peut plus être mutualisé")
		return errs
	}
	if len(chosen) == 0 {
		errs.Add("need", "cochez au moins un besoin à mutualiser")
		return errs
	}
	cands, err := s.PoolCandidates(ctx, n, actor)
	if err != nil {
		return err
	}
	members, err := s.groupNeeds(ctx, n, actor)
	if err != nil {
		return err
	}
	if len(members) == 0 {
		members = []need.Need{n}
	}
	for _, id := range chosen {
		i := slices.IndexFunc(cands, func(c need.Need) bool { return c.ID == id })
		if i < 0 {
			errs.Add("need", "ce besoin ne peut plus être mutualisé avec celui-ci (fermé, éloigné ou sans période commune)")
			return errs
		}
		members = append(members, cands[i])
	}
	if _, err := mergeNeeds(members); err != nil {
		return err
	}
	_, err = groupNeeds(ctx, s.db, n.ID, chosen, actor)
	return err
}

// UngroupNeed takes need needID out of its group; a group left with one
// need is dissolved. A need in no group is a valid.Errors on "need".
func (s *Service) UngroupNeed(ctx context.Context, needID int64, actor access.Actor) error {
	if err := s.staffOnNeed(ctx, needID, actor); err != nil {
		return err
	}
	err := ungroupNeed(ctx, s.db, needID, actor)
	if errors.Is(err, store.ErrNotFound) {
		var errs valid.Errors
		errs.Add("need", "ce besoin n’est mutualisé avec aucun autre")
		return errs
	}
	return err
}

// Conflicts returns the SIRENs expert expertID declared, in order.
func (s *Service) Conflicts(ctx context.Context, expertID int64, actor access.Actor) ([]Conflict, error) {
	if err := s.staffOnExpert(ctx, expertID, actor); err != nil {
		return nil, err
	}
	return conflicts(ctx, s.db, expertID)
}

// DeclareConflict records a conflict of interest of expert expertID with
// the organisation whose SIREN is siren (see declareConflict).
func (s *Service) DeclareConflict(ctx context.Context, expertID int64, siren string, actor access.Actor) error {
	if err := s.staffOnExpert(ctx, expertID, actor); err != nil {
		return err
	}
	return declareConflict(ctx, s.db, expertID, siren, actor)
}

// RemoveConflict withdraws a declared conflict; one not declared is
// « not found ».
func (s *Service) RemoveConflict(ctx context.Context, expertID int64, siren string, actor access.Actor) error {
	if err := s.staffOnExpert(ctx, expertID, actor); err != nil {
		return err
	}
	return removeConflict(ctx, s.db, expertID, siren, actor)
}

// Weights returns the stored weights (the defaults when none are).
func (s *Service) Weights(ctx context.Context, actor access.Actor) (Weights, error) {
	if err := staffOnly(actor); err != nil {
		return Weights{}, err
	}
	return loadWeights(ctx, s.db)
}

// SaveWeights validates and stores w for every instance; administrators
// only. Invalid weights are a valid.Errors naming each bad component.
func (s *Service) SaveWeights(ctx context.Context, w Weights, actor access.Actor) error {
	if !actor.Admin() {
		return access.Deny("seul un administrateur change la pondération du classement")
	}
	return saveWeights(ctx, s.db, w, actor)
}

// RankingLog returns a page of the ranking log, newest first (only the
// rankings of need needID when it is not 0).
func (s *Service) RankingLog(ctx context.Context, needID int64, page, pageSize int, actor access.Actor) (LogPage, error) {
	if err := staffOnly(actor); err != nil {
		return LogPage{}, err
	}
	return readLog(ctx, s.db, needID, page, pageSize)
}

// LatestRecord returns the most recent logged ranking of the need in which
// the expert appeared, and whether there is one — the record a proposal was
// made on: for staff, the expert themself once proposed for the need, and
// the requesters of the need once the expert accepted, who read why that
// expert was proposed to them (what they see of the proposal). Others get
// none.
func (s *Service) LatestRecord(ctx context.Context, needID, expertID int64, actor access.Actor) (Record, bool, error) {
	var user, org int64
	var proposed, accepted bool
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT user_id FROM experts WHERE id = $1), 0),
		coalesce((SELECT requester_id FROM needs WHERE id = $2), 0),
		EXISTS (SELECT 1 FROM proposals WHERE expert_id = $1 AND need_id = $2),
		EXISTS (SELECT 1 FROM proposals WHERE expert_id = $1 AND need_id = $2 AND status IN ('accepted', 'chosen'))`,
		expertID, needID).Scan(&user, &org, &proposed, &accepted)
	if err != nil {
		return Record{}, false, err
	}
	may := actor.Staff() || actor.Is(access.Expert) && user != 0 && user == actor.UserID && proposed ||
		actor.Is(access.Requester) && actor.ActsFor(org) && accepted
	if !may {
		return Record{}, false, nil
	}
	return latestRecord(ctx, s.db, needID, expertID)
}

// Sync applies the changes of the database journal to the engine now,
// rather than at its next periodic sync (tests, and the end of imports).
func (s *Service) Sync(ctx context.Context) error { return s.engine.Sync(ctx) }
