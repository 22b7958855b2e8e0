// Package access says who acts and what they may do. Every service method
// receives the acting user (Actor: id, role, organisation, how they
// authenticated, from which address) and decides there, once, whether the
// actor may see or change a record; it answers a refusal with a coded error
// (Error) that the pages and the API each turn into a status in one place.
// A record the actor may not see is « not found », never « forbidden », so
// that ids do not leak.
package access

// Role is what a user is in the federation's work; it decides which routes
// they may use (httpkit.Policy) and which records the services show them.
type Role string

// The roles of the product, plus admin, who may do all a coordinator can.
const (
	Admin       Role = "admin"
	Coordinator Role = "coordinator"
	Expert      Role = "expert"
	Requester   Role = "requester"
	Member      Role = "member"
)

// Roles lists every role, most powerful first.
func Roles() []Role { return []Role{Admin, Coordinator, Expert, Requester, Member} }

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles() {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the role's French name.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "administrateur"
	case Coordinator:
		return "coordinateur"
	case Expert:
		return "expert"
	case Requester:
		return "demandeur"
	case Member:
		return "membre"
	}
	return string(r)
}

// NeedsMFA reports whether the role must use a second factor when it logs in
// with a password or a link: coordinators and admins see everyone's data.
func (r Role) NeedsMFA() bool { return r == Admin || r == Coordinator }

// Staff reports whether the role is federation staff (coordinator or admin),
// who see and edit every record.
func (r Role) Staff() bool { return r == Admin || r == Coordinator }

// OrganisationKinds lists the organisation kinds a role must belong to; nil
// means the role needs no organisation.
func (r Role) OrganisationKinds() []string {
	switch r {
	case Requester:
		return []string{"commune", "epci", "agence"}
	case Member:
		// Agencies, and the collectivités that join the network.
		return []string{"agence", "region", "departement", "epci", "commune"}
	}
	return nil
}

// Method is how an actor proved who they are.
type Method string

// The ways to act: nobody in particular (a visitor of the public pages), a
// browser session, an API token, or Vivier itself (jobs, the command line,
// the demo).
const (
	Anonymous Method = ""
	Session   Method = "session"
	Token     Method = "token"
	Internal  Method = "system"
)

// Actor is who does something.
type Actor struct {
	UserID         int64  // 0 for an anonymous visitor or the system
	Role           Role   // "" for an anonymous visitor or the system
	OrganisationID int64  // the organisation a requester or member acts for; 0 when none
	Via            Method // how they authenticated
	IP             string // the client's address, "système" for the system
}

// System is the actor of background jobs, the command line and the demo:
// it may do everything staff may.
var System = Actor{Via: Internal, IP: "système"}

// Visitor returns the anonymous actor of a request from ip.
func Visitor(ip string) Actor { return Actor{IP: ip} }

// IsSystem reports whether a is Vivier itself.
func (a Actor) IsSystem() bool { return a.Via == Internal }

// SignedIn reports whether a is a signed-in user.
func (a Actor) SignedIn() bool { return a.UserID != 0 && a.Role != "" }

// Staff reports whether a sees and edits every record: federation staff,
// or the system.
func (a Actor) Staff() bool { return a.IsSystem() || a.SignedIn() && a.Role.Staff() }

// Admin reports whether a may change settings: an administrator or the system.
func (a Actor) Admin() bool { return a.IsSystem() || a.SignedIn() && a.Role == Admin }

// Is reports whether a is signed in with one of roles (the system is none).
func (a Actor) Is(roles ...Role) bool {
	if !a.SignedIn() {
		return false
	}
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// ActsFor reports whether a is a requester or member acting for the
// organisation orgID.
func (a Actor) ActsFor(orgID int64) bool {
	return orgID != 0 && a.OrganisationID == orgID && a.Is(Requester, Member)
}
