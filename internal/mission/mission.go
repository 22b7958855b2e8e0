// Package mission holds what follows the matching of a need: the proposals
// of experts (pending → accepted | declined | expired, then chosen or passed
// by the requester), the mission created from the chosen proposal (planned →
// in_progress → delivered → closed) with the employer's agreement of an
// expert en_poste, the days logged, deliverables, milestones, the closing
// report and the requesters' reviews, the cost against a reference rate,
// and the figures that matching (History) and the dashboards (Stats) read.
//
// Every write is one transaction that also writes the audit log and the
// emails it causes (outbox), so a restart loses nothing and a replayed
// request finds the state already changed and does nothing twice.
package mission

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Service reads and writes proposals and missions.
type Service struct {
	db         *store.DB
	geo        *geo.Reference
	baseURL    string
	expiryDays int
	now        func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	Geo *geo.Reference
	// BaseURL is the public address of the site, for the links of emails
	// ("" leaves them out, but the employer's link then is relative).
	BaseURL string
	// ExpiryDays is the number of working days after which an unanswered
	// proposal expires (DefaultExpiryDays when 0).
	ExpiryDays int
	// Now is the clock; nil means time.Now (tests of expiry and periods
	// move it).
	Now func() time.Time
}

// DefaultExpiryDays is the delay, in working days, to answer a proposal.
const DefaultExpiryDays = 5

// New returns the service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	days := o.ExpiryDays
	if days <= 0 {
		days = DefaultExpiryDays
	}
	return &Service{db: o.DB, geo: o.Geo, baseURL: strings.TrimRight(o.BaseURL, "/"), expiryDays: days,
		now: func() time.Time { return now().UTC() }}
}

func (s *Service) today() date.Date { return date.Of(s.now().In(date.Paris())) }

// Status is a mission's stage.
type Status string

// The stages of a mission, in order.
const (
	Planned    Status = "planned"
	InProgress Status = "in_progress"
	Delivered  Status = "delivered"
	Closed     Status = "closed"
)

// Statuses lists the stages in order.
func Statuses() []Status { return []Status{Planned, InProgress, Delivered, Closed} }

// Label is the stage in French.
func (s Status) Label() string {
	switch s {
	case Planned:
		return "planifiée"
	case InProgress:
		return "en cours"
	case Delivered:
		return "livrée"
	case Closed:
		return "clôturée"
	}
	return string(s)
}

func (s Status) rank() int {
	for i, x := range Statuses() {
		if x == s {
			return i
		}
	}
	return -1
}

// Next is the stage after s, "" for the last.
func (s Status) Next() Status {
	if r := s.rank(); r >= 0 && r+1 < len(Statuses()) {
		return Statuses()[r+1]
	}
	return ""
}

// Employer is the state of the employer's agreement.
type Employer string

// The states of the employer's agreement: not needed (the expert is not
// en_poste), awaited (the coordinator must give the employer's address),
// asked (the link was sent), agreed, refused.
const (
	NotNeeded Employer = "not_needed"
	Awaited   Employer = "awaited"
	Asked     Employer = "asked"
	Agreed    Employer = "agreed"
	Refused   Employer = "refused"
)

// Label is the state in French.
func (e Employer) Label() string {
	switch e {
	case NotNeeded:
		return "non requis"
	case Awaited:
		return "à demander"
	case Asked:
		return "demandé, en attente de réponse"
	case Agreed:
		return "donné"
	case Refused:
		return "refusé"
	}
	return string(e)
}

// Blocks reports whether the mission cannot start for want of the
// employer's agreement.
func (e Employer) Blocks() bool { return e != NotNeeded && e != Agreed }

// Blocked says, in French, what keeps mission m from moving to its next
// status to — the employer's agreement before it starts, the handover
// note before an interim direction is delivered —, or "" when nothing
// does. Move refuses with this message; pages show it instead of a button
// that would fail.
func (m Mission) Blocked(to Status) string {
	switch {
	case to == Delivered && m.NeedKind == "interim" && m.Handover == "":
		return "rédigez d’abord la note de passation : une direction par intérim ne se livre pas sans elle"
	case to == InProgress && m.Employer.Blocks():
		return "la mission ne peut pas commencer sans l’accord de l’employeur de l’expert (" + m.Employer.Label() + ")"
	}
	return ""
}

// Errors the HTTP layer maps to statuses.
var (
	// ErrAnswered: the proposal, review or employer link was already used.
	ErrAnswered = errors.New("mission: already answered")
)

func subject(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// notice is the data of the mission_notice email template.
type notice struct {
	Name, Subject, Action, URL string
	Lines                      []string
}

// notify enqueues one email within tx; key makes a replay send nothing twice.
func (s *Service) notify(ctx context.Context, tx *sql.Tx, to, name, key string, n notice, path string) error {
	if to == "" {
		return nil
	}
	n.Name = name
	if path != "" {
		n.URL = s.baseURL + path
		if n.Action == "" {
			n.Action = "Voir sur Vivier"
		}
	}
	// The employer's link always goes at once; others wait for the
	// person's daily digest when they chose one.
	if !strings.HasPrefix(key, "employer-ask:") {
		digest, err := wantsDigest(ctx, tx, to)
		if err != nil {
			return err
		}
		if digest {
			return queue(ctx, tx, to, key, n.Subject, n.URL, s.now())
		}
	}
	m, err := mail.Compose(to, key, "mission_notice", n)
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, m)
}

// person is someone to tell.
type person struct{ Email, Name string }

func userPerson(ctx context.Context, q store.Querier, id sql.NullInt64) (person, error) {
	var p person
	if !id.Valid {
		return p, nil
	}
	err := q.QueryRowContext(ctx, `SELECT email, name FROM users WHERE id = $1 AND status = 'active'`, id.Int64).Scan(&p.Email, &p.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return person{}, nil
	}
	return p, err
}

// requesterOf is the one referent of a need: who submitted it signed in,
// else the contact of the public form.
func requesterOf(ctx context.Context, q store.Querier, needID int64) (person, error) {
	var by sql.NullInt64
	var p person
	if err := q.QueryRowContext(ctx, `SELECT submitted_by, contact_email, contact_name FROM needs WHERE id = $1`, needID).
		Scan(&by, &p.Email, &p.Name); err != nil {
		return p, err
	}
	if u, err := userPerson(ctx, q, by); err != nil || u.Email != "" {
		return u, err
	}
	return p, nil
}

func expertPerson(ctx context.Context, q store.Querier, expertID int64) (person, error) {
	var p person
	var first, last string
	err := q.QueryRowContext(ctx, `SELECT email, first_name, last_name FROM experts WHERE id = $1`, expertID).Scan(&p.Email, &first, &last)
	p.Name = strings.TrimSpace(first + " " + last)
	return p, err
}

// workingDaysAfter is the day n working days (Monday to Friday) after d.
func workingDaysAfter(d date.Date, n int) date.Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

func fieldErr(field, format string, args ...any) error {
	var e valid.Errors
	e.Add(field, format, args...)
	return e
}

func window(start, end date.Date) string { return "du " + fr.Date(start) + " au " + fr.Date(end) }

func idPath(prefix string, id int64) string { return fmt.Sprintf("%s/%d", prefix, id) }

// joinFields merges field errors into one valid.Errors.
func joinFields(errs []error) error {
	var all valid.Errors
	for _, e := range errs {
		if list, ok := valid.As(e); ok {
			all = append(all, list...)
		}
	}
	return all.Err()
}

// coordinatorOf is the coordinator who proposed the mission's expert, the
// one who follows it.
func coordinatorOf(ctx context.Context, q store.Querier, missionID int64) (person, error) {
	var by sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT p.proposed_by FROM missions m JOIN proposals p ON p.id = m.proposal_id WHERE m.id = $1`, missionID).Scan(&by)
	if errors.Is(err, sql.ErrNoRows) {
		return person{}, nil
	}
	if err != nil {
		return person{}, err
	}
	return userPerson(ctx, q, by)
}

// tellRequesters sends n to the one referent of each need the mission serves.
func (s *Service) tellRequesters(ctx context.Context, tx *sql.Tx, missionID int64, key string, n notice) error {
	rows, err := tx.QueryContext(ctx, `SELECT need_id FROM mission_needs WHERE mission_id = $1 ORDER BY need_id`, missionID)
	if err != nil {
		return err
	}
	var needs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		needs = append(needs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, needID := range needs {
		req, err := requesterOf(ctx, tx, needID)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, req.Email, req.Name, key+":need:"+itoa(int(needID)), n, idPath("/missions", missionID)); err != nil {
			return err
		}
	}
	return nil
}
