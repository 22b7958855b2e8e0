package newsletter_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/mail"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// confirmLink returns the token of the last confirmation link emailed to to.
func confirmLink(t *testing.T, db *store.DB, to string) string {
	t.Helper()
	msgs, err := mail.List(context.Background(), db, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`/lettres/confirmation/(\S+)`)
	for _, m := range msgs {
		if m.Message.To == to {
			if got := re.FindStringSubmatch(m.Message.Text); got != nil {
				return got[1]
			}
		}
	}
	t.Fatalf("no confirmation link emailed to %s", to)
	return ""
}

func TestDoubleOptInWaitsForTheEmailedLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Now().UTC()
		s := newService(db, func() time.Time { return clock })
		ctx := context.Background()
		l, err := s.CreateList(ctx, newsletter.ListInput{Name: "Lettre des territoires", Public: true, DoubleOptIn: true}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		visitor := access.Visitor("192.0.2.50")
		if err := s.Subscribe(ctx, newsletter.Subscription{Email: " Claire@Exemple.FR ", ListIDs: []int64{l.ID}, Tracking: true}, visitor); err != nil {
			t.Fatal(err)
		}
		people, err := s.Subscribers(ctx, l.ID, 0, access.System)
		if err != nil || len(people) != 1 || people[0].Status != "pending" || !people[0].Tracking {
			t.Fatalf("after the form: %+v %v", people, err)
		}
		token := confirmLink(t, db, "claire@exemple.fr")
		if _, err := s.Confirm(ctx, token+"x", visitor); access.CodeOf(err) != access.NotFound {
			t.Errorf("a forged link: %v", err)
		}
		if _, err := s.Confirm(ctx, token, visitor); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Confirm(ctx, token, visitor); err != nil {
			t.Errorf("a second use: %v", err)
		}
		people, _ = s.Subscribers(ctx, l.ID, 0, access.System)
		if people[0].Status != "subscribed" {
			t.Errorf("after confirming: %+v", people[0])
		}
		// A link used too late does nothing.
		if err := s.Subscribe(ctx, newsletter.Subscription{Email: "tard@exemple.fr", ListIDs: []int64{l.ID}}, visitor); err != nil {
			t.Fatal(err)
		}
		late := confirmLink(t, db, "tard@exemple.fr")
		clock = clock.Add(newsletter.ConfirmTTL + time.Minute)
		if _, err := s.Confirm(ctx, late, visitor); !errors.Is(err, newsletter.ErrExpired) {
			t.Errorf("an expired link: %v", err)
		}
		// Private lists are not offered, and the form names its fields.
		private, _ := s.CreateList(ctx, newsletter.ListInput{Name: "Équipe"}, access.System)
		err = s.Subscribe(ctx, newsletter.Subscription{Email: "pas une adresse", ListIDs: []int64{private.ID}}, visitor)
		if list, ok := asFields(err); !ok || !strings.Contains(list, "email") {
			t.Errorf("a bad form: %v", err)
		}
		err = s.Subscribe(ctx, newsletter.Subscription{Email: "x@exemple.fr", ListIDs: []int64{private.ID}}, visitor)
		if list, ok := asFields(err); !ok || !strings.Contains(list, "lists") {
			t.Errorf("a private list: %v", err)
		}
	})
}

// TestSuppressedAddressesAreNeverMailedAgainByAnImport: an address that
// unsubscribed (from everything, or from this list), bounced hard or
// complained is skipped by every import.
func TestSuppressedAddressesAreNeverMailedAgainByAnImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(db, nil)
		ctx := context.Background()
		list, id := audience(t, s, 6)
		if err := s.Send(ctx, id, nil, access.System); err != nil {
			t.Fatal(err)
		}
		p, _ := s.NewSender(newsletter.SenderOptions{})
		sendAll(t, s, p, id)
		tokens, _ := s.Tokens(ctx, id, access.System) // readers 0, 1, 3, 4 (2 and 5 decline the measure)
		visitor := access.Visitor("192.0.2.60")
		// Reader 0 leaves in one click; reader 1 leaves everything.
		if err := s.Unsubscribe(ctx, tokens[0], visitor); err != nil {
			t.Fatal(err)
		}
		leaving, err := s.LeavingOf(ctx, tokens[1], visitor)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UnsubscribeAll(ctx, leaving.Preferences, visitor); err != nil {
			t.Fatal(err)
		}
		// Reader 3 bounced hard, reader 4 complained: the relay says so.
		if n, err := s.Report(ctx, "secret-du-relais", []newsletter.Event{{Type: "hard", Email: "lecteur000003@exemple.fr", Status: "5.1.1"},
			{Type: "complaint", Email: "lecteur000004@exemple.fr"}}, access.Visitor("192.0.2.61")); err != nil || n != 2 {
			t.Fatalf("report: %d %v", n, err)
		}
		if _, err := s.Report(ctx, "mauvais", nil, visitor); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a report without the secret: %v", err)
		}
		csv := "email;nom;mesure\nlecteur000000@exemple.fr;Zéro;oui\nlecteur000001@exemple.fr;Un;non\nlecteur000003@exemple.fr;Trois;oui\n" +
			"lecteur000004@exemple.fr;Quatre;oui\nnouvelle@exemple.fr;Nouvelle;oui\n"
		added, err := s.Import(ctx, list, strings.NewReader(csv), newsletter.LegitimateInterest, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if added.Added != 1 || added.Skipped != 4 {
			t.Errorf("import: %+v, want 1 added and 4 skipped", added)
		}
		api, err := s.AddSubscribers(ctx, list, []newsletter.NewSubscriber{{Email: "lecteur000003@exemple.fr"}, {Email: "lecteur000004@exemple.fr"}}, access.System)
		if err != nil || api.Added != 0 || api.Skipped != 2 {
			t.Errorf("staff import: %+v %v", api, err)
		}
		// A new campaign reaches none of them.
		c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Deuxième lettre", Body: "Bonjour.", ListIDs: []int64{list}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
			t.Fatal(err)
		}
		sendAll(t, s, p, c.ID)
		st, _ := s.Stats(ctx, c.ID, access.System)
		if st.Recipients != 3 { // readers 2 and 5, and the new one
			t.Errorf("the second campaign went to %d people, want 3", st.Recipients)
		}
		first, _ := s.Stats(ctx, id, access.System)
		if first.Unsubscribed != 1 || first.Complaints != 0 || first.Bounced != 1-1 {
			t.Logf("first campaign: %+v", first.Counts)
		}
	})
}

func TestImportIsAllOrNothingWithLinesAndColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(db, nil)
		ctx := context.Background()
		l, _ := s.CreateList(ctx, newsletter.ListInput{Name: "Adhérents"}, access.System)
		csv := "email,nom,mesure\nbon@exemple.fr,Bon,oui\npas-une-adresse,Mauvais,non\nbon@exemple.fr,Doublon,non\nautre@exemple.fr,Autre,peut-être\n"
		_, err := s.Import(ctx, l.ID, strings.NewReader(csv), newsletter.Contract, access.System)
		var ie *newsletter.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("a bad file: %v", err)
		}
		want := []string{"ligne 3, colonne email", "ligne 4, colonne email : adresse déjà donnée ligne 2", "ligne 5, colonne mesure"}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("the error lacks %q: %v", w, err)
			}
		}
		if people, _ := s.Subscribers(ctx, l.ID, 0, access.System); len(people) != 0 {
			t.Errorf("a refused file wrote %d people", len(people))
		}
		if _, err := s.Import(ctx, l.ID, strings.NewReader("email\nnul\x00@exemple.fr\n"), newsletter.Contract, access.System); err == nil {
			t.Error("a NUL byte was accepted")
		}
		if _, err := s.Import(ctx, l.ID, strings.NewReader("email\na@exemple.fr\n"), newsletter.Basis("parce que"), access.System); access.CodeOf(err) != access.Invalid {
			t.Errorf("an unknown lawful basis: %v", err)
		}
		if _, err := s.Import(ctx, l.ID, strings.NewReader("email\na@exemple.fr\n"), newsletter.Contract, access.Visitor("192.0.2.1")); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a visitor's import: %v", err)
		}
	})
}

func asFields(err error) (string, bool) {
	if access.CodeOf(err) != access.Invalid {
		return "", false
	}
	return err.Error(), true
}
