package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/network"
	"vivier/internal/skill"
)

// The network's directory pages: the public directory, the members'
// directory, a member's page and logo, and a member's own membership.

// memberView is a member as the pages show it: names rather than codes.
type memberView struct {
	network.Member
	KindLabel   string
	Places      []string // the territory's places, named
	Themes      []string // the themes' labels
	Basis       string   // « 1 250 000 € », « 12 500 habitants »
	SIREN       string   // « 732 829 320 »
	StatusLabel string
}

func (s *Server) memberView(m network.Member) memberView {
	v := memberView{Member: m, KindLabel: m.Kind.Label(), Basis: m.BasisKind().Amount(m.Basis), SIREN: network.FormatSIREN(m.SIREN)}
	for _, z := range m.Territory {
		v.Places = append(v.Places, network.PlaceLabel(s.deps.Geo, z))
	}
	for _, t := range m.Themes {
		if d, ok := skill.DomainOf(t); ok {
			v.Themes = append(v.Themes, d.Label)
		}
	}
	if m.Status != "" {
		v.StatusLabel = m.Status.Label()
	}
	return v
}

// directoryFilter reads the directory's filters and the choices of its
// selects.
func (s *Server) directoryFilter(r *http.Request) (network.DirectoryFilter, []option, []option) {
	q := r.URL.Query()
	f := network.DirectoryFilter{Region: q.Get("region"), Departement: q.Get("departement"), Text: strings.TrimSpace(q.Get("q"))}
	var regions, deps []option
	for _, g := range s.deps.Geo.Regions() {
		regions = append(regions, option{Value: g.Code, Label: g.Name, Selected: g.Code == f.Region})
	}
	for _, d := range s.deps.Geo.Departements() {
		deps = append(deps, option{Value: d.Code, Label: d.Code + " — " + d.Name, Selected: d.Code == f.Departement})
	}
	return f, regions, deps
}

// directoryPage is the data of both directories.
type directoryPage struct {
	Members      []memberView
	Regions      []option
	Departements []option
	Query        string
	Staff        bool
	Year         int
	Form         *Form // the import's errors, on the staff's directory
}

func (s *Server) publicDirectory(w http.ResponseWriter, r *http.Request) {
	f, regions, deps := s.directoryFilter(r)
	list, err := s.deps.Network.PublicDirectory(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := directoryPage{Regions: regions, Departements: deps, Query: f.Text}
	for _, m := range list {
		d.Members = append(d.Members, s.memberView(m))
	}
	s.render(w, r, http.StatusOK, "network_public", s.page(r, "Le réseau des agences", d))
}

func (s *Server) membersDirectory(w http.ResponseWriter, r *http.Request) {
	s.showMembersDirectory(w, r, http.StatusOK, &Form{})
}

func (s *Server) showMembersDirectory(w http.ResponseWriter, r *http.Request, status int, form *Form) {
	f, regions, deps := s.directoryFilter(r)
	actor := httpkit.ActorOf(r)
	list, err := s.deps.Network.Directory(r.Context(), f, actor)
	if err != nil {
		s.networkFail(w, r, err)
		return
	}
	d := directoryPage{Regions: regions, Departements: deps, Query: f.Text, Staff: actor.Staff(), Year: date.Today().Year, Form: form}
	for _, m := range list {
		d.Members = append(d.Members, s.memberView(m))
	}
	s.render(w, r, status, "network_members", s.page(r, "Annuaire des adhérents", d))
}

// networkFail answers a failed network page: the staff of a member no
// longer current read why, with the way to their membership; other errors
// answer by their code.
func (s *Server) networkFail(w http.ResponseWriter, r *http.Request, err error) {
	var nc *network.NotCurrentError
	if errors.As(err, &nc) {
		s.render(w, r, http.StatusForbidden, "network_lapsed", s.page(r, "Espace des adhérents fermé", nc))
		return
	}
	s.fail(w, r, err)
}

// memberPage is the data of a member's page.
type memberPage struct {
	network.MemberView
	View        memberView
	Memberships []membershipRow
	IsStaff     bool // the visitor is federation staff
	Form        *Form
	FormFor     string // which form the errors belong to: "invite"
	Year        int
}

// membershipRow is a membership as its tables show it.
type membershipRow struct {
	network.Membership
	StatusLabel string
	Fee         string
	Computed    string
	PaidOn      string
	DueOn       string
	Mode        string
}

func membershipRowOf(m network.Membership) membershipRow {
	row := membershipRow{Membership: m, StatusLabel: m.Status.Label(), Fee: fr.Euros(m.Fee), Computed: fr.Euros(m.ComputedFee),
		PaidOn: fr.Date(m.PaidOn), DueOn: fr.Date(m.DueOn)}
	if m.PaymentMode != "" {
		row.Mode = m.PaymentMode.Label()
	}
	return row
}

func (s *Server) memberPage(w http.ResponseWriter, r *http.Request) {
	s.showMember(w, r, http.StatusOK, &Form{Values: map[string]string{}}, "")
}

func (s *Server) showMember(w http.ResponseWriter, r *http.Request, status int, f *Form, formFor string) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	actor := httpkit.ActorOf(r)
	v, err := s.deps.Network.Member(r.Context(), id, actor)
	if err != nil {
		s.networkFail(w, r, err)
		return
	}
	d := memberPage{MemberView: v, View: s.memberView(v.Member), IsStaff: actor.Staff(), Form: f, FormFor: formFor, Year: date.Today().Year}
	for _, m := range v.Memberships {
		d.Memberships = append(d.Memberships, membershipRowOf(m))
	}
	s.render(w, r, status, "network_member", s.page(r, v.Name, d))
}

func (s *Server) memberLogo(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	logo, _, err := s.deps.Network.Logo(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.networkFail(w, r, err)
		return
	}
	etag := `"` + logo.SHA256 + `"`
	w.Header().Set("ETag", etag)
	// Not cached by shared caches: the response may carry the visitor's
	// CSRF cookie (httpkit then says private, no-store); the ETag still
	// spares the browser the bytes.
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", logo.Type)
	w.Header().Set("Content-Length", strconv.Itoa(len(logo.Data)))
	w.Write(logo.Data)
}

// myMembershipPage is the data of a member's own membership.
type myMembershipPage struct {
	Standing    network.Standing
	GraceEnd    string
	Memberships []membershipRow
	Settings    network.Settings
}

func (s *Server) myMembership(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := httpkit.ActorOf(r)
	st, err := s.deps.Network.Standing(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.deps.Network.Memberships(ctx, network.MembershipFilter{}, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := myMembershipPage{Standing: st, GraceEnd: fr.Date(st.GraceEnd)}
	for _, m := range list {
		d.Memberships = append(d.Memberships, membershipRowOf(m))
	}
	s.render(w, r, http.StatusOK, "network_my_membership", s.page(r, "Mon adhésion", d))
}
