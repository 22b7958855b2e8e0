package newsletter_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/mail"
	"vivier/internal/newsletter"
	"vivier/internal/newsletter/nltest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newService is the service on db with a clock that tests may move.
func newService(db *store.DB, now func() time.Time) *newsletter.Service {
	return newsletter.New(newsletter.Options{DB: db, BaseURL: "https://vivier.test", From: "Fédération <lettre@vivier.test>",
		WebhookSecret: "secret-du-relais", Now: now, Logger: quiet})
}

// audience makes a list of n subscribers (every third declines the
// measure) and a campaign to it, and returns their ids.
func audience(t testing.TB, s *newsletter.Service, n int) (list, campaign int64) {
	t.Helper()
	ctx := context.Background()
	l, err := s.CreateList(ctx, newsletter.ListInput{Name: fmt.Sprintf("Lettre %d", time.Now().UnixNano()), Public: true, DoubleOptIn: true}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	people := make([]newsletter.NewSubscriber, n)
	for i := range people {
		people[i] = newsletter.NewSubscriber{Email: fmt.Sprintf("lecteur%06d@exemple.fr", i), Name: fmt.Sprintf("Lecteur %d", i), Tracking: i%3 != 2}
	}
	if _, err := s.AddSubscribers(ctx, l.ID, people, access.System); err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Les nouvelles de la fédération", Preheader: "Forum, guides et webinaires",
		Body: "# Le forum approche\n\nInscrivez-vous au [forum annuel](https://federation.example/forum).\n\n" +
			"::: bouton Lire le guide | https://federation.example/guide\n\n" +
			"::: evenement Webinaire foncier | 12 mars, en ligne | https://federation.example/webinaire\n\nÀ bientôt.",
		ListIDs: []int64{l.ID}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	return l.ID, c.ID
}

// sender returns a pipeline to sink.
func sender(t testing.TB, s *newsletter.Service, sink *nltest.Sink, name string, batch int) *newsletter.Sender {
	t.Helper()
	p, err := s.NewSender(newsletter.SenderOptions{Relay: mail.SMTPConfig{Host: sink.Host, Port: sink.Port, TLS: mail.NoTLS, Timeout: 20 * time.Second},
		HasRelay: true, Connections: 4, BatchSize: batch, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sendAll runs p until campaign id is sent.
func sendAll(t testing.TB, s *newsletter.Service, p *newsletter.Sender, id int64) {
	t.Helper()
	ctx := context.Background()
	for range 10000 {
		if _, err := p.Once(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := s.Campaign(ctx, id, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == newsletter.Sent {
			return
		}
	}
	t.Fatal("the campaign never finished")
}
