package account_test

import (
	"context"
	"fmt"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// The accounts an operation acts on: the actor's own, another person's,
// another administrator's, and an id that is nobody's.
const (
	own    = "own account"
	other  = "another's account"
	admin  = "another admin's account"
	nobody = "no such account"
)

// byAccount is the outcome of each actor on each account, from a Want per
// account (expert A and B, requester A and B stand alike).
func byAccount(wants map[string]at.Want) func(actor, record string) at.Outcome {
	return func(actor, record string) at.Outcome {
		w, ok := wants[record]
		if !ok {
			panic("no outcome for " + record)
		}
		return w.For(actor, "")
	}
}

var (
	signedIn = []at.Relation{at.RAdmin, at.RCoordinator, at.ROwnExpert, at.ROtherExpert, at.ROwnRequester, at.ROtherRequester, at.RMember}
)

// TestAccess calls the account operations of staff and of each person as
// every actor on their own account, another person's, another
// administrator's and one that does not exist: staff list, invite, suspend
// and erase people (an administrator's account only by an administrator,
// never their own); only an administrator resets a second factor; everyone
// signed in reads and exports their own data. The administration of
// accounts is refused by role to everyone else, whatever the account (the
// account service has no record a non-staff actor may see but their own).
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := at.NewWorld(t, db)
		s := account.New(account.Options{DB: db, BaseURL: "https://vivier.test"})
		ctx := context.Background()
		seq := 0
		// targets are the other accounts, made fresh by Prepare.
		targets := map[string]int64{nobody: 999999}
		active := func(t *testing.T, r string) {
			switch r {
			case other:
				targets[r] = w.User(t, access.Expert, 0)
			case admin:
				targets[r] = w.User(t, access.Admin, 0)
			}
		}
		invited := func(t *testing.T, r string) {
			role := map[string]access.Role{other: access.Expert, admin: access.Admin}[r]
			if role == "" {
				return
			}
			seq++
			u, err := s.Invite(ctx, account.NewUser{Email: fmt.Sprintf("invite-%d@vivier.test", seq), Name: "Invité", Role: role}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			targets[r] = u.ID
		}
		target := func(a access.Actor, r string) int64 {
			if r == own {
				return a.UserID
			}
			return targets[r]
		}
		accounts := []string{own, other, admin, nobody}

		// Staff on another person's account, not on their own; an
		// administrator's only by an administrator; nobody's is not found.
		staffOnAccount := byAccount(map[string]at.Want{
			own:    at.All(at.Forbidden).Set(at.Skip, at.RAnonymous, at.RSystem),
			other:  at.All(at.Forbidden).Set(at.OK, at.Staff...),
			admin:  at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem),
			nobody: at.All(at.Forbidden).Set(at.NotFound, at.Staff...),
		})
		adminOnAccount := byAccount(map[string]at.Want{
			own:    at.All(at.Forbidden).Set(at.Skip, at.RAnonymous, at.RSystem),
			other:  at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem),
			admin:  at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem),
			nobody: at.All(at.Forbidden).Set(at.NotFound, at.RAdmin, at.RSystem),
		})
		staffList := at.All(at.Forbidden).Set(at.OK, at.Staff...)

		ops := []at.Op{
			{Name: "List", Records: accounts, Prepare: active,
				WantFor: byAccount(map[string]at.Want{
					own:    staffList.Set(at.Skip, at.RAnonymous, at.RSystem),
					other:  staffList,
					admin:  staffList,
					nobody: at.All(at.Forbidden).Set(at.NotFound, at.Staff...),
				}),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					list, err := s.List(ctx, account.ListFilter{}, a)
					if err != nil {
						return err
					}
					for _, u := range list {
						if u.ID == target(a, r) {
							return nil
						}
					}
					return store.NotFound("account in the list")
				}},
			{Name: "Organisations", Want: staffList, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Organisations(ctx, a)
				return err
			}},
			{Name: "Invite", Write: true, Want: staffList, Do: func(ctx context.Context, a access.Actor, _ string) error {
				seq++
				_, err := s.Invite(ctx, account.NewUser{Email: fmt.Sprintf("new-%d@vivier.test", seq), Name: "Nouvelle", Role: access.Expert}, a)
				return err
			}},
			{Name: "Invite (an administrator)", Write: true,
				Want: at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem).Set(at.Invalid, at.RCoordinator),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					seq++
					_, err := s.Invite(ctx, account.NewUser{Email: fmt.Sprintf("nouvel-admin-%d@vivier.test", seq), Name: "Admin", Role: access.Admin}, a)
					return err
				}},
			{Name: "SetStatus (suspend)", Records: accounts, Write: true, Prepare: active, WantFor: staffOnAccount,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.SetStatus(ctx, target(a, r), account.Suspended, a)
				}},
			{Name: "Erase", Records: accounts, Write: true, Prepare: active,
				WantFor: byAccount(map[string]at.Want{
					own:    at.All(at.Forbidden).Set(at.Skip, at.RAnonymous, at.RSystem).Set(at.Invalid, at.RAdmin, at.RCoordinator),
					other:  at.All(at.Forbidden).Set(at.OK, at.Staff...),
					admin:  at.All(at.Forbidden).Set(at.OK, at.RAdmin, at.RSystem),
					nobody: at.All(at.Forbidden).Set(at.NotFound, at.Staff...),
				}),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.Erase(ctx, target(a, r), a)
				}},
			{Name: "ResetSecondFactor", Records: accounts, Write: true, Prepare: active, WantFor: adminOnAccount,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.ResetSecondFactor(ctx, target(a, r), a)
				}},
			{Name: "ResendInvitation", Records: accounts, Write: true, Prepare: invited,
				WantFor: byAccount(map[string]at.Want{
					own:    at.All(at.Forbidden).Set(at.Skip, at.RAnonymous, at.RSystem).Set(at.Invalid, at.RAdmin, at.RCoordinator),
					other:  at.All(at.Forbidden).Set(at.OK, at.Staff...),
					admin:  at.All(at.Forbidden).Set(at.OK, at.Staff...),
					nobody: at.All(at.Forbidden).Set(at.NotFound, at.Staff...),
				}),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.ResendInvitation(ctx, target(a, r), a)
				}},
			// Each person's own data: the actor's account, the visitor's and
			// the system's being none.
			{Name: "Export", Records: []string{own}, Write: true,
				WantFor: byAccount(map[string]at.Want{own: at.All(at.Forbidden).Set(at.OK, signedIn...)}),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					doc, err := s.Export(ctx, a)
					if err == nil && doc["account"].(map[string]any)["id"] != a.UserID {
						return fmt.Errorf("exported account %v, want %d", doc["account"], a.UserID)
					}
					return err
				}},
			{Name: "Consents", Records: []string{own}, WantFor: byAccount(map[string]at.Want{own: at.All(at.OK)}),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					_, err := s.Consents(ctx, a)
					return err
				}},
			{Name: "MailDigest", Records: []string{own}, WantFor: byAccount(map[string]at.Want{own: at.All(at.NotFound).Set(at.OK, signedIn...)}),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					_, err := s.MailDigest(ctx, a)
					return err
				}},
			{Name: "SetMailDigest", Records: []string{own}, Write: true,
				WantFor: byAccount(map[string]at.Want{own: at.All(at.Forbidden).Set(at.OK, signedIn...)}),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					if err := s.SetMailDigest(ctx, true, a); err != nil {
						return err
					}
					if on, err := s.MailDigest(ctx, a); err != nil || !on {
						return fmt.Errorf("digest after setting it: %v %v", on, err)
					}
					return s.SetMailDigest(ctx, false, a)
				}},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
