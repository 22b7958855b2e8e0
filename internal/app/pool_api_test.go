package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// apiClient calls the API with one user's token and checks every answer
// against the OpenAPI document.
type apiClient struct {
	t      *testing.T
	ta     *testApp
	secret string
	doc    *openAPIDoc
}

func (ta *testApp) apiClient(t *testing.T, key string, scope account.Scope) *apiClient {
	t.Helper()
	ctx := context.Background()
	u, err := account.ByEmail(ctx, ta.DB, ta.emails[key])
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := ta.Accounts.CreateToken(ctx, u, "tests", scope, account.Client{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := loadOpenAPI("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	return &apiClient{t: t, ta: ta, secret: secret, doc: doc}
}

// call sends method path with body (JSON, or nil), checks the response
// against the schema documented for docPath, and decodes it into out.
func (c *apiClient) call(method, path, docPath string, body any, out any) int {
	c.t.Helper()
	var payload *strings.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		if s, ok := body.(string); ok {
			b = []byte(s)
		}
		payload = strings.NewReader(string(b))
	} else {
		payload = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, c.ta.srv.URL+"/api/v1"+path, payload)
	req.Header.Set("Authorization", "Bearer "+c.secret)
	req.Header.Set("Content-Type", "application/json")
	resp, text := do(c.t, req)
	schema, err := c.doc.responseSchema(docPath, method, resp.StatusCode)
	if err != nil {
		c.t.Errorf("%s %s answered %d: %v\n%s", method, path, resp.StatusCode, err, text)
		return resp.StatusCode
	}
	for _, v := range c.doc.validate(schema, []byte(text)) {
		c.t.Errorf("%s %s (%d) does not match the OpenAPI schema: %s", method, path, resp.StatusCode, v)
	}
	if out != nil {
		json.Unmarshal([]byte(text), out)
	}
	return resp.StatusCode
}

type apiError struct {
	Error struct{ Code, Message, Field string }
}

type apiExpert struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
	LastName  string `json:"last_name"`
	Status    string `json:"status"`
	DailyRate *int   `json:"daily_rate"`
}

func newExpertJSON(ref, last string) map[string]any {
	return map[string]any{"reference": ref, "first_name": "Claire", "last_name": last, "email": strings.ToLower(ref) + "@exemple.fr",
		"employment": "independant", "commune": "69123", "zones": []string{"dep:69"},
		"skills":       []map[string]any{{"code": "filieres.industrie", "level": 3}},
		"availability": []map[string]any{{"start": "2026-12-01", "end": "2027-03-31", "days_per_week": 3}},
		"daily_rate":   650, "experience_years": 15, "languages": []string{"fr"}, "bio": "Industrie."}
}

func TestExpertsAPIMatchesItsOpenAPIAndRowRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		staff := ta.apiClient(t, "coordinator", account.ScopeWrite)
		var created apiExpert
		if st := staff.call("POST", "/experts", "/experts", newExpertJSON("EXP-API", "Fontaine"), &created); st != 201 || created.Status != "candidate" {
			t.Fatalf("create: %d %+v", st, created)
		}
		bad := newExpertJSON("EXP-BAD", "Bad")
		bad["skills"] = []map[string]any{{"code": "filieres.inconnue", "level": 3}}
		var e apiError
		if st := staff.call("POST", "/experts", "/experts", bad, &e); st != 422 || e.Error.Field != "skills[0].code" || e.Error.Code != "invalid" {
			t.Errorf("unknown skill: %d %+v", st, e)
		}
		if st := staff.call("POST", "/experts", "/experts", `{"last_name": 12}`, &e); st != 422 || e.Error.Field != "last_name" {
			t.Errorf("wrong type: %d %+v", st, e)
		}
		if st := staff.call("POST", "/experts", "/experts", `{"nom": "x"}`, &e); st != 422 || e.Error.Field != "nom" {
			t.Errorf("unknown field: %d %+v", st, e)
		}
		own, other := linkedExpert(t, ta, db)
		var list struct {
			Experts           []apiExpert
			Total, Page, Size int
		}
		if st := staff.call("GET", "/experts?skill=filieres.industrie&min_level=3&page_size=1", "/experts", nil, &list); st != 200 || list.Total != 1 || len(list.Experts) != 1 {
			t.Errorf("filtered list: %d %+v", st, list)
		}
		if st := staff.call("GET", "/experts?page=2&page_size=2&sort=name", "/experts", nil, &list); st != 200 || list.Total != 3 || len(list.Experts) != 1 {
			t.Errorf("second page: %d %+v", st, list)
		}
		if st := staff.call("GET", "/experts?min_level=9&skill=filieres.industrie", "/experts", nil, &e); st != 422 || e.Error.Field != "min_level" {
			t.Errorf("bad filter: %d %+v", st, e)
		}
		put := newExpertJSON("EXP-API", "Fontaine-Lebrun")
		put["daily_rate"] = nil
		var updated apiExpert
		if st := staff.call("PUT", fmt.Sprintf("/experts/%d", created.ID), "/experts/{id}", put, &updated); st != 200 || updated.LastName != "Fontaine-Lebrun" || updated.DailyRate != nil {
			t.Errorf("put: %d %+v", st, updated)
		}
		if st := staff.call("POST", fmt.Sprintf("/experts/%d/status", created.ID), "/experts/{id}/status", map[string]string{"status": "suspended", "comment": "absent"}, &e); st != 422 || e.Error.Field != "status" {
			t.Errorf("candidate → suspended: %d %+v", st, e)
		}
		if st := staff.call("POST", fmt.Sprintf("/experts/%d/status", created.ID), "/experts/{id}/status", map[string]string{"status": "qualified", "comment": "ok"}, &updated); st != 200 || updated.Status != "qualified" {
			t.Errorf("qualify: %d %+v", st, updated)
		}

		// An expert: their own profile only; every other id is 404.
		ex := ta.apiClient(t, "expert", account.ScopeWrite)
		var got apiExpert
		if st := ex.call("GET", fmt.Sprintf("/experts/%d", own.ID), "/experts/{id}", nil, &got); st != 200 || got.ID != own.ID {
			t.Errorf("own: %d", st)
		}
		if st := ex.call("GET", "/me/expert", "/me/expert", nil, &got); st != 200 || got.ID != own.ID {
			t.Errorf("me/expert: %d", st)
		}
		if st := ex.call("GET", fmt.Sprintf("/experts/%d", other.ID), "/experts/{id}", nil, &e); st != 404 || e.Error.Code != "not_found" {
			t.Errorf("another expert: %d, want 404", st)
		}
		if st := ex.call("PUT", fmt.Sprintf("/experts/%d", other.ID), "/experts/{id}", newExpertJSON("X", "Pirate"), &e); st != 404 {
			t.Errorf("replacing another expert: %d, want 404", st)
		}
		mine := newExpertJSON("CHANGED-REF", "Garcia")
		mine["email"] = "exp-own@exemple.fr"
		if st := ex.call("PUT", fmt.Sprintf("/experts/%d", own.ID), "/experts/{id}", mine, &got); st != 200 || got.Reference != "EXP-OWN" {
			t.Errorf("own put: %d, reference %q", st, got.Reference)
		}
		if st := ex.call("GET", "/experts", "/experts", nil, &e); st != 403 {
			t.Errorf("an expert lists the pool: %d", st)
		}
		// A read token may not write.
		ro := ta.apiClient(t, "coordinator", account.ScopeRead)
		if st := ro.call("POST", "/experts", "/experts", newExpertJSON("EXP-RO", "Lecture"), &e); st != 403 {
			t.Errorf("a read token creates: %d", st)
		}
	})
}

type apiNeed struct {
	ID          int64  `json:"id"`
	RequesterID int64  `json:"requester_id"`
	Status      string `json:"status"`
}

func needJSON(commune string) map[string]any {
	return map[string]any{"title": "Diagnostic de la filière bois", "description": "Scieries en difficulté.", "commune": commune,
		"kind": "mission", "skills": []map[string]any{{"code": "filieres.diagnostic", "min_level": 3, "required": true}},
		"start": "2027-01-04", "end": "2027-04-30", "days_per_week": 2, "max_daily_rate": 700, "format": "hybrid", "languages": []string{"fr"}}
}

func TestNeedsAPIMatchesItsOpenAPIAndRequestersSeeTheirOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		staff := ta.apiClient(t, "coordinator", account.ScopeWrite)
		req := ta.apiClient(t, "requester", account.ScopeWrite)
		u, _ := account.ByEmail(context.Background(), db, ta.emails["requester"])
		var mine, theirs apiNeed
		if st := req.call("POST", "/needs", "/needs", needJSON("01004"), &mine); st != 201 || mine.RequesterID != u.OrganisationID {
			t.Fatalf("requester create: %d, requester %d want %d", st, mine.RequesterID, u.OrganisationID)
		}
		if st := staff.call("POST", "/needs", "/needs", needJSON("01004"), &theirs); st != 201 || theirs.RequesterID == u.OrganisationID {
			t.Fatalf("staff create: %d %+v", st, theirs)
		}
		var e apiError
		bad := needJSON("01004")
		bad["skills"] = []map[string]any{{"code": "filieres.diagnostic", "min_level": 7, "required": true}}
		if st := staff.call("POST", "/needs", "/needs", bad, &e); st != 422 || e.Error.Field != "skills[0].min_level" {
			t.Errorf("level 7: %d %+v", st, e)
		}
		var list struct {
			Needs []apiNeed
			Total int
		}
		if st := req.call("GET", "/needs", "/needs", nil, &list); st != 200 || list.Total != 1 || list.Needs[0].ID != mine.ID {
			t.Errorf("requester list: %d %+v", st, list)
		}
		if st := staff.call("GET", "/needs?status=submitted&departement=01", "/needs", nil, &list); st != 200 || list.Total != 2 {
			t.Errorf("staff list: %d %+v", st, list)
		}
		if st := req.call("GET", fmt.Sprintf("/needs/%d", theirs.ID), "/needs/{id}", nil, &e); st != 404 {
			t.Errorf("another organisation's need: %d, want 404", st)
		}
		var got apiNeed
		if st := req.call("GET", fmt.Sprintf("/needs/%d", mine.ID), "/needs/{id}", nil, &got); st != 200 || got.ID != mine.ID {
			t.Errorf("own need: %d", st)
		}
		if st := staff.call("PATCH", fmt.Sprintf("/needs/%d", mine.ID), "/needs/{id}", map[string]string{"status": "assigned"}, &e); st != 422 || e.Error.Field != "status" {
			t.Errorf("skipping a step: %d %+v", st, e)
		}
		if st := staff.call("PATCH", fmt.Sprintf("/needs/%d", mine.ID), "/needs/{id}", map[string]string{"status": "qualified", "comment": "clair"}, &got); st != 200 || got.Status != "qualified" {
			t.Errorf("qualify: %d %+v", st, got)
		}
	})
}
