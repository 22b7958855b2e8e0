package newsletter_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// hit is one fetch in a classification case: after (from the message's
// sending), from ip with ua, the pixel (link -1), a link, or the trap.
type hit struct {
	after time.Duration
	ip    string
	ua    string
	link  int // -1: the open pixel; trap: the hidden link
}

const (
	open = -1
	trap = 99 // replaced by the campaign's trap link
)

const (
	browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"
	gmail   = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)

// TestHitsAreToldApart runs each classification rule through the service,
// on both engines: a campaign to one reader who accepted the measure, the
// hits of the case, then the campaign's figures.
func TestHitsAreToldApart(t *testing.T) {
	cases := []struct {
		name string
		hits []hit
		// want: human openers, machine-only openers, naive openers,
		// human clickers, machine clicks
		want [5]int
	}{
		{"a reader opens", []hit{{time.Hour, "192.0.2.7", browser, open}}, [5]int{1, 0, 1, 0, 0}},
		{"Apple's privacy proxy fetches on arrival", []hit{{5 * time.Second, "17.58.101.4", "Mozilla/5.0", open}}, [5]int{0, 1, 1, 0, 0}},
		{"a full browser from Apple's network is a person", []hit{{time.Hour, "17.58.101.4", browser, open}}, [5]int{1, 0, 1, 0, 0}},
		{"the bare agent elsewhere is not Apple's proxy", []hit{{time.Hour, "192.0.2.8", "Mozilla/5.0", open}}, [5]int{1, 0, 1, 0, 0}},
		{"a headless browser", []hit{{time.Minute, "198.51.100.2", "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0 Safari/537.36", open}}, [5]int{0, 1, 1, 0, 0}},
		{"an HTTP library clicks", []hit{{time.Minute, "198.51.100.3", "python-requests/2.31", 0}}, [5]int{0, 0, 0, 0, 1}},
		{"a security gateway names itself", []hit{{time.Minute, "198.51.100.4", "Mozilla/5.0 (compatible; Mimecast URL Protect)", 1}}, [5]int{0, 0, 0, 0, 1}},
		{"Gmail's image proxy opens as the reader does", []hit{{time.Hour, "66.102.8.1", gmail, open}}, [5]int{1, 0, 1, 0, 0}},
		{"a click makes an opener of a reader whose images are blocked", []hit{{time.Hour, "192.0.2.9", browser, 1}}, [5]int{1, 0, 0, 1, 0}},
		{"the trap link's client is a scanner, its open too", []hit{
			{10 * time.Second, "203.0.113.5", browser, open},
			{11 * time.Second, "203.0.113.5", browser, trap},
			{12 * time.Second, "203.0.113.5", browser, 0}}, [5]int{0, 1, 1, 0, 2}},
		{"the reader after the scanner counts", []hit{
			{10 * time.Second, "203.0.113.5", browser, trap},
			{2 * time.Hour, "192.0.2.10", browser, open}}, [5]int{1, 0, 1, 0, 1}},
		{"three links in two seconds, and the burst's open", []hit{
			{20 * time.Second, "203.0.113.6", browser, open},
			{21 * time.Second, "203.0.113.6", browser, 0},
			{21*time.Second + 500*time.Millisecond, "203.0.113.7", browser, 1},
			{22 * time.Second, "203.0.113.8", browser, 2}}, [5]int{0, 1, 1, 0, 3}},
		{"two links in two seconds are a reader's", []hit{
			{time.Hour, "192.0.2.11", browser, 0},
			{time.Hour + time.Second, "192.0.2.11", browser, 1}}, [5]int{1, 0, 0, 1, 0}},
		{"three links a minute apart are a reader's", []hit{
			{time.Hour, "192.0.2.12", browser, 0},
			{time.Hour + time.Minute, "192.0.2.12", browser, 1},
			{time.Hour + 2*time.Minute, "192.0.2.12", browser, 2}}, [5]int{1, 0, 0, 1, 0}},
		{"a hit before the message was handed to the relay is refused", []hit{{-time.Minute, "192.0.2.13", browser, open}}, [5]int{0, 0, 0, 0, 0}},
		{"no user agent at all", []hit{{time.Minute, "192.0.2.14", "", open}}, [5]int{0, 1, 1, 0, 0}},
	}
	// The tracker writes hits in batches, and on PostgreSQL several
	// instances write them: a rule must hold whether the hits of a message
	// are written together, one batch each, or by two instances in turn.
	modes := []struct {
		name      string
		instances int
		flushEach bool
	}{{"one batch", 1, false}, {"a batch a hit", 1, true}, {"two instances in turn", 2, true}}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, mode := range modes {
			for _, tc := range cases {
				t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
					clock := time.Now().UTC()
					now := func() time.Time { return clock }
					var services []*newsletter.Service
					for range mode.instances {
						services = append(services, newService(db, now))
					}
					id, token := oneSent(t, services[0], true)
					sent := clock
					ctx := context.Background()
					links, err := services[0].Links(ctx, id, access.System)
					if err != nil {
						t.Fatal(err)
					}
					for i, h := range tc.hits {
						s := services[i%len(services)]
						clock = sent.Add(h.after)
						recordHit(t, s, token, h, len(links))
						if mode.flushEach {
							if err := s.FlushHits(ctx); err != nil {
								t.Fatal(err)
							}
						}
					}
					st, err := services[0].Stats(ctx, id, access.System)
					if err != nil {
						t.Fatal(err)
					}
					got := [5]int{st.HumanOpeners, st.MachineOpeners, st.PixelOpeners, st.HumanClickers, st.MachineClicks}
					if got != tc.want {
						t.Errorf("human openers, machine-only openers, naive openers, human clickers, machine clicks = %v, want %v", got, tc.want)
					}
				})
			}
		}
	})
}

// recordHit makes the hit h on the message of token, as its client would:
// a pixel fetch or a click on one of the message’s links (the last
// one being the trap).
func recordHit(t *testing.T, s *newsletter.Service, token string, h hit, links int) {
	t.Helper()
	ctx := context.Background()
	actor := access.Visitor(h.ip)
	if h.link == open {
		s.Open(ctx, token, h.ua, actor)
		return
	}
	n := h.link
	if n == trap {
		n = links - 1
	}
	if _, ok := s.Click(ctx, token, n, h.ua, actor); !ok {
		t.Fatalf("link %d refused", n)
	}
}

// oneSent sends a campaign to one reader (tracked or not) through a
// pipeline without relay, and returns its id and the message's token.
func oneSent(t *testing.T, s *newsletter.Service, tracked bool) (int64, string) {
	t.Helper()
	ctx := context.Background()
	n := 1
	if !tracked {
		n = 3 // the third declines the measure
	}
	_, id := audience(t, s, n)
	if err := s.Send(ctx, id, nil, access.System); err != nil {
		t.Fatal(err)
	}
	p, err := s.NewSender(newsletter.SenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sendAll(t, s, p, id)
	if !tracked {
		return id, ""
	}
	tokens, err := s.Tokens(ctx, id, access.System)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %v %v", tokens, err)
	}
	return id, tokens[0]
}

// TestClicksGoOnlyToTheCampaignsLinks: a click redirect leads to the
// campaign's own addresses; a forged token, another number or a link of
// another campaign leads nowhere (no open redirect).
func TestClicksGoOnlyToTheCampaignsLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newService(db, nil)
		ctx := context.Background()
		_, token := oneSent(t, s, true)
		visitor := access.Visitor("192.0.2.1")
		if u, ok := s.Click(ctx, token, 0, browser, visitor); !ok || u != "https://federation.example/forum" {
			t.Errorf("link 0 leads to %q %v", u, ok)
		}
		payload, _, _ := strings.Cut(token, ".")
		for _, bad := range []struct {
			token string
			link  int
		}{
			{token, 42}, {token, -3}, {payload + ".AAAAAAAAAAAAAAAAAAAAAA", 0}, {"m1.https://evil.example", 0}, {"", 0},
			{strings.Replace(token, payload, payload+"0", 1), 0},
		} {
			if u, ok := s.Click(ctx, bad.token, bad.link, browser, visitor); ok || u != "" {
				t.Errorf("click %q link %d led to %q", bad.token, bad.link, u)
			}
		}
	})
}
