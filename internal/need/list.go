package need

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/valid"
)

// Page sizes of the list.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Filter selects needs for the coordinators' list, newest first. Zero
// fields do not filter.
type Filter struct {
	Status      Status
	Kind        Kind
	Departement string // of the place, "69"
	Skill       string // a wanted skill code
	Text        string // French full-text query (title, description, skills, place, requester)
	RequesterID int64
	Page        int // from 1
	PageSize    int // 1 to MaxPageSize, DefaultPageSize when 0
}

// Page is one page of needs.
type Page struct {
	Needs    []Need
	Total    int
	Page     int
	PageSize int
}

// List returns the page of needs matching f, newest first: every need for
// staff, the needs of their own organisation for a requester.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) (Page, error) {
	switch {
	case actor.Staff():
	case actor.Is(access.Requester):
		f.RequesterID = actor.OrganisationID
		if f.RequesterID == 0 {
			return Page{Needs: []Need{}, Page: 1, PageSize: DefaultPageSize}, nil
		}
	default:
		return Page{}, access.Deny("la liste des besoins est réservée à la coordination et aux demandeurs")
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	var errs valid.Errors
	if f.Page < 1 {
		f.Page = 1
	}
	switch {
	case f.PageSize == 0:
		f.PageSize = DefaultPageSize
	case f.PageSize < 0 || f.PageSize > MaxPageSize:
		errs.Add("page_size", "de 1 à %d besoins par page", MaxPageSize)
	}
	if f.Status != "" {
		if !f.Status.valid() {
			errs.Add("status", "statut %s inconnu", fr.Quote(string(f.Status)))
		}
		where = append(where, "n.status = "+arg(string(f.Status)))
	}
	if f.Kind != "" {
		where = append(where, "n.kind = "+arg(string(f.Kind)))
	}
	if f.Departement != "" {
		where = append(where, "n.departement = "+arg(strings.ToUpper(strings.TrimSpace(f.Departement))))
	}
	if f.Skill != "" {
		where = append(where, "EXISTS (SELECT 1 FROM need_skills k WHERE k.need_id = n.id AND k.skill_code = "+arg(f.Skill)+")")
	}
	if f.RequesterID != 0 {
		where = append(where, "n.requester_id = "+arg(f.RequesterID))
	}
	if cond, a, ok := s.index.Condition("n.id", len(args)+1, f.Text); ok {
		args = append(args, a)
		where = append(where, cond)
	}
	if err := errs.Err(); err != nil {
		return Page{}, err
	}
	clause := "TRUE"
	if len(where) > 0 {
		clause = strings.Join(where, " AND ")
	}
	page := Page{Page: f.Page, PageSize: f.PageSize, Needs: []Need{}}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM needs n WHERE `+clause, args...).Scan(&page.Total); err != nil {
		return Page{}, fmt.Errorf("count needs: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, selectNeed+` WHERE `+clause+
		fmt.Sprintf(` ORDER BY n.created_at DESC, n.id DESC LIMIT %d OFFSET %d`, f.PageSize, (f.Page-1)*f.PageSize), args...)
	if err != nil {
		return Page{}, fmt.Errorf("list needs: %w", err)
	}
	if page.Needs, err = scanNeeds(rows, s.geo); err != nil {
		return Page{}, err
	}
	if page.Needs == nil {
		page.Needs = []Need{}
	}
	return page, loadSkills(ctx, s.db, page.Needs)
}

// Nearby returns the other open needs that could be pooled with need id
// into one mission: in the same EPCI or the same département, sharing at
// least one required skill with it, and whose window overlaps its own —
// the data of the pooling rule, which package match applies.
func (s *Service) Nearby(ctx context.Context, id int64, actor access.Actor) ([]Need, error) {
	if err := staffOn(ctx, s.db, s.geo, id, actor); err != nil {
		return nil, err
	}
	n, err := s.Get(ctx, id, actor)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, selectNeed+` WHERE n.id <> $1 AND n.status IN ('submitted', 'qualified', 'proposed')
		AND ((n.epci_siren <> '' AND n.epci_siren = $2) OR n.departement = $3)
		AND n.start_date <= $4 AND n.end_date >= $5
		AND EXISTS (SELECT 1 FROM need_skills k JOIN need_skills mine ON mine.skill_code = k.skill_code
			WHERE k.need_id = n.id AND k.required AND mine.need_id = $1 AND mine.required)
		ORDER BY (n.epci_siren = $2) DESC, n.start_date, n.id`, id, n.EPCISIREN, n.Departement, n.End, n.Start)
	if err != nil {
		return nil, fmt.Errorf("needs near %d: %w", id, err)
	}
	list, err := scanNeeds(rows, s.geo)
	if err != nil {
		return nil, err
	}
	return list, loadSkills(ctx, s.db, list)
}
