package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/newsletter"
	"vivier/internal/publication"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

// TestCampaignCardsOfEventsAndPublications: a campaign names an event and
// a publication of the site by their numbers; saving it writes their
// cards (title, detail, link to their public page), which the message
// shows; a record kept to members, or unknown, is an error naming its line,
// with the other fields' errors.
func TestCampaignCardsOfEventsAndPublications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		start := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Hour)
		webinar, err := ta.Events.Create(ctx, event.Input{Title: "Webinaire : le foncier économique", Kind: event.Webinar, StartsAt: start,
			EndsAt: start.Add(time.Hour), Capacity: 100, OnlineURL: "https://visio.example.org/foncier"}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		closed, err := ta.Events.Create(ctx, event.Input{Title: "Réunion des directeurs", Kind: event.Meeting, StartsAt: start, EndsAt: start.Add(time.Hour),
			Commune: "75056", Capacity: 10, Audience: event.MembersOnly}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		guide, err := ta.Publications.Create(ctx, publication.Input{Title: "Guide de la transmission", Kind: publication.Guide,
			Summary: "Ce que les agences font | pour les cédants.", PublishedOn: date.Date{Year: 2026, Month: 11, Day: 3}}, nil, access.System)
		if err != nil {
			t.Fatal(err)
		}
		l, err := ta.Newsletter.CreateList(ctx, newsletter.ListInput{Name: "Lettre", Public: true}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		base := ta.Config.PublicURL()
		body := fmt.Sprintf("::: titre À ne pas manquer\n\n::: evenement %d\n\n::: publication %d\n\n::: texte À bientôt.", webinar, guide.ID)
		c, err := ta.Newsletter.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Décembre", Body: body, ListIDs: []int64{l.ID}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			fmt.Sprintf("::: evenement Webinaire : le foncier économique | Webinaire · %s · en ligne | %s/evenements/%d", event.Event{StartsAt: start}.When(), base, webinar),
			fmt.Sprintf("::: publication Guide de la transmission | Ce que les agences font / pour les cédants. | %s/publications/%d", base, guide.ID),
		} {
			if !strings.Contains(c.Body, want) {
				t.Errorf("the saved body lacks %q:\n%s", want, c.Body)
			}
		}
		h, text, err := ta.Newsletter.Preview(ctx, c.ID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"À ne pas manquer</h2>", "Événement", "Webinaire : le foncier économique", "Guide de la transmission", "À bientôt."} {
			if !strings.Contains(h, want) {
				t.Errorf("the message lacks %q", want)
			}
		}
		if !strings.Contains(text, fmt.Sprintf("Publication : Guide de la transmission — Ce que les agences font / pour les cédants.\n%s/publications/%d", base, guide.ID)) {
			t.Errorf("the text part:\n%s", text)
		}

		bad := fmt.Sprintf("Bonjour.\n::: evenement %d\n::: publication 999\n::: titre", closed)
		_, err = ta.Newsletter.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "", Body: bad, ListIDs: []int64{l.ID}}, access.System)
		errs, ok := valid.As(err)
		if !ok || len(errs) != 4 || errs[0].Field != "subject" || !strings.Contains(errs[1].Message, "ligne 2 : aucun événement public") ||
			!strings.Contains(errs[2].Message, "ligne 3 : aucune publication publique") || !strings.Contains(errs[3].Message, "ligne 4 : un bloc titre") {
			t.Errorf("errors of a bad body: %v", err)
		}
	})
}
