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
	"vivier/internal/expert"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// apiClient calls the API with one user's token, for tests that mix pages
// and API calls; scenario tables use runScenarios. Every call is checked
// against the OpenAPI document (do).
type apiClient struct {
	t      *testing.T
	ta     *testApp
	secret string
}

func (ta *testApp) apiClient(t *testing.T, key string, scope account.Scope) *apiClient {
	t.Helper()
	return &apiClient{t: t, ta: ta, secret: ta.apiToken(t, key, scope)}
}

// call sends method path (under /api/v1) with body (JSON, or nil) and
// decodes the answer into out; it returns the status.
func (c *apiClient) call(method, path string, body any, out any) int {
	c.t.Helper()
	payload := ""
	if body != nil {
		payload = jsonOf(c.t, body)
	}
	req, _ := http.NewRequest(method, c.ta.srv.URL+"/api/v1"+path, strings.NewReader(payload))
	req.Header.Set("Authorization", "Bearer "+c.secret)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, text := do(c.t, req)
	if out != nil {
		json.Unmarshal([]byte(text), out)
	}
	return resp.StatusCode
}

func newExpertJSON(ref, last string) map[string]any {
	return map[string]any{"reference": ref, "first_name": "Claire", "last_name": last, "email": strings.ToLower(ref) + "@exemple.fr",
		"employment": "independant", "commune": "69123", "zones": []string{"dep:69"},
		"skills":       []map[string]any{{"code": "filieres.industrie", "level": 3}},
		"availability": []map[string]any{{"start": "2026-12-01", "end": "2027-03-31", "days_per_week": 3}},
		"daily_rate":   650, "experience_years": 15, "languages": []string{"fr"}, "bio": "Industrie."}
}

// profileOf is the profile the API would read from body.
func profileOf(t *testing.T, body map[string]any) expert.Profile {
	t.Helper()
	var p expert.Profile
	if err := json.Unmarshal([]byte(jsonOf(t, body)), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExpertsAPIMatchesItsOpenAPIAndRowRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		// A candidate with the skill filieres.industrie, and the "expert"
		// account's own profile beside another's (filieres.numerique).
		fontaine, err := ta.Experts.Create(context.Background(), profileOf(t, newExpertJSON("EXP-API", "Fontaine")), access.System)
		if err != nil {
			t.Fatal(err)
		}
		own, other := linkedExpert(t, ta, db)
		staff := ta.apiToken(t, "coordinator", account.ScopeWrite)
		ex := ta.apiToken(t, "expert", account.ScopeWrite)
		readOnly := ta.apiToken(t, "coordinator", account.ScopeRead)

		bad := newExpertJSON("EXP-BAD", "Bad")
		bad["skills"] = []map[string]any{{"code": "filieres.inconnue", "level": 3}}
		put := newExpertJSON("EXP-API", "Fontaine-Lebrun")
		put["daily_rate"] = nil
		mine := newExpertJSON("CHANGED-REF", "Garcia")
		mine["email"] = "exp-own@exemple.fr"
		huge := newExpertJSON("EXP-HUGE", "Énorme")
		huge["bio"] = strings.Repeat("x", 1<<20)
		fontainePath := fmt.Sprintf("/api/v1/experts/%d", fontaine.ID)
		ownPath, otherPath := fmt.Sprintf("/api/v1/experts/%d", own.ID), fmt.Sprintf("/api/v1/experts/%d", other.ID)
		ownID := fmt.Sprintf(`"id":%d,`, own.ID)

		runScenarios(t, ta, []scenario{
			// Staff: list, filter, page.
			{name: "filtered list", path: "/api/v1/experts?skill=filieres.industrie&min_level=3&page_size=1", token: staff,
				status: 200, want: []string{`"total":1,`, `"reference":"EXP-API"`}, check: lists("experts", 1)},
			{name: "second page", path: "/api/v1/experts?page=2&page_size=2&sort=name", token: staff,
				status: 200, want: []string{`"total":3,`, `"page":2,`}, check: lists("experts", 1)},
			{name: "a level out of range", path: "/api/v1/experts?min_level=9&skill=filieres.industrie", token: staff, breaks: true,
				status: 422, want: []string{errorCode("invalid"), errorField("min_level")}},
			{name: "a page size that is not a number", path: "/api/v1/experts?page_size=vingt", token: staff, breaks: true,
				status: 422, want: []string{errorField("page_size")}},
			{name: "a bad date", path: "/api/v1/experts?available_from=2027-13-01", token: staff,
				status: 422, want: []string{errorField("available_from")}},

			// Staff: create, and every way a body can be wrong.
			{name: "create", method: "POST", path: "/api/v1/experts", token: staff, body: jsonOf(t, newExpertJSON("EXP-NEW", "Fontaine")),
				status: 201, want: []string{`"reference":"EXP-NEW"`, `"status":"candidate"`}},
			{name: "an unknown skill", method: "POST", path: "/api/v1/experts", token: staff, body: jsonOf(t, bad),
				status: 422, want: []string{errorCode("invalid"), errorField("skills[0].code")}},
			{name: "a wrong-typed field", method: "POST", path: "/api/v1/experts", token: staff, body: `{"last_name": 12}`, breaks: true,
				status: 422, want: []string{errorCode("invalid"), errorField("last_name")}},
			{name: "an unknown field", method: "POST", path: "/api/v1/experts", token: staff, body: `{"nom": "x"}`, breaks: true,
				status: 422, want: []string{errorCode("invalid"), errorField("nom")}},
			{name: "malformed JSON", method: "POST", path: "/api/v1/experts", token: staff, body: `{"last_name": "Fontaine",`, breaks: true,
				status: 400, want: []string{errorCode("malformed")}, notWant: []string{`"field"`}},
			{name: "data after the JSON object", method: "POST", path: "/api/v1/experts", token: staff, breaks: true,
				body:   jsonOf(t, newExpertJSON("EXP-TWICE", "Deux")) + ` {"last_name": "encore"}`,
				status: 400, want: []string{errorCode("malformed")}},
			{name: "an empty body", method: "POST", path: "/api/v1/experts", token: staff, breaks: true,
				header: map[string]string{"Content-Type": "application/json"},
				status: 400, want: []string{errorCode("malformed")}},
			{name: "a body over the limit", method: "POST", path: "/api/v1/experts", token: staff, body: jsonOf(t, huge),
				status: 413, want: []string{errorCode("too_large")}},

			// Staff: replace, move through the lifecycle.
			{name: "replace", method: "PUT", path: fontainePath, token: staff, body: jsonOf(t, put),
				status: 200, want: []string{`"last_name":"Fontaine-Lebrun"`, `"daily_rate":null`}},
			{name: "candidate to suspended is refused", method: "POST", path: fontainePath + "/status", token: staff,
				body:   `{"status": "suspended", "comment": "absent"}`,
				status: 422, want: []string{errorField("status")}},
			{name: "a status of the wrong type", method: "POST", path: fontainePath + "/status", token: staff, body: `{"status": 2}`, breaks: true,
				status: 422, want: []string{errorField("status")}},
			{name: "qualify", method: "POST", path: fontainePath + "/status", token: staff, body: `{"status": "qualified", "comment": "ok"}`,
				status: 200, want: []string{`"status":"qualified"`}},
			{name: "the status of no expert", method: "POST", path: "/api/v1/experts/999999/status", token: staff,
				body: `{"status": "qualified"}`, status: 404, want: []string{errorCode("not_found")}},

			// An expert: their own profile only; every other id is 404.
			{name: "an expert reads their profile", path: ownPath, token: ex, status: 200, want: []string{ownID}},
			{name: "an expert reads me/expert", path: "/api/v1/me/expert", token: ex, status: 200, want: []string{ownID}},
			{name: "an expert reads another expert", path: otherPath, token: ex,
				status: 404, want: []string{errorCode("not_found")}, notWant: []string{"Petit", "EXP-OTHER"}},
			{name: "an expert replaces another expert", method: "PUT", path: otherPath, token: ex, body: jsonOf(t, newExpertJSON("X", "Pirate")),
				status: 404, want: []string{errorCode("not_found")}},
			{name: "an expert cannot change their reference", method: "PUT", path: ownPath, token: ex, body: jsonOf(t, mine),
				status: 200, want: []string{`"reference":"EXP-OWN"`, `"last_name":"Garcia"`}, notWant: []string{"CHANGED-REF"}},
			{name: "an expert lists the pool", path: "/api/v1/experts", token: ex, status: 403, want: []string{errorCode("forbidden")}},
			{name: "an expert qualifies themselves", method: "POST", path: ownPath + "/status", token: ex, body: `{"status": "qualified"}`,
				status: 403, want: []string{errorCode("forbidden")}},
			{name: "an expert id that is not a number", path: "/api/v1/experts/abc", token: staff, breaks: true,
				status: 404, want: []string{errorCode("not_found")}},

			// Who may call at all.
			{name: "a read token creates", method: "POST", path: "/api/v1/experts", token: readOnly, body: jsonOf(t, newExpertJSON("EXP-RO", "Lecture")),
				status: 403, want: []string{errorCode("forbidden")}},
			{name: "anonymous", path: "/api/v1/experts", as: anonymous, breaks: true, status: 401, want: []string{errorCode("unauthorized")}},
			{name: "a requester's session", path: "/api/v1/experts", as: "requester", status: 403, want: []string{errorCode("forbidden")}},
		})
	})
}

func needJSON(commune string) map[string]any {
	return map[string]any{"title": "Diagnostic de la filière bois", "description": "Scieries en difficulté.", "commune": commune,
		"kind": "mission", "skills": []map[string]any{{"code": "filieres.diagnostic", "min_level": 3, "required": true}},
		"start": "2027-01-04", "end": "2027-04-30", "days_per_week": 2, "max_daily_rate": 700, "format": "hybrid", "languages": []string{"fr"}}
}

func TestNeedsAPIMatchesItsOpenAPIAndRequestersSeeTheirOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		u, err := account.ByEmail(ctx, db, ta.emails["requester"])
		if err != nil {
			t.Fatal(err)
		}
		// A need of the requester's organisation, another of the commune
		// 01004's (entered by staff).
		in, err := need.DecodeOne([]byte(jsonOf(t, needJSON("01004"))))
		if err != nil {
			t.Fatal(err)
		}
		mine, err := ta.Needs.Create(ctx, in, u.Actor("127.0.0.1", access.Token))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := ta.Needs.Create(ctx, in, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if mine.RequesterID != u.OrganisationID || theirs.RequesterID == u.OrganisationID {
			t.Fatalf("requesters %d and %d, the requester's organisation %d", mine.RequesterID, theirs.RequesterID, u.OrganisationID)
		}
		staff := ta.apiToken(t, "coordinator", account.ScopeWrite)
		req := ta.apiToken(t, "requester", account.ScopeWrite)
		minePath, theirsPath := fmt.Sprintf("/api/v1/needs/%d", mine.ID), fmt.Sprintf("/api/v1/needs/%d", theirs.ID)
		ownOrg := fmt.Sprintf(`"requester_id":%d,`, u.OrganisationID)
		level7 := needJSON("01004")
		level7["skills"] = []map[string]any{{"code": "filieres.diagnostic", "min_level": 7, "required": true}}
		wrongType := needJSON("01004")
		wrongType["days_per_week"] = "deux"
		unknown := needJSON("01004")
		unknown["budget"] = 1000

		runScenarios(t, ta, []scenario{
			// A requester sees their organisation's needs only.
			{name: "a requester lists", path: "/api/v1/needs", token: req,
				status: 200, want: []string{`"total":1,`, fmt.Sprintf(`"id":%d,`, mine.ID)}, check: lists("needs", 1)},
			{name: "staff list", path: "/api/v1/needs?status=submitted&departement=01", token: staff, status: 200, want: []string{`"total":2,`}},
			{name: "a requester reads another organisation's need", path: theirsPath, token: req,
				status: 404, want: []string{errorCode("not_found")}},
			{name: "a requester reads their need", path: minePath, token: req, status: 200, want: []string{fmt.Sprintf(`"id":%d,`, mine.ID)}},
			{name: "a need id that is not a number", path: "/api/v1/needs/abc", token: req, breaks: true, status: 404},
			{name: "an expert lists the needs", path: "/api/v1/needs", as: "expert", status: 403, want: []string{errorCode("forbidden")}},

			// Staff move a need through its lifecycle.
			{name: "skipping a step", method: "PATCH", path: minePath, token: staff, body: `{"status": "assigned"}`,
				status: 422, want: []string{errorField("status")}},
			{name: "a requester moves their need", method: "PATCH", path: minePath, token: req, body: `{"status": "qualified"}`,
				status: 403, want: []string{errorCode("forbidden")}},
			{name: "a malformed move", method: "PATCH", path: minePath, token: staff, body: `{"status": qualified}`, breaks: true,
				status: 400, want: []string{errorCode("malformed")}},
			{name: "qualify", method: "PATCH", path: minePath, token: staff, body: `{"status": "qualified", "comment": "clair"}`,
				status: 200, want: []string{`"status":"qualified"`}},

			// Creating: a requester's need is their organisation's.
			{name: "a requester creates", method: "POST", path: "/api/v1/needs", token: req, body: jsonOf(t, needJSON("01004")),
				status: 201, want: []string{ownOrg, `"status":"submitted"`}},
			{name: "staff create", method: "POST", path: "/api/v1/needs", token: staff, body: jsonOf(t, needJSON("01004")),
				status: 201, notWant: []string{ownOrg}},
			{name: "level 7", method: "POST", path: "/api/v1/needs", token: staff, body: jsonOf(t, level7), breaks: true,
				status: 422, want: []string{errorField("skills[0].min_level")}},
			{name: "a wrong-typed field", method: "POST", path: "/api/v1/needs", token: staff, body: jsonOf(t, wrongType), breaks: true,
				status: 422, want: []string{errorCode("invalid"), errorField("days_per_week")}},
			{name: "an unknown field", method: "POST", path: "/api/v1/needs", token: staff, body: jsonOf(t, unknown), breaks: true,
				status: 422, want: []string{errorCode("invalid"), errorField("budget")}},
			{name: "malformed JSON", method: "POST", path: "/api/v1/needs", token: staff, body: `{"title": "Diagnostic"`, breaks: true,
				status: 400, want: []string{errorCode("malformed")}},
			{name: "data after the JSON object", method: "POST", path: "/api/v1/needs", token: staff, breaks: true,
				body:   jsonOf(t, needJSON("01004")) + "\n" + jsonOf(t, needJSON("01004")),
				status: 400, want: []string{errorCode("malformed")}},
		})
	})
}
