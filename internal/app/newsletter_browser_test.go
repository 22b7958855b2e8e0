package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/browsertest"
	"vivier/internal/config"
	"vivier/internal/newsletter"
	"vivier/internal/newsletter/nltest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestNewsletterJourney walks in headless Chromium a newsletter from the
// subscription to its figures: a reader subscribes on the site with the
// measure, confirms by the link emailed to her (through a real SMTP
// relay), a coordinator writes and sends a campaign, the reader clicks a
// link of the message she received, a machine fetches another reader's
// pixel, the reader unsubscribes in one click, and the figures show the
// human rates beside the naive one.
func TestNewsletterJourney(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	sink := nltest.Start(t, nltest.Options{KeepBodies: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := config.Default()
	cfg.BaseURL, cfg.SMTPURL, cfg.MailFrom = base, sink.URL(), "Fédération <lettre@vivier.test>"
	ctx, stop := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test", Argon2: cheapHashes})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(a.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	done := make(chan struct{}, 3)
	go func() { a.Mail.Run(ctx); done <- struct{}{} }()
	go func() { a.Campaigns.Run(ctx); done <- struct{}{} }()
	go func() { a.Newsletter.RunTracker(ctx); done <- struct{}{} }()
	t.Cleanup(func() {
		stop()
		for range 3 {
			<-done
		}
		srv.Close()
	})
	coord := "coordination@vivier.test"
	if _, err := a.Accounts.CreateWithPassword(ctx, account.NewUser{Email: coord, Name: "Camille Coordination", Role: access.Coordinator}, testPassword, true); err != nil {
		t.Fatal(err)
	}
	list, err := a.Newsletter.CreateList(ctx, newsletter.ListInput{Name: "La lettre des agences", Description: "Chaque mois, l’actualité du réseau.", Public: true, DoubleOptIn: true}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	// Another reader, imported by staff, whose pixel a machine will fetch.
	if _, err := a.Newsletter.AddSubscribers(ctx, list.ID, []newsletter.NewSubscriber{{Email: "autre@exemple.fr", Tracking: true}}, access.System); err != nil {
		t.Fatal(err)
	}
	page := browsertest.NewPage(t, base)
	// The reader's browser is an ordinary one: headless Chromium names
	// itself HeadlessChrome, which the tracker rightly counts as a machine.
	if err := chromedp.Do(page.Context(), chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"})
		return err
	})); err != nil {
		t.Fatal(err)
	}

	// The reader subscribes, with the measure; the form first says what
	// is missing.
	page.Visit("/lettres")
	page.Check(`input[name=lists][value="` + itoa(list.ID) + `"]`).Submit(`#subscribe-form button[type=submit]`)
	if !strings.Contains(page.Text("#e-email"), "adresse") {
		t.Fatalf("subscribing without an address: %q", page.Text("main"))
	}
	page.Fill("#f-email", "lectrice@exemple.fr").Fill("#f-name", "Léa Lectrice").Check("#f-tracking").Submit(`#subscribe-form button[type=submit]`)
	if !strings.Contains(page.Text("main"), "un courriel vient de vous être envoyé") {
		t.Fatalf("after subscribing: %q", page.Text("main"))
	}

	// She confirms by the emailed link.
	confirm := waitMessage(t, sink, "lectrice@exemple.fr", regexp.MustCompile(`/lettres/confirmation/\S+`))
	page.Visit(confirm)
	if !strings.Contains(page.Text("#pending-lists"), "La lettre des agences") {
		t.Fatalf("confirmation page: %q", page.Text("main"))
	}
	page.Submit(`#confirm-form button`)
	if !strings.Contains(page.Text("main"), "Votre inscription est confirmée") || page.Text("#prefs-email") != "lectrice@exemple.fr" {
		t.Fatalf("after confirming: %q", page.Text("main"))
	}

	// A coordinator writes the campaign and sends it.
	login(page, coord)
	page.Visit("/admin/campagnes/nouvelle")
	page.Fill("#f-subject", "Les nouvelles du réseau").Fill("#f-preheader", "Le forum, et nos lettres").
		Set("#f-body_markdown", "# Le forum approche\n\nRetrouvez [toutes nos lettres]("+base+"/lettres).\n\n::: bouton S’inscrire au forum | "+base+"/lettres").
		Check(`input[name=lists][value="` + itoa(list.ID) + `"]`).Submit(`#campaign-form button[type=submit]`)
	if page.Text("#campaign-status") != "brouillon" || !page.Has("#preview") {
		t.Fatalf("after writing: %q", page.Text("main"))
	}
	page.Submit(`#send-form button[type=submit]`)
	campaignPath, _, _ := strings.Cut(page.Path(), "?")
	id := mustID(t, strings.TrimPrefix(campaignPath, "/admin/campagnes/"))
	waitSent(t, a.Newsletter, id)

	// She clicks a link of the message she received; a machine fetches
	// the other reader's pixel.
	click := waitMessage(t, sink, "lectrice@exemple.fr", regexp.MustCompile(`/lettres/c/[^"\s]+/0`))
	page.Visit(click)
	if page.Path() != "/lettres" {
		t.Fatalf("the click led to %s", page.Path())
	}
	pixel := waitMessage(t, sink, "autre@exemple.fr", regexp.MustCompile(`/lettres/o/[^"\s]+`))
	resp, err := http.Get(base + pixel) // Go's HTTP client: automation
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// She unsubscribes in one click, from the link of the message.
	leave := waitMessage(t, sink, "lectrice@exemple.fr", regexp.MustCompile(`/lettres/desinscription/[^"\s]+`))
	logout(page)
	page.Visit(leave)
	page.Submit(`#leave-form button`)
	if !strings.Contains(page.Text("#left"), "lectrice@exemple.fr ne recevra plus") {
		t.Fatalf("after unsubscribing: %q", page.Text("main"))
	}

	// The figures: one human opener of two tracked readers (her click),
	// the naive rate counting the machine's fetch too.
	login(page, coord)
	page.Visit(campaignPath + "/chiffres")
	if got := page.Text("#open-rate"); got != "50,0\u00a0%" {
		t.Errorf("open rate %q", got)
	}
	if got := page.Text("#click-rate"); got != "50,0\u00a0%" {
		t.Errorf("click rate %q", got)
	}
	if got := page.Text("#naive-rate"); got != "50,0\u00a0%" {
		t.Errorf("naive rate %q", got)
	}
	if !strings.Contains(page.Text("#figures"), "Désabonnements\t1") || !strings.Contains(page.Text("#figures"), "Ouvreurs machines seulement\t1") {
		t.Errorf("figures table: %q", page.Text("#figures"))
	}
	if page.Count("svg.chart, svg") == 0 {
		t.Error("no chart of the rates")
	}
}

// waitSent waits for the pipeline to finish campaign id.
func waitSent(t *testing.T, s *newsletter.Service, id int64) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		c, err := s.Campaign(context.Background(), id, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == newsletter.Sent {
			return
		}
	}
	t.Fatal("the campaign was not sent within 30 s")
}

// waitMessage waits for a message to to that holds re (in its decoded
// text or HTML) and returns the match's path.
func waitMessage(t *testing.T, sink *nltest.Sink, to string, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, m := range sink.Messages() {
			if m.To != to {
				continue
			}
			if found := re.FindString(decodedBody(t, m.Raw)); found != "" {
				return strings.TrimSuffix(found, ".")
			}
		}
	}
	t.Fatalf("no message to %s holds %s", to, re)
	return ""
}

// decodedBody is the text of every part of a raw message, decoded.
func decodedBody(t *testing.T, raw []byte) string {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("unreadable message: %v", err)
	}
	mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if !strings.HasPrefix(mt, "multipart/") {
		b, _ := io.ReadAll(msg.Body)
		return decodeQP(b)
	}
	var out strings.Builder
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p) // multipart decodes quoted-printable
		out.Write(b)
		out.WriteByte('\n')
	}
	return out.String()
}

func decodeQP(b []byte) string {
	return strings.NewReplacer("=\r\n", "", "=\n", "", "=3D", "=").Replace(string(b))
}
