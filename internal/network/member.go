package network

import (
	"context"
	"fmt"
	"strings"

	"vivier/internal/access"
	"vivier/internal/organisation"
	"vivier/internal/store"
)

// Member is an organisation of the network with its directory entry. What
// a reader sees of it depends on who they are (MemberView).
type Member struct {
	ID         int64 // the organisation's id
	Name       string
	Kind       organisation.Kind
	SIREN      string
	Address    string // members-only
	Website    string
	Email      string // members-only
	Phone      string // members-only
	Themes     []string
	Basis      int64 // the declared basis (budget or population); private
	Listed     bool  // agreed to appear in the public directory
	JoinedYear int
	Territory  []string // places: "com:01001", "epci:…", "dep:69", "reg:84"
	HasLogo    bool
	LogoSHA    string
	Current    bool             // a current member today
	Status     MembershipStatus // this year's membership, "" when none
}

// BasisKind is what the member's fee is computed on.
func (m Member) BasisKind() BasisKind { return BasisOf(m.Kind) }

// publicOnly keeps what the public directory shows.
func (m Member) publicOnly() Member {
	m.Address, m.Email, m.Phone, m.Basis, m.SIREN = "", "", "", 0, ""
	m.Status = ""
	return m
}

// DirectoryFilter selects members of a directory.
type DirectoryFilter struct {
	Region      string // region code: members whose territory lies in it
	Departement string // département code: members whose territory covers it (or its whole region)
	Text        string // part of the name
	Kind        organisation.Kind
}

const memberColumns = `m.organisation_id, o.name, o.kind, coalesce(o.siren, ''), m.address, m.website, m.email, m.phone, m.themes,
	m.basis, m.listed, m.joined_year, m.logo_sha256,
	coalesce((SELECT ms.status FROM memberships ms WHERE ms.organisation_id = m.organisation_id AND ms.year = $1), '')`

// currentSQL is the condition that member m is current, with $1 this year
// and $2 whether today is within the grace period.
const currentSQL = `EXISTS (SELECT 1 FROM memberships c WHERE c.organisation_id = m.organisation_id AND c.status = 'paid'
	AND (c.year = $1 OR c.year = $1 - 1 AND $2))`

// listMembers reads the members matching f and the extra condition where
// (whose arguments follow $1 this year and $2 the grace flag), by name.
func (s *Service) listMembers(ctx context.Context, q store.Querier, f DirectoryFilter, where string, args ...any) ([]Member, error) {
	st, err := loadSettings(ctx, q)
	if err != nil {
		return nil, err
	}
	today := s.today()
	grace := !today.After(st.GraceEnd(today.Year))
	all := append([]any{today.Year, grace}, args...)
	query := `SELECT ` + memberColumns + `, ` + currentSQL + ` FROM members m JOIN organisations o ON o.id = m.organisation_id WHERE ` + where
	if f.Kind != "" {
		all = append(all, string(f.Kind))
		query += fmt.Sprintf(` AND o.kind = $%d`, len(all))
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		all = append(all, "%"+strings.ToLower(t)+"%")
		query += fmt.Sprintf(` AND lower(o.name) LIKE $%d`, len(all))
	}
	if f.Region != "" {
		all = append(all, f.Region)
		query += fmt.Sprintf(` AND EXISTS (SELECT 1 FROM member_territories t WHERE t.organisation_id = m.organisation_id AND t.region = $%d)`, len(all))
	}
	if f.Departement != "" {
		region := ""
		if d, ok := s.geo.Departement(f.Departement); ok {
			region = d.RegionCode
		}
		all = append(all, f.Departement, region)
		query += fmt.Sprintf(` AND EXISTS (SELECT 1 FROM member_territories t WHERE t.organisation_id = m.organisation_id
			AND (t.departement = $%d OR t.departement = '' AND t.region = $%d))`, len(all)-1, len(all))
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY lower(o.name), m.organisation_id`, all...)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var themes string
		if err := rows.Scan(&m.ID, &m.Name, &m.Kind, &m.SIREN, &m.Address, &m.Website, &m.Email, &m.Phone, &themes,
			&m.Basis, &m.Listed, &m.JoinedYear, &m.LogoSHA, &m.Status, &m.Current); err != nil {
			return nil, err
		}
		m.Themes = splitList(themes)
		m.HasLogo = m.LogoSHA != ""
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.fillTerritories(ctx, q, out)
}

// fillTerritories reads the territories of members.
func (s *Service) fillTerritories(ctx context.Context, q store.Querier, members []Member) error {
	if len(members) == 0 {
		return nil
	}
	at := map[int64]int{}
	for i, m := range members {
		at[m.ID] = i
	}
	// One query for all: the directory has a few hundred members at most;
	// one member's only for one.
	only := int64(0)
	if len(members) == 1 {
		only = members[0].ID
	}
	rows, err := q.QueryContext(ctx, `SELECT organisation_id, zone FROM member_territories WHERE $1 = 0 OR organisation_id = $1
		ORDER BY organisation_id, position, zone`, only)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var zone string
		if err := rows.Scan(&id, &zone); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			if t := members[i].Territory; len(t) == 0 || t[len(t)-1] != zone {
				members[i].Territory = append(members[i].Territory, zone)
			}
		}
	}
	return rows.Err()
}

// getMember reads member id through q.
func (s *Service) getMember(ctx context.Context, q store.Querier, id int64) (Member, error) {
	list, err := s.listMembers(ctx, q, DirectoryFilter{}, `m.organisation_id = $3`, id)
	if err != nil {
		return Member{}, err
	}
	if len(list) == 0 {
		return Member{}, store.NotFound("member %d", id)
	}
	return list[0], nil
}

// PublicDirectory returns the members shown to everyone: current members
// that agreed to be listed, with their public details only. Anyone may
// read it.
func (s *Service) PublicDirectory(ctx context.Context, f DirectoryFilter, actor access.Actor) ([]Member, error) {
	list, err := s.listMembers(ctx, s.db, f, `m.listed AND `+currentSQL)
	for i := range list {
		list[i] = list[i].publicOnly()
	}
	return list, err
}

// Directory returns the members' directory with their contacts: every
// member, whatever its standing, for staff; the current members for the
// staff of a current member. The staff of a member no longer current get a
// NotCurrentError saying why.
func (s *Service) Directory(ctx context.Context, f DirectoryFilter, actor access.Actor) ([]Member, error) {
	if err := s.memberArea(ctx, actor); err != nil {
		return nil, err
	}
	where := currentSQL
	if actor.Staff() {
		where = `TRUE`
	}
	list, err := s.listMembers(ctx, s.db, f, where)
	if err != nil || actor.Staff() {
		return list, err
	}
	for i := range list {
		if list[i].ID != actor.OrganisationID {
			list[i].Basis, list[i].Status = 0, ""
		}
	}
	return list, nil
}

// MemberView is a member as one reader may see it.
type MemberView struct {
	Member
	Contacts    bool // address, email, phone and staff are shown
	Private     bool // memberships, fees and the declared basis are shown
	Editable    bool // the reader may change the entry and invite staff
	Own         bool // the reader's own organisation
	Staff       []StaffMember
	Memberships []Membership
}

// Member returns member id as actor may see it: staff and its own staff
// see everything; the staff of another current member see its entry and
// contacts, never its fees; anyone else gets « not found » — or, for the
// staff of a member no longer current, the NotCurrentError that says why.
func (s *Service) Member(ctx context.Context, id int64, actor access.Actor) (MemberView, error) {
	own := ownOrganisation(actor, id)
	if !own {
		if err := s.memberArea(ctx, actor); err != nil {
			if _, lapsed := err.(*NotCurrentError); lapsed {
				return MemberView{}, err
			}
			return MemberView{}, store.NotFound("member %d", id)
		}
	}
	m, err := s.getMember(ctx, s.db, id)
	if err != nil {
		return MemberView{}, err
	}
	if !actor.Staff() && !own && !m.Current {
		return MemberView{}, store.NotFound("member %d", id)
	}
	v := MemberView{Member: m, Contacts: true, Private: mayManage(actor, id), Own: own}
	if v.Editable = actor.Staff(); own {
		if v.Editable, err = isReferent(ctx, s.db, actor, id); err != nil {
			return MemberView{}, err
		}
	}
	if v.Staff, err = s.staff(ctx, s.db, id); err != nil {
		return MemberView{}, err
	}
	if !v.Private {
		v.Basis, v.Status = 0, ""
		return v, nil
	}
	v.Memberships, err = s.queryMemberships(ctx, s.db, `ms.organisation_id = $1`, id)
	return v, err
}

// splitList reads a list joined by "|".
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}
