package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestEventDeliversItsPartnersCounterparts checks that staff choose an
// event's co-organising partners on its form, and that the event's page
// marks a partner's planned counterpart delivered by the event: the
// partner's page then names the event, and a counterpart of a partner that
// does not co-organise the event cannot be marked through it.
func TestEventDeliversItsPartnersCounterparts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		year := date.Today().Year
		partner := func(name string) (int64, int64) {
			id, err := ta.Network.CreatePartner(ctx, network.PartnerInput{Name: name, Sector: "énergie"}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			ag, err := ta.Network.AddAgreement(ctx, id, network.AgreementInput{Year: year, Amount: 20_000,
				StartsOn: date.Date{Year: year, Month: time.January, Day: 1}, EndsOn: date.Date{Year: year, Month: time.December, Day: 31}}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			c, err := ta.Network.AddCounterpart(ctx, ag, network.CounterpartInput{Kind: network.KindEvent, Title: "Un webinaire co-organisé",
				DueOn: date.Today().AddDays(30)}, access.System)
			if err != nil {
				t.Fatal(err)
			}
			return id, c
		}
		edf, edfWebinar := partner("Électricité de l’Ouest")
		_, otherWebinar := partner("Banque des Territoires du Sud")

		// The form offers the partners; the event is created with one.
		resp, body := ta.get(t, "coordinator", "/admin/evenements")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="partners" value="`+strconv.FormatInt(edf, 10)+`"`) {
			t.Fatalf("the event form does not offer the partners: %d", resp.StatusCode)
		}
		start := time.Now().In(date.Paris()).AddDate(0, 0, 10).Format("2006-01-02") + "T14:00"
		end := time.Now().In(date.Paris()).AddDate(0, 0, 10).Format("2006-01-02") + "T15:30"
		resp, _ = ta.post(t, "coordinator", "/admin/evenements", url.Values{"title": {"Webinaire : la chaleur renouvelable"}, "kind": {"webinar"},
			"starts_at": {start}, "ends_at": {end}, "capacity": {"100"}, "audience": {"public"}, "online_url": {"https://visio.example.org/chaleur"},
			"attendance_share": {"50"}, "partners": {strconv.FormatInt(edf, 10)}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/evenements/") {
			t.Fatalf("create the event: %d %s", resp.StatusCode, loc)
		}
		page := strings.SplitN(loc, "?", 2)[0]
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/admin/evenements/"), 10, 64)
		e, err := ta.Events.Get(ctx, id, access.System)
		if err != nil || len(e.Partners) != 1 || e.Partners[0] != edf {
			t.Fatalf("the event's partners: %v %v", e.Partners, err)
		}

		// Its page lists the partner's planned counterpart, with the action.
		_, body = ta.get(t, "coordinator", page)
		item := around(body, fmt.Sprintf(`id="contrepartie-%d"`, edfWebinar))
		if !strings.Contains(item, "Un webinaire co-organisé") || !strings.Contains(item, "Réalisée par cet événement") {
			t.Fatalf("the event page does not offer the partner's counterpart: %q", item)
		}
		if strings.Contains(body, fmt.Sprintf(`id="contrepartie-%d"`, otherWebinar)) {
			t.Errorf("the event page lists the counterpart of a partner that does not co-organise it")
		}
		// Saving the event again keeps its partners.
		resp, _ = ta.post(t, "coordinator", page, url.Values{"title": {"Webinaire : la chaleur renouvelable"}, "kind": {"webinar"},
			"starts_at": {start}, "ends_at": {end}, "capacity": {"120"}, "audience": {"public"}, "online_url": {"https://visio.example.org/chaleur"},
			"attendance_share": {"50"}, "partners": {strconv.FormatInt(edf, 10)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save the event: %d", resp.StatusCode)
		}

		// Another partner's counterpart is not this event's to deliver.
		resp, _ = ta.post(t, "coordinator", fmt.Sprintf("%s/contreparties/%d", page, otherWebinar), url.Values{})
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("deliver another partner's counterpart through the event: %d", resp.StatusCode)
		}
		resp, _ = ta.post(t, "member", fmt.Sprintf("%s/contreparties/%d", page, edfWebinar), url.Values{})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("a member delivers a counterpart: %d", resp.StatusCode)
		}
		resp, _ = ta.post(t, "coordinator", fmt.Sprintf("%s/contreparties/%d", page, edfWebinar), url.Values{})
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=counterpart-delivered") {
			t.Fatalf("deliver the counterpart: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		p, err := ta.Network.Partner(ctx, edf, access.System)
		if err != nil {
			t.Fatal(err)
		}
		c := p.Agreements[0].Counterparts[0]
		if c.Status != network.Delivered || c.Link.Kind != network.KindEvent || c.Link.ID != id ||
			!strings.Contains(c.Link.Label, "Webinaire : la chaleur renouvelable") || c.DeliveredOn != date.Today() {
			t.Errorf("the delivered counterpart: %+v", c)
		}
		_, body = ta.get(t, "coordinator", page)
		if item := around(body, fmt.Sprintf(`id="contrepartie-%d"`, edfWebinar)); !strings.Contains(item, "réalisée par cet événement") {
			t.Errorf("the event page after delivery: %q", item)
		}
		_, body = ta.get(t, "coordinator", fmt.Sprintf("/reseau/partenaires/%d", edf))
		if !strings.Contains(body, "Webinaire : la chaleur renouvelable") {
			t.Errorf("the partner's page does not name the event that delivered its counterpart")
		}
	})
}
