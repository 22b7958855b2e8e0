package newsletter_test

import (
	"context"
	"strings"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/date"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAccess calls the newsletter service's methods as every actor: staff
// manage lists, people, campaigns and figures; anyone subscribes to the
// public lists; a signed-in person manages the subscriptions of their
// account's address; private lists and campaigns do not exist for others.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		s := newService(db, nil)
		public, err := s.CreateList(ctx, newsletter.ListInput{Name: "Publique", Public: true, DoubleOptIn: true}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		private, err := s.CreateList(ctx, newsletter.ListInput{Name: "Équipe"}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		campaign, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Lettre", Body: "Bonjour.", ListIDs: []int64{public.ID}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		var fresh int64
		newCampaign := func(t *testing.T, _ string) {
			c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Autre", Body: "Bonjour.", ListIDs: []int64{public.ID}}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			fresh = c.ID
		}
		staff := at.All(at.Forbidden).Set(at.OK, at.Staff...)
		staffSees := at.All(at.NotFound).Set(at.OK, at.Staff...)
		everyone := at.All(at.OK)
		signedIn := at.All(at.OK).Set(at.Forbidden, at.RAnonymous, at.RSystem)
		seq := 0
		name := func() string { seq++; return "Liste " + strings.Repeat("n", seq) }
		today := date.Today()
		ops := []at.Op{
			{Name: "CreateList", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.CreateList(ctx, newsletter.ListInput{Name: name()}, a)
				return err
			}},
			{Name: "Lists", Want: everyone, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Lists(ctx, a)
				return err
			}},
			{Name: "GetList public", Want: everyone, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.GetList(ctx, public.ID, a)
				return err
			}},
			{Name: "GetList private", Want: staffSees, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.GetList(ctx, private.ID, a)
				return err
			}},
			{Name: "Subscribers", Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Subscribers(ctx, private.ID, 10, a)
				return err
			}},
			{Name: "Export", Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.Export(ctx, private.ID, &strings.Builder{}, a)
			}},
			{Name: "AddSubscribers", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.AddSubscribers(ctx, private.ID, []newsletter.NewSubscriber{{Email: "x@exemple.fr"}}, a)
				return err
			}},
			{Name: "Import", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Import(ctx, private.ID, strings.NewReader("email\ny@exemple.fr\n"), newsletter.Contract, a)
				return err
			}},
			{Name: "Suppressions", Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Suppressions(ctx, 10, a)
				return err
			}},
			{Name: "Subscribe", Write: true, Want: everyone, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.Subscribe(ctx, newsletter.Subscription{Email: "lecteur@exemple.fr", ListIDs: []int64{public.ID}}, a)
			}},
			{Name: "MyLists", Want: signedIn, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.MyLists(ctx, a)
				return err
			}},
			{Name: "SetMyLists", Write: true, Want: signedIn, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.SetMyLists(ctx, newsletter.Choice{ListIDs: []int64{public.ID}}, a)
			}},
			{Name: "CreateCampaign", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "S", Body: "B", ListIDs: []int64{public.ID}}, a)
				return err
			}},
			{Name: "Campaign", Want: staffSees, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Campaign(ctx, campaign.ID, a)
				return err
			}},
			{Name: "Campaigns", Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Campaigns(ctx, a)
				return err
			}},
			{Name: "Stats", Want: staffSees, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Stats(ctx, campaign.ID, a)
				return err
			}},
			{Name: "Preview", Want: staffSees, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, _, err := s.Preview(ctx, campaign.ID, a)
				return err
			}},
			{Name: "Figures", Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Figures(ctx, today.AddDays(-30), today, a)
				return err
			}},
			{Name: "TestSend", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.TestSend(ctx, campaign.ID, []string{"essai@exemple.fr"}, a)
				return err
			}},
			{Name: "UpdateCampaign", Write: true, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.UpdateCampaign(ctx, campaign.ID, newsletter.CampaignInput{Subject: "Lettre", Body: "Bonjour !", ListIDs: []int64{public.ID}}, a)
			}},
			{Name: "Send", Write: true, Prepare: newCampaign, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.Send(ctx, fresh, nil, a)
			}},
			{Name: "Cancel", Write: true, Prepare: newCampaign, Want: staff, Do: func(ctx context.Context, a access.Actor, _ string) error {
				return s.Cancel(ctx, fresh, a)
			}},
		}
		if n := at.Run(t, db, w.Actor, ops); n == 0 {
			t.Error("no case ran")
		}
	})
}
