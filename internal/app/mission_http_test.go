package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// client is a signed-in browser session for HTTP tests.
type client struct {
	t           *testing.T
	base        string
	token, csrf string
}

func (ta *testApp) as(t *testing.T, email string) client {
	t.Helper()
	ctx := context.Background()
	login, err := ta.Accounts.LoginWithPassword(ctx, email, testPassword, account.Client{IP: "127.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	sess, _, err := ta.Accounts.LoadSession(ctx, login.Token)
	if err != nil {
		t.Fatal(err)
	}
	return client{t: t, base: ta.srv.URL, token: login.Token, csrf: sess.CSRF}
}

func (c client) send(req *http.Request) (int, string) {
	c.t.Helper()
	req.AddCookie(&http.Cookie{Name: "vivier_session", Value: c.token})
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, body := do(c.t, req)
	return resp.StatusCode, body
}

func (c client) get(path string) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.send(req)
}

func (c client) post(path string, v url.Values) (int, string) {
	c.t.Helper()
	return c.send(form(c.t, c.base, path, v))
}

func (c client) upload(path, name string, content []byte) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// TestMissionRulesOverHTTP checks the row rules and the refusals of bad
// input of proposals and missions, on both engines.
func TestMissionRulesOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		j := newJourney(t, ta, db)
		if err := need.New(need.Options{DB: db, Geo: geo.Default()}).Qualify(ctx, j.needID, "", access.System); err != nil {
			t.Fatal(err)
		}
		other, err := organisation.EnsureCommune(ctx, db, geo.Default(), "01002")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: "autre@vivier.test", Name: "Autre maire", Role: access.Requester, OrganisationID: other.ID}, testPassword, true); err != nil {
			t.Fatal(err)
		}
		coord, alpha, bravo := ta.as(t, ta.emails["coordinator"]), ta.as(t, "alpha@vivier.test"), ta.as(t, "bravo@vivier.test")
		mayor, stranger := ta.as(t, "maire@vivier.test"), ta.as(t, "autre@vivier.test")
		needPath := "/besoins/" + itoa(j.needID)

		// The shortlist's contract: repeated expert ids; a double submit
		// proposes nobody twice; unknown references are named.
		ids := url.Values{"expert": {itoa(j.experts["alpha@vivier.test"]), itoa(j.experts["bravo@vivier.test"])}, "message": {"Bonjour"}}
		for range 2 {
			if code, _ := coord.post(needPath+"/propositions", ids); code != http.StatusSeeOther {
				t.Fatalf("propose: %d", code)
			}
		}
		ps, err := ta.Missions.NeedProposals(ctx, j.needID, access.System)
		if err != nil || len(ps) != 2 {
			t.Fatalf("%d proposals after a double submit (%v)", len(ps), err)
		}
		if code, body := coord.post(needPath+"/propositions", url.Values{"references": {"EXP-INCONNU"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "aucun expert n’a la référence") {
			t.Errorf("an unknown reference: %d", code)
		}
		alphaP, bravoP := "/propositions/"+itoa(ps[0].ID), "/propositions/"+itoa(ps[1].ID)

		// Row rules: an expert sees and answers only their own proposal; a
		// requester only their organisation's need.
		if code, _ := bravo.get(alphaP); code != http.StatusNotFound {
			t.Errorf("an expert opened another's proposal: %d", code)
		}
		if code, _ := bravo.post(alphaP+"/reponse", url.Values{"decision": {"decline"}, "reason": {"non"}}); code != http.StatusNotFound {
			t.Errorf("an expert answered another's proposal: %d", code)
		}
		if code, _ := stranger.get(needPath + "/propositions"); code != http.StatusNotFound {
			t.Errorf("another organisation saw the proposals: %d", code)
		}
		if code, body := bravo.post(bravoP+"/reponse", url.Values{"decision": {"decline"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "dites pourquoi") {
			t.Errorf("declining without a reason: %d", code)
		}
		if code, _ := bravo.post(bravoP+"/reponse", url.Values{"decision": {"decline"}, "reason": {"=HYPERLINK(\"x\")"}}); code != http.StatusSeeOther {
			t.Errorf("declining: %d", code)
		}
		for range 2 {
			if code, _ := alpha.post(alphaP+"/reponse", url.Values{"decision": {"accept"}}); code != http.StatusSeeOther {
				t.Fatalf("accepting (double click): %d", code)
			}
		}
		if code, _ := stranger.post(alphaP+"/choix", nil); code != http.StatusNotFound {
			t.Errorf("another organisation chose: %d", code)
		}
		var missionID int64
		for range 2 {
			code, _ := mayor.post(alphaP+"/choix", nil)
			if code != http.StatusSeeOther {
				t.Fatalf("choosing: %d", code)
			}
		}
		// A restart here loses nothing: a new instance on the same database
		// serves the same sessions, proposals and mission.
		ta.srv.Close()
		restarted, err := app.New(context.Background(), config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), db, app.Options{Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(restarted.Handler())
		t.Cleanup(srv.Close)
		for _, c := range []*client{&coord, &alpha, &bravo, &mayor, &stranger} {
			c.base = srv.URL
		}
		ta.srv = srv
		list, _ := ta.Missions.List(ctx, mission.Filter{}, access.System)
		if len(list) != 1 {
			t.Fatalf("%d missions after a double choice", len(list))
		}
		missionID = list[0].ID
		mPath := "/missions/" + itoa(missionID)
		if code, body := mayor.get(mPath); code != http.StatusOK || !strings.Contains(body, "planifiée") {
			t.Errorf("after the restart the requester's mission: %d", code)
		}
		if code, _ := stranger.get(mPath); code != http.StatusNotFound {
			t.Errorf("another organisation saw the mission: %d", code)
		}
		if code, _ := bravo.get(mPath); code != http.StatusNotFound {
			t.Errorf("another expert saw the mission: %d", code)
		}

		// The coordinator adjusts the calendar of the planned mission; a
		// bad one is refused beside its fields and writes nothing.
		if code, body := coord.post(mPath+"/calendrier", url.Values{"start": {"2027-02-10"}, "end": {"2027-02-01"}, "planned_days": {"0"}}); code != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "la fin (1er février 2027) précède le début") || !strings.Contains(body, "entre 1 et 400") {
			t.Errorf("a bad calendar: %d", code)
		}
		before, _ := ta.Missions.Get(ctx, missionID, access.System)
		if code, _ := coord.post(mPath+"/calendrier", url.Values{"start": {before.Start.String()}, "end": {before.End.String()}, "planned_days": {"10"}}); code != http.StatusSeeOther {
			t.Errorf("a calendar: %d", code)
		}
		if after, _ := ta.Missions.Get(ctx, missionID, access.System); after.PlannedDays != 10 {
			t.Errorf("planned days %d after the change", after.PlannedDays)
		}
		// Steps: skipping is refused with a clear message; starting needs
		// the employer; days need a started mission, and not before it.
		if code, body := coord.post(mPath+"/statut", url.Values{"status": {"delivered"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, fr.TypesetString("passe d’abord à « en cours »")) {
			t.Errorf("skipping a step: %d", code)
		}
		if code, body := coord.post(mPath+"/statut", url.Values{"status": {"in_progress"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "accord de l’employeur") {
			t.Errorf("starting without the employer's agreement: %d", code)
		}
		if code, body := coord.post(mPath+"/employeur", url.Values{"employer_email": {"pas une adresse"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("a bad employer address: %d", code)
		}
		token, err := ta.Missions.RequestEmployer(ctx, missionID, "drh@agence.fr", access.System)
		if err != nil {
			t.Fatal(err)
		}
		anon := client{t: t, base: ta.srv.URL}
		_, page := anon.get("/accord-employeur/" + token)
		csrf := between(page, `name="csrf" value="`, `"`)
		req := form(t, ta.srv.URL, "/accord-employeur/"+token, url.Values{"decision": {"agree"}, "csrf": {csrf}})
		req.AddCookie(&http.Cookie{Name: "vivier_csrf", Value: csrf})
		if resp, _ := do(t, req); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("employer agrees: %d", resp.StatusCode)
		}
		req = form(t, ta.srv.URL, "/accord-employeur/"+token, url.Values{"decision": {"refuse"}, "note": {"non"}, "csrf": {csrf}})
		req.AddCookie(&http.Cookie{Name: "vivier_csrf", Value: csrf})
		if resp, _ := do(t, req); resp.StatusCode != http.StatusConflict {
			t.Errorf("a replayed employer link: %d", resp.StatusCode)
		}
		if m, _ := ta.Missions.Get(ctx, missionID, access.System); m.Employer != mission.Agreed {
			t.Errorf("employer %s after a replay", m.Employer)
		}
		if code, _ := alpha.post(mPath+"/statut", url.Values{"status": {"in_progress"}}); code != http.StatusSeeOther {
			t.Fatalf("the expert starts: %d", code)
		}
		m, _ := ta.Missions.Get(ctx, missionID, access.System)
		if code, body := alpha.post(mPath+"/jours", url.Values{"day": {m.Start.AddDays(-1).String()}, "days": {"1"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "on ne saisit pas de jour avant") {
			t.Errorf("a day before the start: %d", code)
		}
		if code, _ := bravo.post(mPath+"/jours", url.Values{"day": {m.Start.String()}, "days": {"1"}}); code != http.StatusNotFound {
			t.Errorf("another expert logged days: %d", code)
		}
		// Deliverables: type by content, size bounded.
		if code, body := alpha.upload(mPath+"/livrables", "rapport.pdf", []byte("MZ pas un PDF")); code != http.StatusUnprocessableEntity || !strings.Contains(body, "n’est pas un fichier PDF valide") {
			t.Errorf("a fake PDF: %d", code)
		}
		if code, _ := alpha.upload(mPath+"/livrables", "gros.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 22<<20)...)); code != http.StatusRequestEntityTooLarge {
			t.Errorf("a 22 MB file: %d", code)
		}
		// Reviews: once per requester organisation, by a served one.
		for _, to := range []string{"delivered", "closed"} {
			if code, _ := coord.post(mPath+"/statut", url.Values{"status": {to}}); code != http.StatusSeeOther {
				t.Fatalf("move to %s: %d", to, code)
			}
		}
		// The decline and its reason reach the coordinator's dashboard and
		// its CSV, a formula-like reason neutralised.
		if _, body := coord.get("/tableau-de-bord"); !strings.Contains(body, `id="declines"`) {
			t.Error("the decline is not on the coordinator's dashboard")
		}
		if code, body := coord.get("/tableau-de-bord/export?table=refus"); code != http.StatusOK || !strings.Contains(body, "Camille Bravo;\"'=HYPERLINK") {
			t.Errorf("declines CSV %d %q", code, body)
		}
		if code, _ := stranger.post(mPath+"/avis", url.Values{"rating": {"1"}}); code != http.StatusNotFound {
			t.Errorf("another organisation reviewed: %d", code)
		}
		if code, _ := mayor.post(mPath+"/avis", url.Values{"rating": {"5"}, "comment": {"Parfait"}}); code != http.StatusSeeOther {
			t.Fatalf("review: %d", code)
		}
		if code, body := mayor.post(mPath+"/avis", url.Values{"rating": {"1"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "déjà donné son avis") {
			t.Errorf("a second review: %d", code)
		}
		if rv, _ := ta.Missions.Reviews(ctx, missionID, access.System); len(rv) != 1 || rv[0].Rating != 5 {
			t.Errorf("reviews %+v", rv)
		}
	})
}

// TestDashboardExportAndReferenceRates checks the CSV export (BOM, ";",
// French headers) and that an administrator's reference rate changes the
// estimated saving.
func TestDashboardExportAndReferenceRates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		admin, coord := ta.as(t, ta.emails["admin"]), ta.as(t, ta.emails["coordinator"])
		code, body := coord.get("/tableau-de-bord/export?table=missions-statut")
		if code != http.StatusOK || !strings.HasPrefix(body, "\ufeffLibellé;Nombre de missions\r\nplanifiée;0\r\n") {
			t.Errorf("CSV export %d %q", code, body)
		}
		if code, body := coord.get("/tableau-de-bord?du=2026-13-01"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "date de début invalide") {
			t.Errorf("a bad period: %d", code)
		}
		if code, _ := coord.get("/tableau-de-bord/export?table=inconnue"); code != http.StatusNotFound {
			t.Errorf("an unknown table: %d", code)
		}
		if code, body := admin.post("/admin/tarifs-reference", url.Values{"rate_attractivite": {"50"}, "rate_filieres": {"1000"},
			"rate_entreprises": {"abc"}, "rate_management": {"1200"}, "rate_strategie": {"1100"}}); code != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "saisissez un nombre entier") {
			t.Errorf("bad rates: %d", code)
		}
		if rates, _ := ta.Missions.ReferenceRates(ctx, access.System); rates["filieres"] != mission.DefaultRates["filieres"] {
			t.Error("bad rates were half-written")
		}
		if code, _ := admin.post("/admin/tarifs-reference", url.Values{"rate_attractivite": {"1000"}, "rate_filieres": {"1000"},
			"rate_entreprises": {"1300"}, "rate_management": {"1200"}, "rate_strategie": {"1100"}}); code != http.StatusSeeOther {
			t.Fatalf("saving rates: %d", code)
		}
		// Each person chooses immediate emails or a daily digest.
		expert := ta.as(t, ta.emails["expert"])
		if code, _ := expert.post("/tableau-de-bord/courriels", url.Values{"mail": {"souvent"}}); code != http.StatusUnprocessableEntity {
			t.Errorf("an unknown mail preference: %d", code)
		}
		if code, _ := expert.post("/tableau-de-bord/courriels", url.Values{"mail": {"digest"}}); code != http.StatusSeeOther {
			t.Fatalf("mail preference: %d", code)
		}
		u, _ := account.ByEmail(ctx, db, ta.emails["expert"])
		if digest, err := ta.Accounts.MailDigest(ctx, u.Actor("", access.Session)); err != nil || !digest {
			t.Errorf("digest preference %v %v", digest, err)
		}
		if _, body := expert.get("/tableau-de-bord"); !strings.Contains(body, `value="digest" checked`) {
			t.Error("the dashboard does not show the digest chosen")
		}
		rates, _ := ta.Missions.ReferenceRates(ctx, access.System)
		if got := mission.Saving(mission.Mission{Domain: "entreprises", PlannedDays: 10, DailyRate: 600}, rates); got != 7000 {
			t.Errorf("saving %d with a 1 300 € reference over 10 days at 600 €, want 7 000", got)
		}
	})
}

// TestMissionAPI proposes experts and reads missions through /api/v1 with
// the same rules as the pages, with the browser sessions of Vivier's pages.
func TestMissionAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ta := newTestApp(t, db)
		j := newJourney(t, ta, db)
		other, err := organisation.EnsureCommune(ctx, db, geo.Default(), "01002")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: "autre@vivier.test", Name: "Autre maire", Role: access.Requester, OrganisationID: other.ID}, testPassword, true); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/needs/" + itoa(j.needID) + "/proposals"
		body := `{"expert_ids":[` + itoa(j.experts["alpha@vivier.test"]) + `],"message":"Bonjour"}`
		qualify := func(t *testing.T) {
			if err := need.New(need.Options{DB: db, Geo: geo.Default()}).Qualify(ctx, j.needID, "", access.System); err != nil {
				t.Fatal(err)
			}
		}
		runScenarios(t, ta, []scenario{
			{name: "proposing for a submitted need", method: "POST", path: path, as: "coordinator", body: body,
				status: 422, want: []string{errorField("expert_ids"), "qualifiez d’abord"}},
			{name: "an unknown field", setup: qualify, method: "POST", path: path, as: "coordinator", body: `{"experts":[1]}`, breaks: true,
				status: 422, want: []string{errorCode("invalid"), errorField("experts")}},
			{name: "a wrong-typed field", method: "POST", path: path, as: "coordinator", body: `{"expert_ids":"alpha"}`, breaks: true,
				status: 422, want: []string{errorCode("invalid"), errorField("expert_ids")}},
			{name: "malformed JSON", method: "POST", path: path, as: "coordinator", body: `{"expert_ids":[1,]}`, breaks: true,
				status: 400, want: []string{errorCode("malformed")}},
			{name: "data after the JSON object", method: "POST", path: path, as: "coordinator", body: body + "]", breaks: true,
				status: 400, want: []string{errorCode("malformed")}},
			{name: "a session without its CSRF token", method: "POST", path: path, as: "coordinator", body: body,
				header: map[string]string{"X-CSRF-Token": ""}, status: 403, want: []string{errorCode("forbidden")}},
			{name: "an expert proposes", method: "POST", path: path, as: "alpha@vivier.test", body: body,
				status: 403, want: []string{errorCode("forbidden")}},
			{name: "proposals for an unknown need", method: "POST", path: "/api/v1/needs/999999/proposals", as: "coordinator", body: body,
				status: 404, want: []string{errorCode("not_found")}},
			{name: "propose", method: "POST", path: path, as: "coordinator", body: body, status: 201, want: []string{`{"created":1}`}},
			{name: "propose again", method: "POST", path: path, as: "coordinator", body: body, status: 201, want: []string{`{"created":0}`}},
		})

		ps, _ := ta.Missions.NeedProposals(ctx, j.needID, access.System)
		if len(ps) != 1 {
			t.Fatalf("%d proposals, want 1", len(ps))
		}
		if err := ta.Missions.Answer(ctx, ps[0].ID, true, "", access.System); err != nil {
			t.Fatal(err)
		}
		id, err := ta.Missions.Choose(ctx, ps[0].ID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		mPath := "/api/v1/missions/" + itoa(id)
		runScenarios(t, ta, []scenario{
			{name: "the expert's missions", path: "/api/v1/missions", as: "alpha@vivier.test",
				status: 200, want: []string{`"employer_agreement":"awaited"`}, check: lists("missions", 1)},
			{name: "another expert's list", path: "/api/v1/missions", as: "bravo@vivier.test", status: 200, want: []string{`{"missions":[]}`}},
			{name: "another expert reads the mission", path: mPath, as: "bravo@vivier.test", status: 404, want: []string{errorCode("not_found")}},
			{name: "the requester reads the mission", path: mPath, as: "maire@vivier.test", status: 200, want: []string{`"status":"planned"`}},
			{name: "another organisation's list", path: "/api/v1/missions", as: "autre@vivier.test", status: 200, want: []string{`{"missions":[]}`}},
			{name: "another organisation reads the mission", path: mPath, as: "autre@vivier.test", status: 404, want: []string{errorCode("not_found")}},
			{name: "a member lists missions", path: "/api/v1/missions", as: "member", status: 403, want: []string{errorCode("forbidden")}},
			{name: "a member reads the mission", path: mPath, as: "member", status: 404, want: []string{errorCode("not_found")}},
			{name: "the coordinator reads the mission", path: mPath, as: "coordinator", status: 200, want: []string{`"planned_days":8`}},
			{name: "planned missions", path: "/api/v1/missions?status=planned", as: "coordinator", status: 200, check: lists("missions", 1)},
			{name: "closed missions", path: "/api/v1/missions?status=closed", as: "coordinator", status: 200, want: []string{`{"missions":[]}`}},
			{name: "a mission id that is not a number", path: "/api/v1/missions/abc", as: "coordinator", breaks: true, status: 404},
		})
	})
}
