package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/config"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

const webhookSecret = "un-secret-partage-du-relais"

// newsletterApp is the test application with a bounce webhook's secret,
// behind a proxy (client addresses from X-Forwarded-For).
func newsletterApp(t *testing.T, db *store.DB) *testApp {
	t.Helper()
	cfg := config.Default()
	cfg.NewsletterWebhookSecret = webhookSecret
	cfg.BehindProxy = true
	return newTestAppWith(t, db, cfg)
}

// sentTo sends campaign id through the pipeline without relay.
func sentTo(t *testing.T, ta *testApp, id int64) []string {
	t.Helper()
	ctx := context.Background()
	for range 100 {
		if _, err := ta.Campaigns.Once(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := ta.Newsletter.Campaign(ctx, id, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == newsletter.Sent {
			tokens, err := ta.Newsletter.Tokens(ctx, id, access.System)
			if err != nil {
				t.Fatal(err)
			}
			return tokens
		}
	}
	t.Fatal("the campaign never finished")
	return nil
}

// TestNewsletterAPI walks the API of scripts: a list, its people, a
// campaign, its sending, the relay's reports and the figures.
func TestNewsletterAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newsletterApp(t, db)
		var listID, campaignID string
		people := `[{"email":"ana@exemple.fr","name":"Ana","tracking_consent":true},{"email":"bruno@exemple.fr","tracking_consent":false},` +
			`{"email":"chloe@exemple.fr","name":"Chloé","tracking_consent":true}]`
		runScenarios(t, ta, []scenario{
			{name: "a list", method: "POST", path: "/api/v1/lists", as: "coordinator", body: `{"name":"Lettre des agences","double_opt_in":true}`,
				status: 201, check: func(t *testing.T, body string) { listID = jsonID(t, body) }},
			{name: "the same name again", method: "POST", path: "/api/v1/lists", as: "coordinator", body: `{"name":"Lettre des agences","double_opt_in":true}`,
				status: 422, want: []string{errorField("name")}},
			{name: "not for an expert", method: "POST", path: "/api/v1/lists", as: "expert", body: `{"name":"X","double_opt_in":true}`, status: 403},
		})
		runScenarios(t, ta, []scenario{
			{name: "people who consent", method: "POST", path: "/api/v1/lists/" + listID + "/subscribers", as: "coordinator", body: people,
				status: 200, want: []string{`"added":3`, `"skipped":0`}},
			{name: "a bad address", method: "POST", path: "/api/v1/lists/" + listID + "/subscribers", as: "coordinator", body: `[{"email":"pas une adresse"}]`,
				status: 422, want: []string{errorField("[0].email")}},
			{name: "an unknown list", method: "POST", path: "/api/v1/lists/999999/subscribers", as: "coordinator", body: `[]`, status: 404},
			{name: "a campaign", method: "POST", path: "/api/v1/campaigns", as: "coordinator",
				body:   `{"subject":"Les nouvelles","body_markdown":"# Bonjour\n\nLe [forum](https://federation.example/forum).","list_ids":[` + listID + `]}`,
				status: 201, check: func(t *testing.T, body string) { campaignID = jsonID(t, body) }},
			{name: "a bad block", method: "POST", path: "/api/v1/campaigns", as: "coordinator",
				body: `{"subject":"X","body_markdown":"::: fusee vers la lune","list_ids":[` + listID + `]}`, status: 422, want: []string{errorField("body_markdown")}},
		})
		runScenarios(t, ta, []scenario{
			{name: "its figures before sending", path: "/api/v1/campaigns/" + campaignID + "/stats", as: "coordinator", status: 200,
				want: []string{`"status":"draft"`, `"recipients":0`}},
			{name: "send it", method: "POST", path: "/api/v1/campaigns/" + campaignID + "/send", as: "coordinator", status: 202, want: []string{`"status":"sending"`}},
			{name: "send it twice", method: "POST", path: "/api/v1/campaigns/" + campaignID + "/send", as: "coordinator", status: 409},
			{name: "sent by the pipeline", path: "/api/v1/campaigns/" + campaignID + "/stats", as: "coordinator", status: 200,
				setup: func(t *testing.T) { sentTo(t, ta, mustID(t, campaignID)) },
				want:  []string{`"status":"sent"`, `"recipients":3`, `"delivered":3`, `"tracked":2`, `"open_rate":0`, `"naive_open_rate":0`}},
			{name: "a report without the secret", method: "POST", path: "/api/v1/newsletter/bounces", as: anonymous, breaks: true,
				body: `{"events":[{"type":"hard","email":"ana@exemple.fr"}]}`, status: 403},
			{name: "a report with a wrong secret", method: "POST", path: "/api/v1/newsletter/bounces", as: anonymous,
				header: map[string]string{"X-Vivier-Webhook-Secret": "faux"}, body: `{"events":[{"type":"hard","email":"ana@exemple.fr"}]}`, status: 403},
			{name: "an unknown event", method: "POST", path: "/api/v1/newsletter/bounces", as: anonymous, breaks: true,
				header: map[string]string{"X-Vivier-Webhook-Secret": webhookSecret}, body: `{"events":[{"type":"explosion","email":"ana@exemple.fr"}]}`, status: 422},
			{name: "the relay reports a bounce and a complaint", method: "POST", path: "/api/v1/newsletter/bounces", as: anonymous,
				header: map[string]string{"X-Vivier-Webhook-Secret": webhookSecret},
				body:   `{"events":[{"type":"hard","email":"bruno@exemple.fr","status":"5.1.1"},{"type":"complaint","email":"ana@exemple.fr"},{"type":"hard","email":"inconnu@exemple.fr"}]}`,
				status: 200, want: []string{`"matched":2`}},
			{name: "the figures count them", path: "/api/v1/campaigns/" + campaignID + "/stats", as: "coordinator", status: 200,
				want: []string{`"complaints":0`, `"bounced":0`}},
			{name: "suppressed people are skipped", method: "POST", path: "/api/v1/lists/" + listID + "/subscribers", as: "coordinator",
				body: `[{"email":"ana@exemple.fr"},{"email":"bruno@exemple.fr"},{"email":"dora@exemple.fr"}]`, status: 200,
				want: []string{`"added":1`, `"skipped":2`}},
		})
	})
}

func jsonID(t *testing.T, body string) string {
	t.Helper()
	var v struct{ ID int64 }
	if err := json.Unmarshal([]byte(body), &v); err != nil || v.ID == 0 {
		t.Fatalf("no id in %s", body)
	}
	return strconv.FormatInt(v.ID, 10)
}

func mustID(t *testing.T, s string) int64 {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestOneClickUnsubscribeAndTracking: the links of a campaign message work
// without any session, cookie or form token; the click redirect goes to the
// campaign's links only; the pixel is served whatever the token; Apple's
// proxy behind the site's proxy is told apart.
func TestOneClickUnsubscribeAndTracking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newsletterApp(t, db)
		ctx := context.Background()
		s := ta.Newsletter
		l, err := s.CreateList(ctx, newsletter.ListInput{Name: "Lettre", Public: true, DoubleOptIn: true}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddSubscribers(ctx, l.ID, []newsletter.NewSubscriber{{Email: "eva@exemple.fr", Tracking: true}}, access.System); err != nil {
			t.Fatal(err)
		}
		c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Nouvelles", Body: "Le [forum](https://federation.example/forum).", ListIDs: []int64{l.ID}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
			t.Fatal(err)
		}
		token := sentTo(t, ta, c.ID)[0]
		get := func(path, ua, ip string) (*http.Response, string) {
			req, _ := http.NewRequest("GET", ta.srv.URL+path, nil)
			req.Header.Set("User-Agent", ua)
			req.Header.Set("X-Forwarded-For", ip)
			return do(t, req)
		}
		// The pixel, from Apple's proxy, then from the reader.
		for _, h := range []struct{ ip, ua string }{{"17.58.1.2", "Mozilla/5.0"}, {"192.0.2.30", "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0"}} {
			resp, body := get("/lettres/o/"+token, h.ua, h.ip)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/gif" || !strings.HasPrefix(body, "GIF89a") {
				t.Fatalf("pixel: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}
		if resp, body := get("/lettres/o/jeton-inconnu", "Mozilla/5.0", "192.0.2.31"); resp.StatusCode != 200 || !strings.HasPrefix(body, "GIF89a") {
			t.Errorf("the pixel of an unknown token: %d", resp.StatusCode)
		}
		// The click goes to the campaign's link; anything else nowhere.
		if resp, _ := get("/lettres/c/"+token+"/0", "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0", "192.0.2.30"); resp.StatusCode != http.StatusFound ||
			resp.Header.Get("Location") != "https://federation.example/forum" {
			t.Errorf("click: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, path := range []string{"/lettres/c/" + token + "/7", "/lettres/c/jeton-inconnu/0", "/lettres/c/" + token + "/-1",
			"/lettres/c/" + url.PathEscape("https://evil.example") + "/0"} {
			if resp, _ := get(path, "Mozilla/5.0", "192.0.2.30"); resp.StatusCode != http.StatusNotFound || resp.Header.Get("Location") != "" {
				t.Errorf("%s: %d to %q", path, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		st, err := s.Stats(ctx, c.ID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if st.HumanOpeners != 1 || st.PixelOpeners != 1 || st.HumanClickers != 1 || st.MachineOpeners != 0 {
			t.Errorf("figures: %+v", st.Counts)
		}
		// A GET of the unsubscribe link changes nothing; a POST of
		// List-Unsubscribe=One-Click without cookie or form token does.
		resp, body := get("/lettres/desinscription/"+token, "Mozilla/5.0", "192.0.2.30")
		if resp.StatusCode != 200 || !strings.Contains(body, "Me désabonner") {
			t.Fatalf("unsubscribe page: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest("POST", ta.srv.URL+"/lettres/desinscription/"+token, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, body = do(t, req)
		if resp.StatusCode/100 != 2 || !strings.Contains(body, "Vous êtes désabonné") {
			t.Fatalf("one-click: %d %s", resp.StatusCode, excerptOf([]byte(body)))
		}
		people, _ := s.Subscribers(ctx, l.ID, 0, access.System)
		if people[0].Status != "unsubscribed" {
			t.Errorf("after one click: %+v", people[0])
		}
		if resp, _ = do(t, req.Clone(ctx)); resp.StatusCode/100 != 2 {
			t.Errorf("a second click: %d", resp.StatusCode)
		}
		forged, _ := http.NewRequest("POST", ta.srv.URL+"/lettres/desinscription/m1.AAAA", strings.NewReader("List-Unsubscribe=One-Click"))
		forged.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, _ = do(t, forged); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a forged token: %d", resp.StatusCode)
		}
		// Other public forms still want their form token.
		plain, _ := http.NewRequest("POST", ta.srv.URL+"/lettres", strings.NewReader("email=x%40exemple.fr"))
		plain.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, _ = do(t, plain); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the subscription form without its token: %d", resp.StatusCode)
		}
	})
}
