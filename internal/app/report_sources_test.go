package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/fr"
	"vivier/internal/network"
	"vivier/internal/newsletter"
	"vivier/internal/organisation"
	"vivier/internal/report"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/training"
)

// reportJSON is the part of GET /api/v1/reports/{year} these tests read.
type reportJSON struct {
	Year        int                 `json:"year"`
	PublishedAt *string             `json:"published_at"`
	Figures     []report.FigureJSON `json:"figures"`
}

func (d reportJSON) figure(t *testing.T, key string) report.FigureJSON {
	t.Helper()
	for _, f := range d.Figures {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("the report has no figure %s", key)
	return report.FigureJSON{}
}

// page answers a GET as the client's browser session, which must be 200.
func (c client) page(t *testing.T, path string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "vivier_session", Value: c.token})
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, excerptOf([]byte(body)))
	}
	return body
}

func apiGet(t *testing.T, base, token, path string, v any) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, excerptOf([]byte(body)))
	}
	if v != nil {
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return body
}

// textOf is the text of the element with id in page, tags removed.
func textOf(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</(p|strong|tr)>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page has no element %s", id)
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], ""))
}

// TestReportFiguresEqualTheirSourcesAndAPI computes the draft report of
// this year on a small data set — three agencies joining, two paying; a
// partner's agreement and its counterparts; an event with its
// participants; a MOOC's session; a campaign sent with its readers' and
// machines' hits — and checks, figure by figure, that the report's page,
// its JSON (GET /api/v1/reports/{year}) and the page or API each figure
// names as its source show the same number.
func TestReportFiguresEqualTheirSourcesAndAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newsletterApp(t, db)
		reportSources(t, ctx, ta)
		staff := ta.as(t, ta.emails["coordinator"])
		token := ta.apiToken(t, "coordinator", account.ScopeRead)
		year := date.Today().Year
		var doc reportJSON
		raw := apiGet(t, ta.srv.URL, token, fmt.Sprintf("/api/v1/reports/%d", year), &doc)
		if doc.PublishedAt != nil {
			t.Fatalf("the report of this year is a draft: published_at %v", *doc.PublishedAt)
		}
		checkIssueKeys(t, raw)

		// The report's page shows each figure of the JSON as it reads.
		page := staff.page(t, fmt.Sprintf("/rapport/%d", year))
		for _, f := range doc.Figures {
			fig := report.Figure{Unit: f.Unit, Value: f.Value, HasValue: f.HasValue, Tracked: f.Tracked}
			row := regexp.MustCompile(`(?s)<tr id="` + report.FigureID(f.Key) + `".*?<td class="value">([^<]*)</td>`).FindStringSubmatch(page)
			if row == nil {
				t.Errorf("the page has no row of %s", f.Key)
				continue
			}
			if got := html.UnescapeString(row[1]); got != fig.ValueText() {
				t.Errorf("%s: the page shows %q, the API %v (%q)", f.Key, got, f.Value, fig.ValueText())
			}
		}
		for _, key := range []string{"network.members", "network.memberships_paid", "network.events", "network.event_participants",
			"network.trainings", "network.trainings_trainees", "network.training_hours", "network.training_satisfaction",
			"communication.newsletter_campaigns", "communication.newsletter_open_rate", "communication.newsletter_click_rate",
			"communication.newsletter_naive_open_rate", "partners.agreements", "partners.agreements_eur",
			"partners.counterparts_due", "partners.counterparts_delivered"} {
			if !doc.figure(t, key).Tracked {
				t.Errorf("%s reads « non suivi »: its source is not wired", key)
			}
		}
		// Each of them lists its records: as many as the JSON says.
		for _, key := range []string{"network.members", "network.events", "network.trainings_trainees", "communication.newsletter_campaigns",
			"partners.counterparts_due"} {
			f := doc.figure(t, key)
			records := staff.page(t, f.Records)
			if n := strings.Count(records[strings.Index(records, `id="records"`):], "<tr><td>"); n != f.RecordCount {
				t.Errorf("%s: the records' page lists %d records, the JSON says %d", key, n, f.RecordCount)
			}
		}
		equal := func(key string, source float64, where string) {
			t.Helper()
			if got := doc.figure(t, key).Value; fmt.Sprintf("%.6f", got) != fmt.Sprintf("%.6f", source) {
				t.Errorf("%s: the report says %v, %s says %v", key, got, where, source)
			}
		}

		// Members and fees: the memberships of the year in the API.
		var ms struct {
			Memberships []struct {
				Status string `json:"status"`
			} `json:"memberships"`
		}
		apiGet(t, ta.srv.URL, token, fmt.Sprintf("/api/v1/memberships?year=%d", year), &ms)
		paid, pending := 0, 0
		for _, m := range ms.Memberships {
			switch m.Status {
			case "paid":
				paid++
			case "pending_payment":
				pending++
			}
		}
		equal("network.members", float64(paid+pending), "GET /api/v1/memberships")
		equal("network.memberships_paid", float64(paid), "GET /api/v1/memberships")
		if paid == 0 {
			t.Error("no paid membership: the comparison proves nothing")
		}
		fees := staff.page(t, doc.figure(t, "network.members").Source)
		if n := strings.Count(fees, `/reseau/adhesions/`); n < paid+pending {
			t.Errorf("the fees page lists %d memberships, fewer than the report's %d members", n, paid+pending)
		}

		// Events: the totals of the events' figures page.
		totals := textOf(t, staff.page(t, doc.figure(t, "network.events").Source), "totaux")
		events := regexp.MustCompile(`(\d+) événements?`).FindStringSubmatch(totals)
		present := regexp.MustCompile(`(\d+) présents`).FindStringSubmatch(totals)
		if events == nil || present == nil {
			t.Fatalf("the events' figures page reads %q", totals)
		}
		equal("network.events", atof(t, events[1]), "the events' figures page")
		equal("network.event_participants", atof(t, present[1]), "the events' figures page")

		// Trainings: each training's indicators of the year in the API,
		// added up.
		var trainings struct {
			Trainings []struct {
				ID int64 `json:"id"`
			} `json:"trainings"`
		}
		apiGet(t, ta.srv.URL, token, "/api/v1/trainings", &trainings)
		var sessions, trainees, satisfied, responses int
		var hours float64
		for _, tr := range trainings.Trainings {
			var ind struct {
				Years []struct {
					Year         int     `json:"year"`
					Sessions     int     `json:"sessions"`
					Trainees     int     `json:"trainees"`
					HoursTrainee float64 `json:"hours_trainee"`
					Satisfaction float64 `json:"satisfaction_rate"`
					Response     float64 `json:"response_rate"`
				} `json:"years"`
			}
			apiGet(t, ta.srv.URL, token, fmt.Sprintf("/api/v1/trainings/%d/indicators", tr.ID), &ind)
			for _, y := range ind.Years {
				if y.Year == year {
					sessions, trainees, hours = sessions+y.Sessions, trainees+y.Trainees, hours+y.HoursTrainee
					// The API gives rates: the counts are read back from them.
					answers := int(math.Round(y.Response * float64(y.Trainees)))
					satisfied += int(math.Round(y.Satisfaction * float64(answers)))
					responses += answers
				}
			}
		}
		equal("network.trainings", float64(sessions), "GET /api/v1/trainings/{id}/indicators")
		equal("network.trainings_trainees", float64(trainees), "GET /api/v1/trainings/{id}/indicators")
		equal("network.training_hours", hours, "GET /api/v1/trainings/{id}/indicators")
		if responses > 0 {
			equal("network.training_satisfaction", float64(satisfied)/float64(responses), "GET /api/v1/trainings/{id}/indicators")
		}
		yearPage := staff.page(t, doc.figure(t, "network.trainings").Source)
		if m := regexp.MustCompile(`<tr id="total-annee"><th scope="row">Total</th><td>(\d+)</td><td>(\d+)</td>`).FindStringSubmatch(yearPage); m == nil {
			t.Error("the trainings' page has no total of the year")
		} else {
			equal("network.trainings", atof(t, m[1]), "the trainings' page")
			equal("network.trainings_trainees", atof(t, m[2]), "the trainings' page")
		}
		if trainees == 0 {
			t.Error("no trainee: the comparison proves nothing")
		}

		// Newsletters: the rates of the period's figures page.
		letters := staff.page(t, doc.figure(t, "communication.newsletter_open_rate").Source)
		lead := textOf(t, letters, "period-open-rate")
		if want := fr.Percent(doc.figure(t, "communication.newsletter_open_rate").Value); lead != want {
			t.Errorf("open rate: the newsletters' page shows %q, the report %q", lead, want)
		}
		for _, key := range []string{"communication.newsletter_click_rate", "communication.newsletter_naive_open_rate"} {
			if want := "<strong>" + html.EscapeString(fr.Percent(doc.figure(t, key).Value)) + "</strong>"; !strings.Contains(letters, want) {
				t.Errorf("%s: the newsletters' page lacks %s", key, want)
			}
		}
		if doc.figure(t, "communication.newsletter_open_rate").Value == 0 {
			t.Error("no human opener: the comparison of rates proves little")
		}
		if n := doc.figure(t, "communication.newsletter_campaigns").Value; n == 0 || !strings.Contains(html.UnescapeString(letters), fr.Plural(int(n), "campagne envoyée", "campagnes envoyées")) {
			t.Errorf("the newsletters' page does not say the report's %v campaigns", n)
		}

		// Partners: the agreements of the year in the API.
		var partners struct {
			Partners []struct {
				Agreements []struct {
					Year         int   `json:"year"`
					Amount       int64 `json:"amount"`
					Counterparts []struct {
						Status string `json:"status"`
					} `json:"counterparts"`
				} `json:"agreements"`
			} `json:"partners"`
		}
		apiGet(t, ta.srv.URL, token, "/api/v1/partners", &partners)
		var agreements, due, delivered int
		var amount int64
		for _, p := range partners.Partners {
			for _, a := range p.Agreements {
				if a.Year != year {
					continue
				}
				agreements++
				amount += a.Amount
				for _, c := range a.Counterparts {
					if c.Status != "dropped" {
						due++
					}
					if c.Status == "delivered" {
						delivered++
					}
				}
			}
		}
		equal("partners.agreements", float64(agreements), "GET /api/v1/partners")
		equal("partners.agreements_eur", float64(amount), "GET /api/v1/partners")
		equal("partners.counterparts_due", float64(due), "GET /api/v1/partners")
		equal("partners.counterparts_delivered", float64(delivered), "GET /api/v1/partners")
	})
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// checkIssueKeys checks that the report's JSON has the keys its readers
// were promised.
func checkIssueKeys(t *testing.T, raw string) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"year", "published_at"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("the report's JSON lacks %s", k)
		}
	}
	for section, keys := range map[string][]string{
		"expertise":      {"needs", "missions_closed", "mission_days", "experts_mobilised", "savings_eur"},
		"network":        {"members", "memberships_paid", "events", "event_participants", "trainings_trainees", "training_hours", "publications"},
		"communication":  {"newsletter_open_rate", "newsletter_click_rate", "newsletter_naive_open_rate", "press_mentions", "followers_growth"},
		"representation": {"hearings", "notes", "agencies_in_delegations"},
		"partners":       {"agreements", "counterparts_delivered", "counterparts_due"},
	} {
		obj, ok := doc[section].(map[string]any)
		if !ok {
			t.Errorf("the report's JSON lacks the object %s", section)
			continue
		}
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("the report's JSON lacks %s.%s", section, k)
			}
		}
	}
	growth, ok := doc["communication"].(map[string]any)["followers_growth"].(map[string]any)
	if !ok || len(growth) == 0 {
		t.Errorf("communication.followers_growth is not an object of accounts' rates: %v", growth)
	}
	for account, rate := range growth {
		if _, ok := rate.(float64); !ok {
			t.Errorf("followers_growth.%s is %v, not a rate", account, rate)
		}
	}
}

// reportSources records, through the services and the newsletter's
// tracking links, the data set of TestReportFiguresEqualTheirSourcesAndAPI.
func reportSources(t *testing.T, ctx context.Context, ta *testApp) {
	t.Helper()
	year := date.Today().Year
	if err := ta.Network.SaveSchedule(ctx, networkSchedule(year), access.System); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		m, err := ta.Network.Join(ctx, network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: fmt.Sprintf("Agence %d", i+1),
			SIREN: luhnSIREN(fmt.Sprintf("7333333%d", i)), Basis: 900_000, Territory: []string{"dep:42"}}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			continue // invited: no member yet
		}
		ms, err := ta.Network.Memberships(ctx, network.MembershipFilter{OrgID: m.ID}, access.System)
		if err != nil || len(ms) != 1 {
			t.Fatal(ms, err)
		}
		if err := ta.Network.Pay(ctx, ms[0].ID, network.Payment{PaidOn: date.Today(), Mode: network.Transfer}, access.System); err != nil {
			t.Fatal(err)
		}
	}
	p, err := ta.Network.CreatePartner(ctx, network.PartnerInput{Name: "Réseau électrique", Sector: "énergie"}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	ag, err := ta.Network.AddAgreement(ctx, p, network.AgreementInput{Year: year, Amount: 40_000,
		StartsOn: date.Date{Year: year, Month: 1, Day: 1}, EndsOn: date.Date{Year: year, Month: 12, Day: 31}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		cp, err := ta.Network.AddCounterpart(ctx, ag, network.CounterpartInput{Kind: network.KindOther, Title: fmt.Sprintf("Contrepartie %d", i+1),
			DueOn: date.Date{Year: year, Month: 11, Day: 1}}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := ta.Network.UpdateCounterpart(ctx, cp, network.CounterpartUpdate{Status: network.Delivered, Link: network.Link{Kind: network.KindOther, Label: "le webinaire"}}, access.System); err != nil {
				t.Fatal(err)
			}
		}
	}
	// An event at the end of the year (registrations still open), two
	// registered, one present.
	start := time.Date(year, time.December, 30, 10, 0, 0, 0, date.Paris())
	ev, err := ta.Events.Create(ctx, event.Input{Title: "Webinaire de fin d’année", Kind: event.Webinar, Description: "Le bilan de l’année.",
		StartsAt: start, EndsAt: start.Add(time.Hour), OnlineURL: "https://visio.exemple.fr/salle", Capacity: 10}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		r, err := ta.Events.Register(ctx, ev, event.RegistrationInput{Email: fmt.Sprintf("p%d@exemple.fr", i), Name: fmt.Sprintf("Personne %d", i)}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := ta.Events.CheckIn(ctx, r.ID, true, access.System); err != nil {
				t.Fatal(err)
			}
		}
	}
	mooc, err := ta.Trainings.CreateTraining(ctx, training.TrainingInput{Title: "Attractivité en ligne", Kind: training.MOOC, Hours: 12, Programme: "Six modules."}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Trainings.SetMoocCounts(ctx, mooc, []training.MoocCount{{Label: "Session de printemps", StartsOn: date.Date{Year: year, Month: 3, Day: 1},
		Enrolled: 40, Completed: 25}}, access.System); err != nil {
		t.Fatal(err)
	}
	acc, err := ta.Audiences.CreateAccount(ctx, audience.AccountInput{Slug: "linkedin", Name: "Page LinkedIn", Kind: audience.ProfessionalNetwork,
		Metric: audience.Followers}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []audience.Count{{Day: date.Date{Year: year, Month: 1, Day: 2}, Value: 4000}, {Day: date.Today(), Value: 7000}} {
		if err := ta.Audiences.SetCount(ctx, acc.ID, c, access.System); err != nil {
			t.Fatal(err)
		}
	}
	// A campaign to three tracked readers: one reads it (Apple's proxy,
	// then the reader), one clicks, one only has its pixel fetched by the
	// proxy.
	s := ta.Newsletter
	l, err := s.CreateList(ctx, newsletter.ListInput{Name: "Lettre", Public: true, DoubleOptIn: true}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSubscribers(ctx, l.ID, []newsletter.NewSubscriber{{Email: "a@exemple.fr", Tracking: true}, {Email: "b@exemple.fr", Tracking: true},
		{Email: "c@exemple.fr", Tracking: true}}, access.System); err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCampaign(ctx, newsletter.CampaignInput{Subject: "Nouvelles", Body: "Le [forum](https://federation.example/forum).", ListIDs: []int64{l.ID}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, c.ID, nil, access.System); err != nil {
		t.Fatal(err)
	}
	tokens := sentTo(t, ta, c.ID)
	const reader, apple = "Mozilla/5.0 (Windows NT 10.0) Firefox/128.0", "Mozilla/5.0"
	for _, h := range []struct{ path, ip, ua string }{
		{"/lettres/o/" + tokens[0], "17.58.1.2", apple}, {"/lettres/o/" + tokens[0], "192.0.2.30", reader},
		{"/lettres/c/" + tokens[1] + "/0", "192.0.2.31", reader},
		{"/lettres/o/" + tokens[2], "17.58.1.3", apple},
	} {
		req, _ := http.NewRequest(http.MethodGet, ta.srv.URL+h.path, nil)
		req.Header.Set("User-Agent", h.ua)
		req.Header.Set("X-Forwarded-For", h.ip)
		do(t, req)
	}
}
