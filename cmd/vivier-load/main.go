// Command vivier-load drives a running Vivier server with concurrent
// requests and reports its throughput and latency percentiles: the load
// script behind the server figures of docs/benchmarks.md.
//
// It signs in once with a password (a demo account: no second factor;
// the password in VIVIER_LOAD_PASSWORD, or -password), then -c workers
// request the pages of -paths in turn for -d, over keep-alive connections,
// and it prints requests per second and the 50th, 95th and 99th
// percentiles, overall and per page. Every answer must be 200 on the page
// asked, else it is counted as an error (a redirect to the login page
// means the session was lost).
//
//	VIVIER_LOAD_PASSWORD='…' go run ./cmd/vivier-load -base http://127.0.0.1:8080 -email coordination@demo.vivier.fr -c 4 -d 20s
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// defaultPaths are the coordinators' list pages of BenchmarkExpertListPage.
var defaultPaths = []string{
	"/experts", "/experts?statut=qualified", "/experts?skill=filieres.industrie&niveau=3",
	"/experts?zone=dep:69&statut=qualified", "/experts?zone=reg:84&skill=entreprises.foncier",
	"/experts?du=2027-01-01&au=2027-02-28&jours=2",
	"/experts?skill=management.direction_interim&niveau=4&du=2027-01-05&au=2027-03-31&jours=4&statut=qualified",
	"/experts?departement=33&tri=rate", "/experts?statut=qualified&tri=updated&page=50",
	"/experts?q=industrie&zone=reg:32&statut=qualified&tri=experience", "/experts?q=Lef%C3%A8vre",
	"/experts?q=d%C3%A9veloppement+%C3%A9conomique", "/experts?q=tourisme&skill=filieres.tourisme&niveau=2",
	"/experts?zone=national&tri=experience&page=3",
}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the server's address")
	email := flag.String("email", "", "account to sign in with (password login, no second factor)")
	password := flag.String("password", os.Getenv("VIVIER_LOAD_PASSWORD"), "its password (default: VIVIER_LOAD_PASSWORD, which keeps it out of the process list)")
	workers := flag.Int("c", 4, "concurrent workers")
	duration := flag.Duration("d", 20*time.Second, "how long to send requests")
	paths := flag.String("paths", "", "pages to request, separated by spaces (default: the expert list's 14 filters)")
	flag.Parse()
	list := defaultPaths
	if *paths != "" {
		list = strings.Fields(*paths)
	}
	client, err := signIn(*base, *email, *password)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vivier-load:", err)
		os.Exit(1)
	}
	// From here on a redirect is an answer, and an error: the session
	// should never be sent back to the login page.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r := run(client, *base, list, *workers, *duration)
	r.print(os.Stdout, list, *workers, *duration)
	if r.errors > 0 {
		os.Exit(1)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn posts the login form and returns a client holding the session.
func signIn(base, email, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	resp, err := client.Get(base + "/connexion")
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return nil, errors.New("no csrf field on /connexion")
	}
	resp, err = client.PostForm(base+"/connexion", url.Values{"email": {email}, "password": {password}, "csrf": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path == "/connexion" || resp.Request.URL.Path == "/connexion/code" {
		return nil, fmt.Errorf("sign-in as %s refused or asking a second factor (landed on %s)", email, resp.Request.URL.Path)
	}
	return client, nil
}

type result struct {
	all    []time.Duration
	byPath map[string][]time.Duration
	errors int
	first  string // the first error
}

// run sends requests from workers goroutines for d, each worker going
// through the paths in turn from its own starting point.
func run(client *http.Client, base string, paths []string, workers int, d time.Duration) result {
	var mu sync.Mutex
	r := result{byPath: map[string][]time.Duration{}}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				p := paths[i%len(paths)]
				start := time.Now()
				resp, err := client.Get(base + p)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: %s", p, resp.Status)
					}
				}
				took := time.Since(start)
				mu.Lock()
				if err != nil {
					if r.errors == 0 {
						r.first = err.Error()
					}
					r.errors++
				} else {
					r.all = append(r.all, took)
					r.byPath[p] = append(r.byPath[p], took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return r
}

func percentile(times []time.Duration, p float64) string {
	if len(times) == 0 {
		return "—"
	}
	s := slices.Clone(times)
	slices.Sort(s)
	return fmt.Sprintf("%.1f ms", float64(s[int(p*float64(len(s)-1))].Microseconds())/1000)
}

func (r result) print(w io.Writer, paths []string, workers int, d time.Duration) {
	fmt.Fprintf(w, "%d workers, %v: %d requests, %.0f req/s, %d errors\n", workers, d, len(r.all), float64(len(r.all))/d.Seconds(), r.errors)
	if r.first != "" {
		fmt.Fprintln(w, "first error:", r.first)
	}
	fmt.Fprintf(w, "all pages: p50 %s, p95 %s, p99 %s\n", percentile(r.all, 0.50), percentile(r.all, 0.95), percentile(r.all, 0.99))
	for _, p := range paths {
		t := r.byPath[p]
		fmt.Fprintf(w, "  p50 %9s  p95 %9s  %s\n", percentile(t, 0.50), percentile(t, 0.95), p)
	}
}
