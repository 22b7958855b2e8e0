package network_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestMemberDataStaysWithItsMember calls the network's methods as every
// kind of actor on the records of member A and member B: staff see and do
// everything; a member's staff see their own organisation's fees,
// invoices, calls and engagement, and of another current member only its
// entry and contacts; the staff of a member no longer current are told
// why; nobody else sees any. A refused call writes nothing.
func TestMemberDataStaysWithItsMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-02-01")
		f.setSchedules(2026, 2027)
		members := map[string]network.Member{
			"A": f.join("Agence Alpha", sirenFrom("61111111"), 2_000_000, "alpha@agence.test"),
			"B": f.join("Agence Bravo", sirenFrom("62222222"), 2_500_000, "bravo@agence.test"),
			"C": f.join("Agence Charlie", sirenFrom("63333333"), 900_000, "charlie@agence.test"),
		}
		if _, err := f.svc.Renew(f.ctx, 2027, f.coord); err != nil {
			t.Fatal(err)
		}
		ms := map[string]network.Membership{}
		for _, r := range []string{"A", "B", "C"} {
			ms[r] = f.membership(members[r].ID, 2027)
		}
		for _, r := range []string{"A", "B"} {
			if err := f.svc.Pay(f.ctx, ms[r].ID, network.Payment{PaidOn: date.MustParse("2027-01-31"), Mode: network.Transfer}, f.coord); err != nil {
				t.Fatal(err)
			}
		}
		// Charlie joined this year and has not paid: not current.
		requester := f.staffActor(access.Expert)
		actors := map[string]access.Actor{
			at.Anonymous: access.Visitor("192.0.2.1"), at.Admin: f.admin, at.Coordinator: f.coord, "expert": requester,
			"member A": f.staffOf("alpha@agence.test"), "member B": f.staffOf("bravo@agence.test"), "member C (not current)": f.staffOf("charlie@agence.test"),
			at.System: access.System,
		}
		names := []string{at.Anonymous, at.Admin, at.Coordinator, "expert", "member A", "member B", "member C (not current)", at.System}
		staff := map[string]bool{at.Admin: true, at.Coordinator: true, at.System: true}
		own := func(actor, record string) bool { return actor == "member "+record }

		// private: staff and the record's own staff; others « not found ».
		private := func(actor, record string) at.Outcome {
			if staff[actor] || own(actor, record) {
				return at.OK
			}
			return at.NotFound
		}
		// entry: staff, own staff, and the staff of a current member;
		// the not-current member is refused with the reason.
		entry := func(actor, record string) at.Outcome {
			switch {
			case staff[actor], own(actor, record), actor == "member A", actor == "member B":
				return at.OK
			case actor == "member C (not current)":
				return at.Forbidden
			}
			return at.NotFound
		}
		// staffAction: staff only, on a record its own staff see.
		staffAction := func(actor, record string) at.Outcome {
			switch {
			case staff[actor]:
				return at.OK
			case own(actor, record):
				return at.Forbidden
			}
			return at.NotFound
		}
		// paidAlready: staff only, and A and B have paid, which ends what
		// staff may change.
		paidAlready := func(actor, record string) at.Outcome {
			if out := staffAction(actor, record); out != at.OK {
				return out
			}
			return at.Outcome(access.Conflict)
		}
		type op struct {
			name string
			want func(actor, record string) at.Outcome
			do   func(ctx context.Context, a access.Actor, r string) error
		}
		ops := []op{
			{"Member", entry, func(ctx context.Context, a access.Actor, r string) error {
				v, err := f.svc.Member(ctx, members[r].ID, a)
				if err == nil && !a.Staff() && a.OrganisationID != members[r].ID && (v.Private || v.Basis != 0 || len(v.Memberships) > 0) {
					t.Errorf("member %s shown with its fees to another member", r)
				}
				if err == nil && !v.Contacts {
					t.Errorf("member %s shown without contacts", r)
				}
				return err
			}},
			{"Membership", private, func(ctx context.Context, a access.Actor, r string) error {
				_, err := f.svc.Membership(ctx, ms[r].ID, a)
				return err
			}},
			{"CallPDF", private, func(ctx context.Context, a access.Actor, r string) error {
				_, _, err := f.svc.CallPDF(ctx, ms[r].ID, a)
				return err
			}},
			{"MemberEngagement", private, func(ctx context.Context, a access.Actor, r string) error {
				_, err := f.svc.MemberEngagement(ctx, members[r].ID, date.MustParse("2026-01-01"), date.MustParse("2026-12-31"), a)
				return err
			}},
			{"SetFee", paidAlready, func(ctx context.Context, a access.Actor, r string) error {
				return f.svc.SetFee(ctx, ms[r].ID, 1234, "Geste pour "+r, a)
			}},
			{"Pay", paidAlready, func(ctx context.Context, a access.Actor, r string) error {
				return f.svc.Pay(ctx, ms[r].ID, network.Payment{PaidOn: date.MustParse("2027-01-31"), Mode: network.Transfer}, a)
			}},
			{"UpdateMember", func(actor, record string) at.Outcome {
				switch {
				case staff[actor], own(actor, record):
					return at.OK
				case actor == "member A", actor == "member B":
					return at.Forbidden
				}
				return at.NotFound
			}, func(ctx context.Context, a access.Actor, r string) error {
				v, err := f.svc.Member(ctx, members[r].ID, access.System)
				if err != nil {
					return err
				}
				in := network.MemberInput{Name: v.Name, SIREN: v.SIREN, Address: v.Address, Website: "https://" + strings.ToLower(r) + ".example.fr",
					Email: v.Email, Phone: v.Phone, Themes: v.Themes, Territory: v.Territory, Basis: v.Basis, Listed: v.Listed}
				_, err = f.svc.UpdateMember(ctx, members[r].ID, in, a)
				return err
			}},
		}
		ctx := context.Background()
		for _, o := range ops {
			t.Run(o.name, func(t *testing.T) {
				for _, name := range names {
					for _, r := range []string{"A", "B"} {
						before := at.Snapshot(t, db)
						want := o.want(name, r)
						got := at.OutcomeOf(o.do(ctx, actors[name], r))
						if got != want {
							t.Errorf("%s by %s on %s: got %s, want %s", o.name, name, r, got, want)
						}
						if got != at.OK && got != at.Outcome(access.Conflict) {
							if after := at.Snapshot(t, db); after != before {
								t.Errorf("%s by %s on %s was refused but wrote", o.name, name, r)
							}
						}
					}
				}
			})
		}

		// Lists: each member's staff see their own memberships only; the
		// directory shows contacts to current members, never fees.
		list, err := f.svc.Memberships(ctx, network.MembershipFilter{}, actors["member A"])
		if err != nil || len(list) != 1 || list[0].OrgID != members["A"].ID {
			t.Errorf("memberships of member A: %+v %v", list, err)
		}
		dir, err := f.svc.Directory(ctx, network.DirectoryFilter{}, actors["member A"])
		if err != nil || len(dir) != 2 {
			t.Fatalf("directory of member A: %d %v (A and B are current)", len(dir), err)
		}
		for _, m := range dir {
			if m.ID == members["B"].ID && (m.Email == "" || m.Basis != 0 || m.Status != "") {
				t.Errorf("B in A's directory: %+v", m)
			}
		}
		for _, who := range []string{at.Anonymous, "expert"} {
			if _, err := f.svc.Directory(ctx, network.DirectoryFilter{}, actors[who]); access.CodeOf(err) != access.Forbidden {
				t.Errorf("directory of %s: %v", who, err)
			}
		}
		if _, err := f.svc.Directory(ctx, network.DirectoryFilter{}, actors["member C (not current)"]); !strings.Contains(access.MessageOf(err, ""), "pas encore réglée") {
			t.Errorf("directory of the member not current: %v", err)
		}
		public, err := f.svc.PublicDirectory(ctx, network.DirectoryFilter{Departement: "69"}, actors[at.Anonymous])
		if err != nil || len(public) != 2 {
			t.Fatalf("public directory: %d %v", len(public), err)
		}
		for _, m := range public {
			if m.Email != "" || m.Phone != "" || m.Address != "" || m.Basis != 0 || m.SIREN != "" {
				t.Errorf("the public directory shows %+v", m)
			}
		}
		var buf bytes.Buffer
		if _, err := f.svc.ExportMemberships(ctx, &buf, 2027, "csv", actors["member A"]); access.CodeOf(err) != access.Forbidden {
			t.Errorf("export by a member: %v", err)
		}
		if _, err := f.svc.Join(ctx, network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: "X"}}, actors["member A"]); access.CodeOf(err) != access.Forbidden {
			t.Errorf("join by a member: %v", err)
		}
	})
}
