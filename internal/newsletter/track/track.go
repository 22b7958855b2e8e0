// Package track tells the hits of a newsletter message — fetches of its open
// pixel and of its links — from people apart from those of machines, so that
// the open and click rates count readers. Mail privacy proxies fetch every
// image of a message as it arrives, security gateways click every link
// seconds after delivery, and scripts announce themselves in their user
// agent: counted as readers, they make rates that mean little.
//
// The rules, each with a Reason:
//   - Apple Mail's privacy protection fetches from Apple's network 17.0.0.0/8
//     with the bare user agent "Mozilla/5.0": machine (AppleProxy);
//   - automation announces itself: headless browsers, HTTP libraries, known
//     security gateways, no user agent at all: machine (Automation);
//   - a client (address and user agent) that fetches the message's hidden
//     trap link, which no person can see, is a link scanner: that hit and
//     every other hit of the same client on the message are machine (Trap);
//   - three or more distinct links of one message fetched within Burst (two
//     seconds) is no person's doing: those clicks, and the opens within
//     Burst of them, are machine (Burst);
//   - anything else is human, including the image proxies that fetch when
//     the reader opens the message (Gmail's GoogleImageProxy, Yahoo's),
//     whose opens are « probable » (ImageProxy);
//   - a hit before the message was handed to the relay is impossible and
//     refused (Refused): it is not stored at all.
//
// A human click also makes its recipient a human opener (images are often
// blocked); Summarise applies that.
package track

import (
	"net/netip"
	"strings"
	"time"
)

// Burst is the window in which three distinct links of one message are
// more than a person clicks.
const Burst = 2 * time.Second

// BurstLinks is how many distinct links within Burst make a scanner.
const BurstLinks = 3

// Open is the link number of the open pixel.
const Open = -1

// Hit is one fetch of a message's pixel or link.
type Hit struct {
	Link      int // Open, or the link's number
	Trap      bool
	At        time.Time
	IP        string
	UserAgent string
}

// Click reports whether h is a link's fetch.
func (h Hit) Click() bool { return h.Link != Open }

func (h Hit) client() string { return h.IP + "\x00" + h.UserAgent }

// Reason says which rule classified a hit.
type Reason string

// The reasons, in the order the rules apply.
const (
	Human      Reason = ""            // no rule: a person
	ImageProxy Reason = "image_proxy" // a mail provider's proxy fetching as the reader opens: human, « ouverture probable »
	AppleProxy Reason = "apple_privacy"
	Automation Reason = "automation"
	Trap       Reason = "trap"
	BurstHit   Reason = "burst"
)

// Machine reports whether the reason makes a hit a machine's.
func (r Reason) Machine() bool {
	return r == AppleProxy || r == Automation || r == Trap || r == BurstHit
}

// Label is the reason in French, for the pages.
func (r Reason) Label() string {
	switch r {
	case ImageProxy:
		return "proxy d’images à l’ouverture (ouverture probable)"
	case AppleProxy:
		return "protection de la vie privée d’Apple Mail (chargement à la réception)"
	case Automation:
		return "automate déclaré (navigateur sans tête, bibliothèque HTTP, passerelle de sécurité)"
	case Trap:
		return "lien piège invisible suivi (analyseur de liens)"
	case BurstHit:
		return "trois liens ou plus en deux secondes (analyseur de liens)"
	}
	return "personne"
}

var appleNet = netip.MustParsePrefix("17.0.0.0/8")

// automationAgents are fragments of the user agents of automation, lower
// case: headless browsers, HTTP libraries and the link scanners of
// security gateways that name themselves.
var automationAgents = []string{
	"headlesschrome", "phantomjs", "puppeteer", "playwright", "selenium", "electron/",
	"curl/", "wget/", "python-requests", "python-urllib", "aiohttp", "httpx", "go-http-client", "java/", "okhttp",
	"apache-httpclient", "libwww-perl", "node-fetch", "axios/", "guzzlehttp", "ruby", "scrapy", "httpclient",
	"bot", "crawler", "spider", "preview", "scanner",
	"barracuda", "mimecast", "proofpoint", "ppsecure", "symantec", "messagelabs", "forcepoint", "trend micro",
	"sophos", "fireeye", "cisco", "ironport", "zscaler", "safelinks", "microsoft office", "ms-office", "msoffice",
}

// imageProxies are fragments of the user agents of the proxies that fetch
// a message's images when its reader opens it.
var imageProxies = []string{"googleimageproxy", "yahoomailproxy", "ymailproxy"}

// Static is what a hit's own address and user agent say of it, without the
// other hits of its message.
func Static(h Hit) Reason {
	ua := strings.TrimSpace(h.UserAgent)
	if ua == "Mozilla/5.0" {
		if ip, err := netip.ParseAddr(h.IP); err == nil && appleNet.Contains(ip.Unmap()) {
			return AppleProxy
		}
	}
	if ua == "" {
		return Automation
	}
	lower := strings.ToLower(ua)
	for _, f := range imageProxies {
		if strings.Contains(lower, f) {
			return ImageProxy
		}
	}
	for _, f := range automationAgents {
		if strings.Contains(lower, f) {
			return Automation
		}
	}
	return Human
}

// Refused reports whether a hit at at is impossible: its message was not
// handed to the relay yet (handed is zero while it never was).
func Refused(handed, at time.Time) bool { return handed.IsZero() || at.Before(handed) }

// Classify returns the reason of each hit of one message (hits in any
// order; the result follows their order).
func Classify(hits []Hit) []Reason {
	out := make([]Reason, len(hits))
	for i, h := range hits {
		out[i] = Static(h)
	}
	// A client that fetched the trap link is a scanner on this message.
	trapped := map[string]bool{}
	for _, h := range hits {
		if h.Trap {
			trapped[h.client()] = true
		}
	}
	for i, h := range hits {
		if trapped[h.client()] && !out[i].Machine() {
			out[i] = Trap
		}
	}
	// Bursts: for each click, the distinct links clicked within Burst
	// after it (whoever clicked: no person clicks three links in two
	// seconds, and gateways spread their fetches over several addresses).
	inBurst := make([]bool, len(hits))
	var spans [][2]time.Time
	for _, h := range hits {
		if !h.Click() {
			continue
		}
		links := map[int]bool{}
		var members []int
		for j, g := range hits {
			if g.Click() && !g.At.Before(h.At) && g.At.Sub(h.At) <= Burst {
				links[g.Link] = true
				members = append(members, j)
			}
		}
		if len(links) >= BurstLinks {
			last := h.At
			for _, j := range members {
				inBurst[j] = true
				if hits[j].At.After(last) {
					last = hits[j].At
				}
			}
			spans = append(spans, [2]time.Time{h.At, last})
		}
	}
	// The burst's open: a pixel fetch within Burst of the burst.
	for i, h := range hits {
		if h.Click() {
			continue
		}
		for _, s := range spans {
			if !h.At.Before(s[0].Add(-Burst)) && !h.At.After(s[1].Add(Burst)) {
				inBurst[i] = true
			}
		}
	}
	for i := range hits {
		if inBurst[i] && !out[i].Machine() {
			out[i] = BurstHit
		}
	}
	return out
}

// Summary is what the hits of one message amount to.
type Summary struct {
	PixelFetches  int        // every fetch of the pixel, as a naive tool counts
	HumanOpen     bool       // a human open, or a human click
	MachineOpen   bool       // a machine's fetch of the pixel
	HumanClick    bool       // a human click on a visible link
	MachineClicks int        // machines' fetches of links, the trap's included
	FirstHuman    time.Time  // the first human hit, zero when none
	Links         []LinkHits // per link, in order of first hit
}

// LinkHits are the fetches of one link of a message.
type LinkHits struct {
	Link           int
	Human, Machine int
}

// Summarise classifies the hits of one message and adds them up.
func Summarise(hits []Hit) Summary {
	var s Summary
	reasons := Classify(hits)
	index := map[int]int{}
	for i, h := range hits {
		machine := reasons[i].Machine()
		if !h.Click() {
			s.PixelFetches++
			if machine {
				s.MachineOpen = true
			} else {
				s.HumanOpen = true
			}
		} else {
			k, ok := index[h.Link]
			if !ok {
				k = len(s.Links)
				index[h.Link] = k
				s.Links = append(s.Links, LinkHits{Link: h.Link})
			}
			if machine {
				s.MachineClicks++
				s.Links[k].Machine++
			} else {
				s.HumanClick = true
				s.HumanOpen = true // images are often blocked: the click proves the open
				s.Links[k].Human++
			}
		}
		if !machine && (s.FirstHuman.IsZero() || h.At.Before(s.FirstHuman)) {
			s.FirstHuman = h.At
		}
	}
	return s
}

// Add is s followed by more hits of the same message, summed apart, when
// neither has a click (no trap, no burst: no hit changes the other's
// classification).
func (s Summary) Add(more Summary) Summary {
	s.PixelFetches += more.PixelFetches
	s.HumanOpen = s.HumanOpen || more.HumanOpen
	s.MachineOpen = s.MachineOpen || more.MachineOpen
	if !more.FirstHuman.IsZero() && (s.FirstHuman.IsZero() || more.FirstHuman.Before(s.FirstHuman)) {
		s.FirstHuman = more.FirstHuman
	}
	return s
}
