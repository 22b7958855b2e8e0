package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestNetworkAPI runs the network's API as staff, as the staff of two
// members and of a member not current, every exchange checked against
// openapi.json: a member never reads another's fees, invoices or
// engagement.
func TestNetworkAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		year := date.Today().Year
		if err := ta.Network.SaveSchedule(ctx, networkSchedule(year), access.System); err != nil {
			t.Fatal(err)
		}
		a, msA := networkMember(t, ta, "Agence Alpha", luhnSIREN("61111111"), "alpha@agence.test", true)
		b, msB := networkMember(t, ta, "Agence Bravo", luhnSIREN("62222222"), "bravo@agence.test", false)
		_, err := ta.Network.CreatePartner(ctx, network.PartnerInput{Name: "Compagnie des Eaux", Sector: "eau"}, access.System)
		if err != nil {
			t.Fatal(err)
		}
		alphaToken := func() string {
			u, err := account.ByEmail(ctx, db, "alpha@agence.test")
			if err != nil {
				t.Fatal(err)
			}
			secret, _, err := ta.Accounts.CreateToken(ctx, u, "scripts", account.ScopeRead, account.Client{})
			if err != nil {
				t.Fatal(err)
			}
			return secret
		}()
		coordWrite := ta.apiToken(t, "coordinator", account.ScopeWrite)
		coordRead := ta.apiToken(t, "coordinator", account.ScopeRead)
		newMember := jsonOf(t, map[string]any{"kind": "agence", "name": "Agence Charlie", "siren": luhnSIREN("63333333"), "basis": 2_500_000,
			"territory": []string{"dep:42"}, "themes": []string{"strategie"}, "listed": true, "referent_name": "Chloé Charlie", "referent_email": "chloe@charlie.test"})
		runScenarios(t, ta, []scenario{
			{name: "staff list every member", path: "/api/v1/members", token: coordRead, status: http.StatusOK, check: lists("members", 2),
				want: []string{`"basis":1250000`, `"membership_status":"invited"`}},
			{name: "a current member lists the current members with contacts, no fees", path: "/api/v1/members", token: alphaToken, status: http.StatusOK,
				check: lists("members", 1), want: []string{`"email":"contact@` + a.SIREN}},
			{name: "a member not current is told why", path: "/api/v1/members", as: "bravo@agence.test", status: http.StatusForbidden,
				want: []string{errorCode("forbidden"), "pas encore réglée"}},
			{name: "an expert may not", path: "/api/v1/members", as: "expert", status: http.StatusForbidden},
			{name: "anonymous", path: "/api/v1/members", as: anonymous, status: http.StatusUnauthorized, breaks: true},
			{name: "a member reads its own entry with its memberships", path: fmt.Sprintf("/api/v1/members/%d", a.ID), token: alphaToken, status: http.StatusOK,
				want: []string{`"memberships":[`, `"invoice_number":"`, `"basis":1250000`}},
			{name: "a member reads another's entry without its fees", path: fmt.Sprintf("/api/v1/members/%d", b.ID), token: alphaToken, status: http.StatusNotFound},
			{name: "a member's memberships are its own", path: fmt.Sprintf("/api/v1/memberships?year=%d", year), token: alphaToken, status: http.StatusOK,
				check: func(t *testing.T, body string) {
					lists("memberships", 1)(t, body)
					if strings.Contains(body, "Agence Bravo") {
						t.Error("Alpha reads Bravo's membership")
					}
				}},
			{name: "staff list the year's memberships", path: fmt.Sprintf("/api/v1/memberships?year=%d", year), token: coordRead, status: http.StatusOK,
				check: lists("memberships", 2), want: []string{`"formula":"budget 1`}},
			{name: "a bad year", path: "/api/v1/memberships?year=deux", token: coordRead, status: http.StatusUnprocessableEntity, want: []string{errorField("year")}, breaks: true},
			{name: "a bad status", path: "/api/v1/memberships?status=gratuit", token: coordRead, status: http.StatusUnprocessableEntity, want: []string{errorField("status")}, breaks: true},
			{name: "a member's engagement, for itself", path: fmt.Sprintf("/api/v1/members/%d/engagement?from=%d-01-01&to=%d-12-31", a.ID, year, year), token: alphaToken,
				status: http.StatusOK, want: []string{`"key":"needs_submitted"`, `"key":"events_attended","label":"événements suivis","weight":3,"tracked":true`, `"formula":"score = 3 ×`}},
			{name: "another's engagement", path: fmt.Sprintf("/api/v1/members/%d/engagement", b.ID), token: alphaToken, status: http.StatusNotFound},
			{name: "an engagement period upside down", path: fmt.Sprintf("/api/v1/members/%d/engagement?from=%d-12-31&to=%d-01-01", a.ID, year, year), token: coordRead,
				status: http.StatusUnprocessableEntity, want: []string{errorField("to")}},
			{name: "an unreadable date", path: fmt.Sprintf("/api/v1/members/%d/engagement?from=hier", a.ID), token: coordRead,
				status: http.StatusUnprocessableEntity, want: []string{errorField("from")}, breaks: true},
			{name: "a payment by a read token", method: "POST", path: fmt.Sprintf("/api/v1/memberships/%d/payment", msB.ID), token: coordRead,
				body: `{"paid_on":"` + date.Today().String() + `","mode":"virement"}`, status: http.StatusForbidden},
			{name: "a payment by a member", method: "POST", path: fmt.Sprintf("/api/v1/memberships/%d/payment", msA.ID), token: alphaToken,
				body: `{"paid_on":"` + date.Today().String() + `","mode":"virement"}`, status: http.StatusForbidden},
			{name: "a payment with an unknown field", method: "POST", path: fmt.Sprintf("/api/v1/memberships/%d/payment", msB.ID), token: coordWrite,
				body: `{"paid_on":"` + date.Today().String() + `","mode":"virement","amount":1}`, status: http.StatusUnprocessableEntity, want: []string{errorField("amount")}, breaks: true},
			{name: "a payment without a date, by barter", method: "POST", path: fmt.Sprintf("/api/v1/memberships/%d/payment", msB.ID), token: coordWrite,
				body: `{"mode":"troc"}`, status: http.StatusUnprocessableEntity, want: []string{errorField("paid_on")}, breaks: true},
			{name: "a payment of an unknown membership", method: "POST", path: "/api/v1/memberships/999999/payment", token: coordWrite,
				body: `{"paid_on":"` + date.Today().String() + `","mode":"virement"}`, status: http.StatusNotFound},
			{name: "a payment", method: "POST", path: fmt.Sprintf("/api/v1/memberships/%d/payment", msB.ID), token: coordWrite,
				body: `{"paid_on":"` + date.Today().String() + `","mode":"mandat"}`, status: http.StatusOK, want: []string{`"status":"paid"`, `"payment_mode":"mandat"`}},
			{name: "paying restores the member's access", path: "/api/v1/members", as: "bravo@agence.test", status: http.StatusOK, check: lists("members", 2)},
			{name: "a second payment is a conflict", method: "POST", path: fmt.Sprintf("/api/v1/memberships/%d/payment", msB.ID), token: coordWrite,
				body: `{"paid_on":"` + date.Today().String() + `","mode":"mandat"}`, status: http.StatusConflict, want: []string{errorCode("conflict")}},
			{name: "a new member", method: "POST", path: "/api/v1/members", token: coordWrite, body: newMember, status: http.StatusCreated,
				want: []string{`"name":"Agence Charlie"`, `"territory":["dep:42"]`}},
			{name: "the same member again", method: "POST", path: "/api/v1/members", token: coordWrite, body: newMember, status: http.StatusUnprocessableEntity,
				want: []string{errorField("siren")}},
			{name: "a member with a bad place", method: "POST", path: "/api/v1/members", token: coordWrite,
				body: `{"kind":"agence","name":"X","territory":["dep:99"]}`, status: http.StatusUnprocessableEntity, want: []string{errorField("territory")}},
			{name: "a member with a basis of the wrong type", method: "POST", path: "/api/v1/members", token: coordWrite,
				body: `{"kind":"agence","name":"X","basis":"beaucoup"}`, status: http.StatusUnprocessableEntity, want: []string{errorField("basis")}, breaks: true},
			{name: "malformed JSON", method: "POST", path: "/api/v1/members", token: coordWrite, body: `{"kind":`, status: http.StatusBadRequest, breaks: true},
			{name: "a member may not create members", method: "POST", path: "/api/v1/members", as: "alpha@agence.test", body: newMember, status: http.StatusForbidden},
			{name: "partners, for staff", path: "/api/v1/partners", token: coordRead, status: http.StatusOK, check: lists("partners", 1), want: []string{`"sector":"eau"`}},
			{name: "partners, not for members", path: "/api/v1/partners", token: alphaToken, status: http.StatusForbidden},
		})
		var out struct {
			Members []struct {
				Name  string `json:"name"`
				Basis *int64 `json:"basis"`
			} `json:"members"`
		}
		c := ta.as(t, "alpha@agence.test")
		_, body := c.get("/api/v1/members")
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Members {
			if m.Name != "Agence Alpha" && m.Basis != nil {
				t.Errorf("Alpha reads %s's basis", m.Name)
			}
		}
	})
}
