package newsletter_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vivier/internal/access"
	"vivier/internal/mail"
	"vivier/internal/newsletter"
	"vivier/internal/newsletter/nltest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestCampaignFromPreviewToSent walks a campaign's life as staff see it:
// the preview (accessible HTML without any measure, a real text part), a
// test send through the outbox, a schedule that waits for its time (and
// another that starts at its time), a
// pause that holds every message, the resume, the progress (sent / total,
// no ETA once done) and the counters of /metrics; and a cancelled campaign
// that never sends.
func TestCampaignFromPreviewToSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := time.Now().UTC()
		s := newService(db, func() time.Time { return clock })
		ctx := context.Background()
		list, id := audience(t, s, 6)

		h, text, err := s.Preview(ctx, id, access.System)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`<html lang="fr">`, `role="article"`, `Le forum approche</h1>`, `style="`, `https://federation.example/guide`, "Lire le guide", "Webinaire foncier"} {
			if !strings.Contains(h, want) {
				t.Errorf("the preview lacks %q", want)
			}
		}
		for _, never := range []string{"/lettres/o/", "/lettres/c/", "<style"} {
			if strings.Contains(h, never) {
				t.Errorf("the preview holds %q", never)
			}
		}
		for _, want := range []string{"Le forum approche", "forum annuel (https://federation.example/forum)", "Lire le guide\nhttps://federation.example/guide",
			"Événement : Webinaire foncier — 12 mars, en ligne"} {
			if !strings.Contains(text, want) {
				t.Errorf("the text part lacks %q:\n%s", want, text)
			}
		}
		if n, err := s.TestSend(ctx, id, []string{"relecture@exemple.fr", " ", "chef@exemple.fr"}, access.System); err != nil || n != 2 {
			t.Fatalf("test send: %d %v", n, err)
		}
		out, err := mail.List(ctx, db, "", 0)
		if err != nil || len(out) != 2 || out[0].Message.Subject != "[Essai] Les nouvelles de la fédération" || strings.Contains(out[0].Message.HTML, "/lettres/o/") {
			t.Errorf("the test messages in the outbox: %+v %v", out, err)
		}

		sink := nltest.Start(t, nltest.Options{CountOnly: true})
		p := sender(t, s, sink, "vie", 2)
		at := clock.Add(time.Hour)
		if err := s.Send(ctx, id, &at, access.System); err != nil {
			t.Fatal(err)
		}
		status := func() newsletter.Status {
			c, err := s.Campaign(ctx, id, access.System)
			if err != nil {
				t.Fatal(err)
			}
			return c.Status
		}
		if _, err := p.Once(ctx); err != nil || status() != newsletter.Scheduled || sink.Count() != 0 {
			t.Fatalf("before its time: %s, %d sent, %v", status(), sink.Count(), err)
		}
		if err := s.Pause(ctx, id, access.System); access.CodeOf(err) != access.Conflict {
			t.Errorf("pausing a campaign not yet sending: %v", err)
		}
		// Sent now after all, then paused before any sender took it.
		if err := s.Send(ctx, id, nil, access.System); err != nil {
			t.Fatal(err)
		}
		if err := s.Pause(ctx, id, access.System); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := p.Once(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if sink.Count() != 0 || status() != newsletter.Paused {
			t.Errorf("paused: %d messages sent; %s", sink.Count(), status())
		}
		if err := s.Resume(ctx, id, access.System); err != nil {
			t.Fatal(err)
		}
		sendAll(t, s, p, id)
		pr, err := s.Progress(ctx, id, access.System)
		if err != nil || pr.Total != 6 || pr.Sent != 6 || pr.Waiting != 0 || pr.InFlight != 0 || pr.ETA != 0 || sink.Count() != 6 {
			t.Errorf("progress once sent: %+v %v (relay got %d)", pr, err, sink.Count())
		}
		if err := s.Cancel(ctx, id, access.System); access.CodeOf(err) != access.Conflict {
			t.Errorf("cancelling a sent campaign: %v", err)
		}

		later, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Programmée", Body: "Bonjour.", ListIDs: []int64{list}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		at = clock.Add(time.Hour)
		if err := s.Send(ctx, later.ID, &at, access.System); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(2 * time.Hour)
		sendAll(t, s, p, later.ID) // started by the sender at its time
		if sink.Count() != 12 {
			t.Errorf("the scheduled campaign: the relay got %d messages, want 12", sink.Count())
		}

		c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Annulée", Body: "Rien.", ListIDs: []int64{list}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
			t.Fatal(err)
		}
		if err := s.Cancel(ctx, c.ID, access.System); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := p.Once(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if st, _ := s.Stats(ctx, c.ID, access.System); sink.Count() != 12 || st.Delivered != 0 {
			t.Errorf("a cancelled campaign sent %d messages (relay %d)", st.Delivered, sink.Count())
		}

		reg := prometheus.NewRegistry()
		reg.MustRegister(s.Collector())
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, f := range families {
			for _, m := range f.GetMetric() {
				v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
				got[f.GetName()] += v
			}
		}
		if got["vivier_newsletter_messages_sent_total"] != 12 {
			t.Errorf("/metrics: %v, want 12 messages sent", got)
		}
		if _, ok := got["vivier_newsletter_send_rate"]; !ok {
			t.Errorf("/metrics has no send rate: %v", got)
		}
	})
}
