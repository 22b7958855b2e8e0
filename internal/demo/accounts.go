package demo

import (
	"context"
	"fmt"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/organisation"
	"vivier/internal/store"
)

// demoAccounts are the logins printed by `vivier demo`. Their second factor
// is waived (mfa_waived) so that anyone can try the demo at once; `vivier
// demo` says so. Real coordinators and administrators always enrol one.
var demoAccounts = []struct {
	role             access.Role
	email, name, pwd string
}{
	{access.Admin, "admin@demo.vivier.fr", "Hélène Garnier", "des territoires qui coopèrent"},
	{access.Coordinator, "coordination@demo.vivier.fr", "Julien Moreau", "le vivier des experts"},
	{access.Expert, "expert@demo.vivier.fr", "", "missions courtes et utiles"}, // the name of the profile it links to
	{access.Requester, "mairie@demo.vivier.fr", "Bernard Petit", "une commune bien accompagnée"},
	{access.Member, demoMemberEmail, "Nadia Benali", "le réseau des agences 2026"},
}

// demoMemberEmail is the demo member account's, referent of the Ain's
// agency (network.go).
const demoMemberEmail = "agence@demo.vivier.fr"

func accounts() []Account {
	out := make([]Account, len(demoAccounts))
	for i, a := range demoAccounts {
		out[i] = Account{Role: a.role.Label(), Email: a.email, Password: a.pwd}
	}
	return out
}

// createAccounts creates one account per role: the expert is one of the
// pool's qualified experts, the requester belongs to a small commune that
// has needs, the member to a demo agency.
func createAccounts(ctx context.Context, db *store.DB, baseURL string, pool Pool) error {
	agency, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence de développement économique de l’Ain"})
	if err != nil {
		return err
	}
	s := account.New(account.Options{DB: db, BaseURL: baseURL})
	experts := expert.New(expert.Options{DB: db, Geo: geo.Default()})
	for _, a := range demoAccounts {
		n := account.NewUser{Email: a.email, Name: a.name, Role: a.role}
		switch a.role {
		case access.Requester:
			n.OrganisationID = pool.RequesterOrgID
		case access.Member:
			n.OrganisationID = agency.ID
		case access.Expert:
			// The account is the expert's own: it greets the name of the
			// profile it opens.
			e, err := experts.Get(ctx, pool.ExpertID, access.System)
			if err != nil {
				return fmt.Errorf("the demo expert: %w", err)
			}
			n.Name = e.Name()
		}
		u, err := s.CreateWithPassword(ctx, n, a.pwd, true)
		if err != nil {
			return fmt.Errorf("demo account %s: %w", a.email, err)
		}
		if a.role == access.Expert {
			if err := experts.LinkUser(ctx, pool.ExpertID, u.ID, access.System); err != nil {
				return fmt.Errorf("link the demo expert: %w", err)
			}
		}
	}
	return nil
}
