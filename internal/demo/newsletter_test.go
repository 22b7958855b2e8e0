package demo

import (
	"context"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestFillNewslettersShowsMachinesApart: the demo's lists, people and past
// campaigns, whose figures show machines' opens apart from people's.
func TestFillNewslettersShowsMachinesApart(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	start := time.Now()
	if err := FillNewsletters(ctx, db, "http://127.0.0.1:8080", 7); err != nil {
		t.Fatal(err)
	}
	t.Logf("filled in %v", time.Since(start).Round(time.Millisecond))
	s := newsletter.New(newsletter.Options{DB: db})
	lists, err := s.Lists(ctx, access.System)
	if err != nil || len(lists) != 3 {
		t.Fatalf("%d lists %v", len(lists), err)
	}
	people := 0
	for _, l := range lists {
		people += l.Subscribed
	}
	if people != 6000 {
		t.Errorf("%d subscribers, want 6000", people)
	}
	today := date.Today()
	f, err := s.Figures(ctx, today.AddDays(-400), today, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if f.CampaignsSent != 12 {
		t.Errorf("%d campaigns sent, want 12", f.CampaignsSent)
	}
	if f.MachineOpeners == 0 || f.MachineClicks == 0 || f.HumanClickers == 0 || !(f.OpenRate < f.NaiveOpenRate) {
		t.Errorf("figures: %+v", f.Counts)
	}
	t.Logf("open rate %.3f, naive %.3f, click %.3f", f.OpenRate, f.NaiveOpenRate, f.ClickRate)
}
