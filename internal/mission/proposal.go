package mission

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/need"
	"vivier/internal/store"
)

// ProposalStatus is where a proposal stands.
type ProposalStatus string

// A proposal is pending until the expert accepts or declines it, or it
// expires; an accepted one is then chosen by the requester, or passed
// (another was chosen, or the requester asked for other experts).
const (
	Pending  ProposalStatus = "pending"
	Accepted ProposalStatus = "accepted"
	Declined ProposalStatus = "declined"
	Expired  ProposalStatus = "expired"
	Chosen   ProposalStatus = "chosen"
	Passed   ProposalStatus = "passed"
)

// Label is the status in French.
func (p ProposalStatus) Label() string {
	switch p {
	case Pending:
		return "en attente de réponse"
	case Accepted:
		return "acceptée par l’expert"
	case Declined:
		return "déclinée"
	case Expired:
		return "expirée"
	case Chosen:
		return "retenue"
	case Passed:
		return "non retenue"
	}
	return string(p)
}

// Proposal is an expert proposed for a need, with the need's and the
// expert's main facts for the pages.
type Proposal struct {
	ID          int64
	NeedID      int64
	NeedTitle   string
	NeedKind    need.Kind
	Commune     string
	Start, End  date.Date
	DaysPerWeek int
	OrgID       int64 // the requester organisation of the need
	OrgName     string
	ExpertID    int64
	ExpertName  string
	ExpertUser  int64 // the expert's account, 0 when none
	Employment  string
	DailyRate   *int
	Bio         string
	Message     string
	Status      ProposalStatus
	Reason      string
	DueDate     date.Date
	CreatedAt   time.Time
	AnsweredAt  *time.Time
	MissionID   int64 // the mission created when chosen, 0 otherwise
	NeedSummary string
}

const selectProposal = `SELECT p.id, p.need_id, n.title, n.kind, n.commune, n.start_date, n.end_date, n.days_per_week, n.requester_id, o.name,
	p.expert_id, e.first_name, e.last_name, coalesce(e.user_id, 0), e.employment, e.daily_rate, e.bio,
	p.message, p.status, p.reason, p.due_date, p.created_at, p.answered_at, coalesce(m.id, 0), n.description
	FROM proposals p JOIN needs n ON n.id = p.need_id JOIN organisations o ON o.id = n.requester_id
	JOIN experts e ON e.id = p.expert_id LEFT JOIN missions m ON m.proposal_id = p.id`

func scanProposal(sc interface{ Scan(...any) error }) (Proposal, error) {
	var p Proposal
	var first, last string
	var rate sql.NullInt64
	var answered sql.NullTime
	err := sc.Scan(&p.ID, &p.NeedID, &p.NeedTitle, &p.NeedKind, &p.Commune, &p.Start, &p.End, &p.DaysPerWeek, &p.OrgID, &p.OrgName,
		&p.ExpertID, &first, &last, &p.ExpertUser, &p.Employment, &rate, &p.Bio,
		&p.Message, &p.Status, &p.Reason, &p.DueDate, &p.CreatedAt, &answered, &p.MissionID, &p.NeedSummary)
	p.ExpertName = strings.TrimSpace(first + " " + last)
	if rate.Valid {
		r := int(rate.Int64)
		p.DailyRate = &r
	}
	if answered.Valid {
		t := answered.Time.UTC()
		p.AnsweredAt = &t
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return p, err
}

func queryProposals(ctx context.Context, q store.Querier, where string, args ...any) ([]Proposal, error) {
	rows, err := q.QueryContext(ctx, selectProposal+" WHERE "+where+" ORDER BY p.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Proposal returns the proposal with id.
func (s *Service) Proposal(ctx context.Context, id int64, actor access.Actor) (Proposal, error) {
	list, err := queryProposals(ctx, s.db, "p.id = $1", id)
	if err != nil {
		return Proposal{}, err
	}
	if len(list) == 0 || !mayReadProposal(actor, list[0]) {
		return Proposal{}, store.NotFound("proposal %d", id)
	}
	return list[0], nil
}

// NeedProposals lists the proposals of a need that actor may see, oldest
// first: all of them for staff, the accepted and chosen ones for a
// requester of the need's organisation.
func (s *Service) NeedProposals(ctx context.Context, needID int64, actor access.Actor) ([]Proposal, error) {
	if err := actsForRequester(ctx, s.db, needID, actor); err != nil {
		return nil, err
	}
	list, err := queryProposals(ctx, s.db, "p.need_id = $1", needID)
	if err != nil {
		return nil, err
	}
	var out []Proposal
	for _, p := range list {
		if mayReadProposal(actor, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// MyProposals lists the proposals made to actor, an expert, the pending
// ones first (none for other actors).
func (s *Service) MyProposals(ctx context.Context, actor access.Actor) ([]Proposal, error) {
	if !actor.Is(access.Expert) {
		return nil, nil
	}
	id, err := ownExpertID(ctx, s.db, actor)
	if err != nil || id < 0 {
		return nil, err
	}
	return queryProposals(ctx, s.db, "p.expert_id = $1", id)
}

// ToChoose lists the accepted proposals of the requester's organisation's
// needs, which they have to choose among (none for other actors).
func (s *Service) ToChoose(ctx context.Context, actor access.Actor) ([]Proposal, error) {
	if !actor.Is(access.Requester) || actor.OrganisationID == 0 {
		return nil, nil
	}
	return queryProposals(ctx, s.db, "n.requester_id = $1 AND p.status = 'accepted' AND n.status = 'proposed'", actor.OrganisationID)
}

// Propose proposes experts for a need, with the coordinator's message:
// one proposal per expert not already proposed (a double submit creates
// nothing twice), each expert told by email. A qualified need becomes
// proposed. It returns how many proposals were created.
// matching: the expert's figures changed (ProposalsLast90Days)
func (s *Service) Propose(ctx context.Context, needID int64, expertIDs []int64, message string, actor access.Actor) (int, error) {
	if err := actsForRequester(ctx, s.db, needID, actor); err != nil {
		return 0, err
	}
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	message = strings.TrimSpace(message)
	if len(expertIDs) == 0 {
		return 0, fieldErr("expert", "choisissez au moins un expert à proposer")
	}
	if len(message) > 4000 {
		return 0, fieldErr("message", "le message est trop long (4 000 caractères au plus)")
	}
	created := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		created = 0
		var status need.Status
		var title string
		if err := tx.QueryRowContext(ctx, `SELECT status, title FROM needs WHERE id = $1`, needID).Scan(&status, &title); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return store.NotFound("need %d", needID)
			}
			return err
		}
		switch status {
		case need.Qualified, need.Proposed:
		case need.Submitted:
			return fieldErr("expert", "qualifiez d’abord le besoin : on ne propose pas d’experts pour un besoin seulement déposé")
		default:
			return fieldErr("expert", "le besoin est « %s » : on n’y propose plus d’experts", status.Label())
		}
		now := s.now()
		due := workingDaysAfter(s.today(), s.expiryDays)
		for _, id := range expertIDs {
			n, err := s.proposeOne(ctx, tx, needID, title, id, message, due, actor, now)
			if err != nil {
				return err
			}
			created += n
		}
		if status == need.Qualified && created > 0 {
			return need.MoveInTx(ctx, tx, needID, need.Qualified, need.Proposed, actor, now)
		}
		return nil
	})
	return created, err
}

// proposeOne inserts one proposal unless it exists; 1 when created.
func (s *Service) proposeOne(ctx context.Context, tx *sql.Tx, needID int64, title string, expertID int64, message string, due date.Date, actor access.Actor, now time.Time) (int, error) {
	var st string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM experts WHERE id = $1`, expertID).Scan(&st); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fieldErr("expert", "l’expert n° %d n’existe pas", expertID)
		}
		return 0, err
	}
	if st != "qualified" {
		return 0, fieldErr("expert", "l’expert n° %d n’est pas qualifié : on ne peut pas le proposer", expertID)
	}
	var by any
	if actor.UserID != 0 {
		by = actor.UserID
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO proposals (need_id, expert_id, message, proposed_by, due_date, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (need_id, expert_id) DO NOTHING RETURNING id`,
		needID, expertID, message, by, due, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil // already proposed
	}
	if err != nil {
		return 0, err
	}
	if err := expert.Touch(ctx, tx, expertID); err != nil {
		return 0, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "proposal.created", Subject: subject("proposal", id),
		Details: map[string]any{"need": needID, "expert": expertID}}); err != nil {
		return 0, err
	}
	p, err := expertPerson(ctx, tx, expertID)
	if err != nil {
		return 0, err
	}
	lines := []string{fmt.Sprintf("La fédération vous propose pour le besoin « %s ».", title)}
	if message != "" {
		lines = append(lines, "Message de la coordination : "+message)
	}
	lines = append(lines, "Merci d’accepter ou de décliner avant le "+fr.Date(due)+".")
	return 1, s.notify(ctx, tx, p.Email, p.Name, subject("proposal-new", id),
		notice{Subject: "Une mission vous est proposée : " + title, Lines: lines, Action: "Répondre à la proposition"}, idPath("/propositions", id))
}

// Answer records the expert's answer to a proposal: accept, or decline
// with a reason. Answering again the same way does nothing; changing an
// answer given, or answering an expired proposal, is refused.
func (s *Service) Answer(ctx context.Context, id int64, accept bool, reason string, actor access.Actor) error {
	p, err := s.Proposal(ctx, id, actor)
	if err != nil {
		return err
	}
	if !actor.IsSystem() && !(actor.Is(access.Expert) && p.ExpertUser == actor.UserID) {
		return access.Deny("seul l’expert proposé répond à la proposition")
	}
	reason = strings.TrimSpace(reason)
	if !accept && reason == "" {
		return fieldErr("reason", "dites pourquoi vous déclinez : la coordination en tient compte pour les prochaines propositions")
	}
	want := Declined
	if accept {
		want = Accepted
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var st ProposalStatus
		var needID int64
		var by sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT status, need_id, proposed_by FROM proposals WHERE id = $1`, id).Scan(&st, &needID, &by); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return store.NotFound("proposal %d", id)
			}
			return err
		}
		if st == want {
			return nil // a double click
		}
		if st != Pending {
			return fieldErr("reason", "cette proposition est déjà « %s » : la réponse ne peut plus changer", st.Label())
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE proposals SET status = $1, reason = $2, answered_at = $3, updated_at = $3 WHERE id = $4`,
			string(want), reason, now, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "proposal." + string(want), Subject: subject("proposal", id)}); err != nil {
			return err
		}
		return s.tellAnswer(ctx, tx, id, needID, by, accept, reason)
	})
}

func (s *Service) tellAnswer(ctx context.Context, tx *sql.Tx, id, needID int64, by sql.NullInt64, accept bool, reason string) error {
	ps, err := queryProposals(ctx, tx, "p.id = $1", id)
	if err != nil || len(ps) == 0 {
		return err
	}
	p := ps[0]
	coord, err := userPerson(ctx, tx, by)
	if err != nil {
		return err
	}
	if !accept {
		return s.notify(ctx, tx, coord.Email, coord.Name, subject("proposal-declined", id),
			notice{Subject: p.ExpertName + " décline le besoin « " + p.NeedTitle + " »",
				Lines: []string{"Motif : " + reason}}, idPath("/besoins", needID)+"/propositions")
	}
	if err := s.notify(ctx, tx, coord.Email, coord.Name, subject("proposal-accepted-coord", id),
		notice{Subject: p.ExpertName + " accepte le besoin « " + p.NeedTitle + " »"}, idPath("/besoins", needID)+"/propositions"); err != nil {
		return err
	}
	req, err := requesterOf(ctx, tx, needID)
	if err != nil {
		return err
	}
	return s.notify(ctx, tx, req.Email, req.Name, subject("proposal-accepted", id),
		notice{Subject: "Un expert est disponible pour « " + p.NeedTitle + " »",
			Lines:  []string{p.ExpertName + " accepte d’intervenir. Consultez son profil et choisissez l’expert de votre mission."},
			Action: "Choisir mon expert"}, idPath("/besoins", needID)+"/propositions")
}

// Choose records the requester's choice of an accepted proposal: the
// mission is created (planned, from the need's window and the expert's
// rate; awaiting the employer's agreement when the expert is en_poste),
// the other proposals of the need are passed and the need is assigned.
// Choosing again the chosen proposal returns its mission.
// matching: the expert's figures changed (ActiveMissions, Commitments)
func (s *Service) Choose(ctx context.Context, proposalID int64, actor access.Actor) (int64, error) {
	p, err := s.Proposal(ctx, proposalID, actor)
	if err != nil {
		return 0, err
	}
	if !actor.Staff() && !(actor.Is(access.Requester) && actor.ActsFor(p.OrgID)) {
		return 0, access.Deny("seul le demandeur choisit l’expert de sa mission")
	}
	var missionID int64
	err = s.db.Tx(ctx, thenTouch(ctx, func() int64 { return missionID }, func(tx *sql.Tx) error {
		ps, err := queryProposals(ctx, tx, "p.id = $1", proposalID)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return store.NotFound("proposal %d", proposalID)
		}
		p := ps[0]
		if p.Status == Chosen {
			missionID = p.MissionID
			return nil
		}
		if p.Status != Accepted {
			return fieldErr("proposal", "on ne peut retenir qu’un expert qui a accepté la proposition (celle-ci est « %s »)", p.Status.Label())
		}
		missionID, err = s.createMission(ctx, tx, p, actor)
		return err
	}))
	return missionID, err
}

func (s *Service) createMission(ctx context.Context, tx *sql.Tx, p Proposal, actor access.Actor) (int64, error) {
	n, err := loadNeedFacts(ctx, tx, p.NeedID)
	if err != nil {
		return 0, err
	}
	if n.status != need.Proposed {
		return 0, fieldErr("proposal", "le besoin est « %s » : on ne peut plus y retenir d’expert", n.status.Label())
	}
	now := s.now()
	employer := NotNeeded
	if p.Employment == "en_poste" {
		employer = Awaited
	}
	rate := 0
	if p.DailyRate != nil {
		rate = *p.DailyRate
	}
	if n.kind == need.Interim {
		p.Start = interimStart(p.Start, s.today())
		if p.End.Before(p.Start) {
			p.End = p.Start
		}
	}
	weeks := (p.Start.DaysUntil(p.End) + 7) / 7
	planned := weeks * n.daysPerWeek
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO missions (need_id, expert_id, proposal_id, start_date, end_date, planned_days, days_per_week,
		daily_rate, domain, commune, employer, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		p.NeedID, p.ExpertID, p.ID, p.Start, p.End, planned, n.daysPerWeek, rate, n.domain, p.Commune, string(employer), now).Scan(&id); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO mission_needs (mission_id, need_id, organisation_id) VALUES ($1, $2, $3)`, id, p.NeedID, p.OrgID); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'chosen', updated_at = $1 WHERE id = $2`, now, p.ID); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'passed', updated_at = $1
		WHERE need_id = $2 AND id <> $3 AND status IN ('pending', 'accepted')`, now, p.NeedID, p.ID); err != nil {
		return 0, err
	}
	if err := need.MoveInTx(ctx, tx, p.NeedID, need.Proposed, need.Assigned, actor, now); err != nil {
		return 0, err
	}
	if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.created", Subject: subject("mission", id),
		Details: map[string]any{"need": p.NeedID, "expert": p.ExpertID, "proposal": p.ID}}); err != nil {
		return 0, err
	}
	coord, err := coordinatorOf(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	if err := s.notify(ctx, tx, coord.Email, coord.Name, subject("mission-created-coordinator", id),
		notice{Subject: p.OrgName + " a choisi " + p.ExpertName + " pour « " + p.NeedTitle + " »",
			Lines: []string{map[bool]string{true: "L’expert est en poste : demandez l’accord de son employeur depuis la page de la mission.", false: "La mission est planifiée."}[employer == Awaited]}},
		idPath("/missions", id)); err != nil {
		return 0, err
	}
	ex, err := expertPerson(ctx, tx, p.ExpertID)
	if err != nil {
		return 0, err
	}
	lines := []string{"Le demandeur vous a retenu pour « " + p.NeedTitle + " », " + window(p.Start, p.End) + "."}
	if employer == Awaited {
		lines = append(lines, "Comme vous êtes en poste, la mission ne pourra commencer qu’avec l’accord de votre employeur : la coordination le lui demande.")
	}
	return id, s.notify(ctx, tx, ex.Email, ex.Name, subject("mission-created", id),
		notice{Subject: "Vous êtes retenu pour la mission « " + p.NeedTitle + " »", Lines: lines, Action: "Voir la mission"}, idPath("/missions", id))
}

type needFacts struct {
	status      need.Status
	kind        need.Kind
	daysPerWeek int
	domain      string
}

// loadNeedFacts reads what a mission copies from its need; the domain is
// the one of its first required skill (else its first skill).
func loadNeedFacts(ctx context.Context, q store.Querier, needID int64) (needFacts, error) {
	var f needFacts
	if err := q.QueryRowContext(ctx, `SELECT status, kind, days_per_week FROM needs WHERE id = $1`, needID).Scan(&f.status, &f.kind, &f.daysPerWeek); err != nil {
		return f, err
	}
	var code string
	err := q.QueryRowContext(ctx, `SELECT skill_code FROM need_skills WHERE need_id = $1 ORDER BY required DESC, skill_code LIMIT 1`, needID).Scan(&code)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, err
	}
	f.domain, _, _ = strings.Cut(code, ".")
	return f, nil
}

// AskOthers records that the requester wants other experts than the
// accepted ones: those proposals are passed with the reason and the
// coordinators who proposed them are told.
func (s *Service) AskOthers(ctx context.Context, needID int64, reason string, actor access.Actor) error {
	if err := actsForRequester(ctx, s.db, needID, actor); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fieldErr("reason", "dites ce qui ne convient pas, pour que la coordination propose mieux")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		ps, err := queryProposals(ctx, tx, "p.need_id = $1 AND p.status = 'accepted'", needID)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return nil // nothing to pass: a replay
		}
		now := s.now()
		for _, p := range ps {
			if _, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'passed', reason = $1, updated_at = $2 WHERE id = $3`, reason, now, p.ID); err != nil {
				return err
			}
			var by sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT proposed_by FROM proposals WHERE id = $1`, p.ID).Scan(&by); err != nil {
				return err
			}
			coord, err := userPerson(ctx, tx, by)
			if err != nil {
				return err
			}
			if err := s.notify(ctx, tx, coord.Email, coord.Name, subject("proposal-passed", p.ID),
				notice{Subject: "Le demandeur souhaite d’autres experts pour « " + p.NeedTitle + " »", Lines: []string{"Motif : " + reason}},
				idPath("/besoins", needID)+"/propositions"); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "proposal.others_asked", Subject: subject("need", needID)})
	})
}

// ExpireDue expires the proposals still pending after their due date and
// tells the coordinator who made each; it returns how many expired.
func (s *Service) ExpireDue(ctx context.Context, actor access.Actor) (int, error) {
	if err := systemOnly(actor); err != nil {
		return 0, err
	}
	count := 0
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		count = 0
		ps, err := queryProposals(ctx, tx, "p.status = 'pending' AND p.due_date < $1", s.today())
		if err != nil {
			return err
		}
		now := s.now()
		for _, p := range ps {
			var by sql.NullInt64
			if err := tx.QueryRowContext(ctx, `UPDATE proposals SET status = 'expired', updated_at = $1 WHERE id = $2 AND status = 'pending' RETURNING proposed_by`,
				now, p.ID).Scan(&by); err != nil {
				return err
			}
			count++
			coord, err := userPerson(ctx, tx, by)
			if err != nil {
				return err
			}
			if err := s.notify(ctx, tx, coord.Email, coord.Name, subject("proposal-expired", p.ID),
				notice{Subject: "Proposition expirée : " + p.ExpertName + " pour « " + p.NeedTitle + " »",
					Lines: []string{"L’expert n’a pas répondu avant le " + fr.Date(p.DueDate) + "."}}, idPath("/besoins", p.NeedID)+"/propositions"); err != nil {
				return err
			}
		}
		return nil
	})
	return count, err
}

// RateText is the expert's daily rate in French ("650 €"), "" when unknown.
func (p Proposal) RateText() string {
	if p.DailyRate == nil {
		return ""
	}
	return fr.Euros(int64(*p.DailyRate))
}

// Candidate is what a requester reads of an expert who accepted a proposal
// for their need, before choosing: years of experience and skills with
// their level — not the expert's contact details or rate.
type Candidate struct {
	Experience *int
	Skills     []CandidateSkill
}

// CandidateSkill is one skill of a Candidate.
type CandidateSkill struct {
	Code  string
	Level int
}

// Candidates returns, by expert id, the profiles of the experts who
// accepted a proposal for need needID: for staff and the need's requesters.
func (s *Service) Candidates(ctx context.Context, needID int64, actor access.Actor) (map[int64]Candidate, error) {
	if err := actsForRequester(ctx, s.db, needID, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.experience_years, coalesce(k.skill_code, ''), coalesce(k.level, 0)
		FROM proposals p JOIN experts e ON e.id = p.expert_id LEFT JOIN expert_skills k ON k.expert_id = e.id
		WHERE p.need_id = $1 AND p.status IN ('accepted', 'chosen') ORDER BY e.id, k.skill_code`, needID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Candidate{}
	for rows.Next() {
		var id int64
		var exp sql.NullInt64
		var sk CandidateSkill
		if err := rows.Scan(&id, &exp, &sk.Code, &sk.Level); err != nil {
			return nil, err
		}
		c := out[id]
		if exp.Valid && c.Experience == nil {
			v := int(exp.Int64)
			c.Experience = &v
		}
		if sk.Code != "" {
			c.Skills = append(c.Skills, sk)
		}
		out[id] = c
	}
	return out, rows.Err()
}
