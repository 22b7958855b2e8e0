package api

import (
	"net/http"
	"strconv"
	"time"

	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/network"
	"vivier/internal/organisation"
)

// networkRoutes registers the API routes of the network: members,
// memberships and their payments, partners, engagement.
func (a *API) networkRoutes(r *httpkit.Router) {
	r.HandleFunc("GET /api/v1/members", httpkit.StaffMember, a.listMembers)
	r.HandleFunc("POST /api/v1/members", httpkit.Staff, a.createMember)
	r.HandleFunc("GET /api/v1/members/{id}", httpkit.StaffMember, a.getMember)
	r.HandleFunc("GET /api/v1/members/{id}/engagement", httpkit.StaffMember, a.memberEngagement)
	r.HandleFunc("GET /api/v1/memberships", httpkit.StaffMember, a.listMemberships)
	r.HandleFunc("POST /api/v1/memberships/{id}/payment", httpkit.Staff, a.payMembership)
	r.HandleFunc("GET /api/v1/partners", httpkit.Staff, a.listPartners)
}

// MemberJSON is a member as the API shows it; what the caller may not see
// is left out (contacts, basis, staff, memberships).
type MemberJSON struct {
	ID               int64            `json:"id"`
	Name             string           `json:"name"`
	Kind             string           `json:"kind"`
	SIREN            string           `json:"siren,omitempty"`
	Address          string           `json:"address,omitempty"`
	Website          string           `json:"website,omitempty"`
	Email            string           `json:"email,omitempty"`
	Phone            string           `json:"phone,omitempty"`
	Themes           []string         `json:"themes"`
	Territory        []string         `json:"territory"`
	BasisKind        string           `json:"basis_kind"`
	Basis            *int64           `json:"basis,omitempty"`
	Listed           bool             `json:"listed"`
	JoinedYear       int              `json:"joined_year"`
	Current          bool             `json:"current"`
	MembershipStatus string           `json:"membership_status,omitempty"`
	Staff            []StaffJSON      `json:"staff,omitempty"`
	Memberships      []MembershipJSON `json:"memberships,omitempty"`
}

// StaffJSON is one account of a member's staff.
type StaffJSON struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Referent bool   `json:"referent"`
}

func memberJSON(m network.Member, private bool) MemberJSON {
	out := MemberJSON{ID: m.ID, Name: m.Name, Kind: string(m.Kind), SIREN: m.SIREN, Address: m.Address, Website: m.Website, Email: m.Email,
		Phone: m.Phone, Themes: m.Themes, Territory: m.Territory, BasisKind: string(m.BasisKind()), Listed: m.Listed, JoinedYear: m.JoinedYear,
		Current: m.Current, MembershipStatus: string(m.Status)}
	if private {
		basis := m.Basis
		out.Basis = &basis
	}
	if out.Themes == nil {
		out.Themes = []string{}
	}
	if out.Territory == nil {
		out.Territory = []string{}
	}
	return out
}

// listMembers is the members' directory the caller may read (the service
// decides: every member for staff, the current members for the staff of a
// current member).
func (a *API) listMembers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	actor := httpkit.ActorOf(r)
	list, err := a.deps.Network.Directory(r.Context(), network.DirectoryFilter{Region: q.Get("region"), Departement: q.Get("departement"), Text: q.Get("q")}, actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]MemberJSON, 0, len(list))
	for _, m := range list {
		out = append(out, memberJSON(m, actor.Staff() || m.ID == actor.OrganisationID))
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"members": out})
}

func (a *API) getMember(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	v, err := a.deps.Network.Member(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := memberJSON(v.Member, v.Private)
	for _, s := range v.Staff {
		out.Staff = append(out.Staff, StaffJSON{Name: s.Name, Email: s.Email, Referent: s.Referent})
	}
	for _, m := range v.Memberships {
		out.Memberships = append(out.Memberships, membershipJSON(m))
	}
	httpkit.WriteJSON(w, http.StatusOK, out)
}

// memberInput is the body of POST /members.
type memberInput struct {
	OrganisationID int64    `json:"organisation_id"`
	Kind           string   `json:"kind"`
	Name           string   `json:"name"`
	SIREN          string   `json:"siren"`
	Address        string   `json:"address"`
	Website        string   `json:"website"`
	Email          string   `json:"email"`
	Phone          string   `json:"phone"`
	Themes         []string `json:"themes"`
	Territory      []string `json:"territory"`
	Basis          int64    `json:"basis"`
	Listed         bool     `json:"listed"`
	ReferentName   string   `json:"referent_name"`
	ReferentEmail  string   `json:"referent_email"`
}

// createMember makes an organisation a member, with its membership of
// this year and its referent's invitation.
func (a *API) createMember(w http.ResponseWriter, r *http.Request) {
	var in memberInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	m, err := a.deps.Network.Join(r.Context(), network.JoinInput{OrganisationID: in.OrganisationID, Kind: organisation.Kind(in.Kind),
		MemberInput: network.MemberInput{Name: in.Name, SIREN: in.SIREN, Address: in.Address, Website: in.Website, Email: in.Email, Phone: in.Phone,
			Themes: in.Themes, Territory: in.Territory, Basis: in.Basis, Listed: in.Listed},
		Referent: network.Invitation{Name: in.ReferentName, Email: in.ReferentEmail}}, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, memberJSON(m, true))
}

// MembershipJSON is a membership as the API shows it.
type MembershipJSON struct {
	ID             int64      `json:"id"`
	OrganisationID int64      `json:"organisation_id"`
	Organisation   string     `json:"organisation"`
	Year           int        `json:"year"`
	Status         string     `json:"status"`
	BasisKind      string     `json:"basis_kind"`
	Basis          int64      `json:"basis"`
	ComputedFee    int64      `json:"computed_fee"`
	Formula        string     `json:"formula"`
	Fee            int64      `json:"fee"`
	OverrideReason string     `json:"override_reason,omitempty"`
	InvoiceNumber  string     `json:"invoice_number,omitempty"`
	CalledAt       *time.Time `json:"called_at,omitempty"`
	DueOn          *date.Date `json:"due_on,omitempty"`
	PaidOn         *date.Date `json:"paid_on,omitempty"`
	PaymentMode    string     `json:"payment_mode,omitempty"`
	Late           bool       `json:"late"`
}

func optionalDate(d date.Date) *date.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

func membershipJSON(m network.Membership) MembershipJSON {
	return MembershipJSON{ID: m.ID, OrganisationID: m.OrgID, Organisation: m.OrgName, Year: m.Year, Status: string(m.Status),
		BasisKind: string(m.BasisKind), Basis: m.Basis, ComputedFee: m.ComputedFee, Formula: m.Formula, Fee: m.Fee,
		OverrideReason: m.OverrideReason, InvoiceNumber: m.InvoiceNumber, CalledAt: m.CalledAt, DueOn: optionalDate(m.DueOn),
		PaidOn: optionalDate(m.PaidOn), PaymentMode: string(m.PaymentMode), Late: m.Late}
}

// listMemberships lists the memberships of ?year= (all years when absent)
// the caller may see: all for staff, their own organisation's for a
// member's staff.
func (a *API) listMemberships(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := network.MembershipFilter{Status: network.MembershipStatus(q.Get("status"))}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			invalid(w, "year", "l’année va de 2000 à 2100")
			return
		}
		f.Year = y
	}
	list, err := a.deps.Network.Memberships(r.Context(), f, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]MembershipJSON, 0, len(list))
	for _, m := range list {
		out = append(out, membershipJSON(m))
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"memberships": out})
}

// paymentInput is the body of POST /memberships/{id}/payment.
type paymentInput struct {
	PaidOn date.Date `json:"paid_on"`
	Mode   string    `json:"mode"`
}

func (a *API) payMembership(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	ctx := r.Context()
	actor := httpkit.ActorOf(r)
	if _, err := a.deps.Network.Membership(ctx, id, actor); err != nil {
		a.fail(w, r, err)
		return
	}
	var in paymentInput
	if !httpkit.Decode(w, r, &in) {
		return
	}
	if err := a.deps.Network.Pay(ctx, id, network.Payment{PaidOn: in.PaidOn, Mode: network.PaymentMode(in.Mode)}, actor); err != nil {
		a.fail(w, r, err)
		return
	}
	m, err := a.deps.Network.Membership(ctx, id, actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, membershipJSON(m))
}

// PartnerJSON is a partner with its agreements and counterparts.
type PartnerJSON struct {
	ID           int64           `json:"id"`
	Name         string          `json:"name"`
	SIREN        string          `json:"siren,omitempty"`
	Sector       string          `json:"sector"`
	Website      string          `json:"website,omitempty"`
	LateCount    int             `json:"late_counterparts"`
	Agreements   []AgreementJSON `json:"agreements"`
	ContactName  string          `json:"contact_name,omitempty"`
	ContactEmail string          `json:"contact_email,omitempty"`
}

// AgreementJSON is a partner's agreement of a year.
type AgreementJSON struct {
	ID           int64             `json:"id"`
	Year         int               `json:"year"`
	Amount       int64             `json:"amount"`
	StartsOn     date.Date         `json:"starts_on"`
	EndsOn       date.Date         `json:"ends_on"`
	Signed       bool              `json:"signed"`
	Counterparts []CounterpartJSON `json:"counterparts"`
}

// CounterpartJSON is a counterpart promised in an agreement; link names
// the record that delivered it (kind, id, label).
type CounterpartJSON struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	DueOn       date.Date  `json:"due_on"`
	Status      string     `json:"status"`
	Late        bool       `json:"late"`
	Link        *LinkJSON  `json:"link,omitempty"`
	DeliveredOn *date.Date `json:"delivered_on,omitempty"`
	Note        string     `json:"note,omitempty"`
}

// LinkJSON names the record that delivered a counterpart.
type LinkJSON struct {
	Kind  string `json:"kind"`
	ID    int64  `json:"id,omitempty"`
	Label string `json:"label"`
}

func (a *API) listPartners(w http.ResponseWriter, r *http.Request) {
	list, err := a.deps.Network.Partners(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]PartnerJSON, 0, len(list))
	for _, p := range list {
		pj := PartnerJSON{ID: p.ID, Name: p.Name, SIREN: p.SIREN, Sector: p.Sector, Website: p.Website, LateCount: p.Late,
			ContactName: p.ContactName, ContactEmail: p.ContactEmail, Agreements: []AgreementJSON{}}
		for _, ag := range p.Agreements {
			aj := AgreementJSON{ID: ag.ID, Year: ag.Year, Amount: ag.Amount, StartsOn: ag.StartsOn, EndsOn: ag.EndsOn, Signed: ag.SignedName != "",
				Counterparts: []CounterpartJSON{}}
			for _, c := range ag.Counterparts {
				cj := CounterpartJSON{ID: c.ID, Kind: string(c.Kind), Title: c.Title, DueOn: c.DueOn, Status: string(c.Status), Late: c.Late,
					DeliveredOn: optionalDate(c.DeliveredOn), Note: c.Note}
				if c.Link.Kind != "" {
					cj.Link = &LinkJSON{Kind: string(c.Link.Kind), ID: c.Link.ID, Label: c.Link.Label}
				}
				aj.Counterparts = append(aj.Counterparts, cj)
			}
			pj.Agreements = append(pj.Agreements, aj)
		}
		out = append(out, pj)
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"partners": out})
}

// EngagementJSON is a member's engagement over a period.
type EngagementJSON struct {
	From          date.Date      `json:"from"`
	To            date.Date      `json:"to"`
	PreviousFrom  date.Date      `json:"previous_from"`
	PreviousTo    date.Date      `json:"previous_to"`
	Formula       string         `json:"formula"`
	Activities    []ActivityJSON `json:"activities"`
	Score         int            `json:"score"`
	PreviousScore int            `json:"previous_score"`
	Churn         bool           `json:"churn_risk"`
	RenewalYear   int            `json:"renewal_year"`
}

// ActivityJSON is one activity's count; tracked is false while no package
// counts it yet (its count is then 0).
type ActivityJSON struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Weight  int    `json:"weight"`
	Tracked bool   `json:"tracked"`
	Count   int    `json:"count"`
}

// memberEngagement is one member's engagement over ?from=&to= (the last
// twelve months by default); staff and the member's own staff may.
func (a *API) memberEngagement(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	today := date.Today()
	from, to := today.AddDays(-364), today
	q := r.URL.Query()
	for _, p := range []struct {
		name string
		into *date.Date
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(p.name); v != "" {
			d, err := date.Parse(v)
			if err != nil {
				invalid(w, p.name, "date invalide : AAAA-MM-JJ")
				return
			}
			*p.into = d
		}
	}
	e, err := a.deps.Network.MemberEngagement(r.Context(), id, from, to, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := EngagementJSON{From: e.From, To: e.To, PreviousFrom: e.PrevFrom, PreviousTo: e.PrevTo, Formula: e.Formula}
	if len(e.Rows) == 1 {
		row := e.Rows[0]
		out.Score, out.PreviousScore, out.Churn, out.RenewalYear = row.Score, row.Previous, row.Churn, row.RenewalYear
		for _, act := range e.Activities {
			out.Activities = append(out.Activities, ActivityJSON{Key: act.Key, Label: act.Label, Weight: act.Weight, Tracked: e.Tracked[act.Key], Count: row.Counts[act.Key]})
		}
	}
	httpkit.WriteJSON(w, http.StatusOK, out)
}
