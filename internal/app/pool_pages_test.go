package app_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/need"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func intp(n int) *int { return &n }

// poolProfile is a plausible expert profile.
func poolProfile(ref, first, last, skillCode string, level int, commune string) expert.Profile {
	return expert.Profile{Reference: ref, FirstName: first, LastName: last, Email: strings.ToLower(ref) + "@exemple.fr",
		Employment: expert.Mobilite, Commune: commune, Zones: []string{"dep:" + commune[:2]},
		Skills:       []expert.SkillLevel{{Code: skillCode, Level: skill.Level(level)}},
		Availability: []expert.Period{{Start: date.MustParse("2026-12-01"), End: date.MustParse("2027-03-31"), DaysPerWeek: 3}},
		DailyRate:    intp(600), ExperienceYears: intp(10), Languages: []string{"fr"},
		Bio: "Spécialiste de la réindustrialisation des territoires ruraux."}
}

// get sends a GET with the session of key ("" for anonymous).
func (ta *testApp) get(t *testing.T, key, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", ta.srv.URL+path, nil)
	if key != "" {
		token, _ := ta.session(t, key)
		req.AddCookie(&http.Cookie{Name: "vivier_session", Value: token})
	}
	return do(t, req)
}

// post sends a form with the session of key and its CSRF token.
func (ta *testApp) post(t *testing.T, key, path string, values url.Values) (*http.Response, string) {
	t.Helper()
	token, csrf := ta.session(t, key)
	values.Set("csrf", csrf)
	return do(t, form(t, ta.srv.URL, path, values, &http.Cookie{Name: "vivier_session", Value: token}))
}

// postPublic sends a form without an account, with a double-submit CSRF
// cookie as the public pages set it.
func (ta *testApp) postPublic(t *testing.T, path string, values url.Values) (*http.Response, string) {
	t.Helper()
	anon := anonCSRF(t, ta.srv.URL)
	values.Set("csrf", anon)
	return do(t, form(t, ta.srv.URL, path, values, &http.Cookie{Name: "vivier_csrf", Value: anon}))
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func validNeedForm() url.Values {
	return url.Values{"title": {"Relancer la zone d’activités"}, "description": {"Trois lots vides depuis 2024."},
		"commune": {"Ambérieu-en-Bugey (01500) – 01004"}, "skills": {"entreprises.foncier", "attractivite.prospection"}, "kind": {"mission"},
		"start": {"2027-01-04"}, "end": {"2027-03-26"}, "days_per_week": {"2"}, "format": {"onsite"},
		"contact_name": {"Martine Lefèvre"}, "contact_role": {"Maire"}, "contact_email": {"mairie@exemple.fr"}, "consent": {"oui"}}
}

func TestPublicNeedFormShowsErrorsAndWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		if resp, body := ta.get(t, "", "/besoins/nouveau"); resp.StatusCode != 200 || !strings.Contains(body, ConsentText) {
			t.Fatalf("form: %d", resp.StatusCode)
		}
		bad := validNeedForm()
		bad.Set("end", "2026-12-01") // before the start
		bad.Set("commune", "Zzzyxville")
		bad.Del("skills")
		bad.Del("consent")
		resp, body := ta.postPublic(t, "/besoins/nouveau", bad)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		for _, want := range []string{"précède le début", "aucune commune ne correspond à « Zzzyxville »", "choisissez au moins une compétence",
			"cochez la case", `value="Martine Lefèvre"`, `value="Zzzyxville"`} {
			if !strings.Contains(body, fr.TypesetString(want)) {
				t.Errorf("the refused form does not show %q", want)
			}
		}
		if n := count(t, db, `SELECT COUNT(*) FROM needs`); n != 0 {
			t.Errorf("%d needs written by a refused form", n)
		}
		// An ambiguous name offers the choices; without JS the person picks one.
		amb := validNeedForm()
		amb.Set("commune", "Saint-Martin")
		resp, body = ta.postPublic(t, "/besoins/nouveau", amb)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `name="commune_code"`) {
			t.Fatalf("ambiguous commune: %d, choices shown: %v", resp.StatusCode, strings.Contains(body, "commune_code"))
		}
	})
}

// ConsentText is the start of the consent sentence the form shows.
const ConsentText = "J’accepte que la fédération enregistre mes coordonnées"

func TestPublicNeedIsConfirmedMailedAndShownEscaped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		v := validNeedForm()
		v.Set("commune", "Ambérieu-en-Bugey (01500) – 01004") // as the picker fills it
		v.Set("description", `<script>alert("x")</script><b>gras</b>`)
		resp, body := ta.postPublic(t, "/besoins/nouveau", v)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/besoins/envoye" {
			t.Fatalf("submit: %d\n%s", resp.StatusCode, body)
		}
		if _, body := ta.get(t, "", "/besoins/envoye"); !strings.Contains(body, "Confirmez votre adresse électronique") {
			t.Fatalf("after submitting: %s", between(body, "<main", "</main>"))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM needs`); n != 0 {
			t.Errorf("%d needs in the queue before the address is confirmed", n)
		}
		if resp, body := ta.confirmSubmission(t, "mairie@exemple.fr"); resp.StatusCode != 200 || !strings.Contains(body, "Merci, votre besoin est enregistré") {
			t.Fatalf("confirm: %d\n%s", resp.StatusCode, excerptOf([]byte(body)))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox WHERE to_address LIKE '%mairie@exemple.fr%'`); n != 2 {
			t.Errorf("%d emails in the outbox, want the link and the confirmation", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'need.submit' AND details LIKE '%J’accepte%'`); n != 1 {
			t.Errorf("the consent wording is not recorded with the need (%d)", n)
		}
		var id int64
		db.QueryRowContext(context.Background(), `SELECT id FROM needs`).Scan(&id)
		resp, body = ta.get(t, "coordinator", fmt.Sprintf("/besoins/%d", id))
		if resp.StatusCode != 200 {
			t.Fatalf("need page: %d", resp.StatusCode)
		}
		if strings.Contains(body, `<script>alert`) || !strings.Contains(body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
			t.Error("the description is not shown escaped")
		}
		// Qualify it with a comment; the history shows the move.
		resp, _ = ta.post(t, "coordinator", fmt.Sprintf("/besoins/%d/statut", id), url.Values{"status": {"qualified"}, "comment": {"Besoin clair, budget voté"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("qualify: %d", resp.StatusCode)
		}
		_, body = ta.get(t, "coordinator", fmt.Sprintf("/besoins/%d", id))
		if !strings.Contains(body, `id="need-status">qualifié`) || !strings.Contains(body, "Besoin clair, budget voté") {
			t.Error("the need page does not show its new status and the comment")
		}
		// A skipped step is refused beside the field.
		resp, body = ta.post(t, "coordinator", fmt.Sprintf("/besoins/%d/statut", id), url.Values{"status": {"assigned"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "proposez d’abord des experts") {
			t.Errorf("skipping a step: %d", resp.StatusCode)
		}
		// An intercommunality can ask: the requester is the EPCI of the commune.
		epci := validNeedForm()
		epci.Set("requester", "epci")
		epci.Set("title", "Mutualiser un chargé de mission commerce")
		ta.postPublic(t, "/besoins/nouveau", epci)
		if resp, body := ta.confirmSubmission(t, "mairie@exemple.fr"); resp.StatusCode != 200 || !strings.Contains(body, "CC de la Plaine de l") {
			t.Errorf("a need in the name of the EPCI: %d %s", resp.StatusCode, between(body, "<dl", "</dl>"))
		}
		// The list filters by status and text.
		_, body = ta.get(t, "coordinator", "/besoins?statut=qualified&q=activité")
		if !strings.Contains(body, "Relancer la zone") {
			t.Errorf("the needs list does not find the need by status and text: %s", between(body, "<table", "</table>"))
		}
		_, body = ta.get(t, "coordinator", "/besoins?statut=submitted")
		if strings.Contains(body, "Relancer la zone") {
			t.Error("the status filter lets a qualified need through")
		}
	})
}

func TestExpertListFiltersAndQualification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		sys := access.System
		a, err := ta.Experts.Create(ctx, poolProfile("EXP-A", "Élodie", "Martin", "filieres.industrie", 4, "69123"), sys)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ta.Experts.Create(ctx, poolProfile("EXP-B", "Paul", "Durand", "filieres.tourisme", 2, "33063"), sys); err != nil {
			t.Fatal(err)
		}
		for query, want := range map[string][]string{
			"/experts?skill=filieres.industrie&niveau=3":   {"Martin"},
			"/experts?skill=filieres.tourisme&niveau=3":    {},
			"/experts?zone=dep:33":                         {"Durand"},
			"/experts?departement=69":                      {"Martin"},
			"/experts?q=industriel":                        {"Martin"},
			"/experts?du=2027-01-01&au=2027-02-01&jours=3": {"Martin", "Durand"},
			"/experts?du=2027-01-01&au=2027-06-01&jours=3": {},
			"/experts?statut=candidate&tri=rate":           {"Martin", "Durand"},
		} {
			resp, body := ta.get(t, "coordinator", query)
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d", query, resp.StatusCode)
				continue
			}
			for _, name := range []string{"Martin", "Durand"} {
				if has := strings.Contains(body, " "+name+"</a>"); has != contains(want, name) {
					t.Errorf("%s: %s listed = %v", query, name, has)
				}
			}
		}
		// Names are written as text in the list's rows, never as markup.
		if _, err := ta.Experts.Create(ctx, poolProfile("EXP-C", "Zoé & Cie", `<img src=x onerror="alert(1)">`, "filieres.tourisme", 2, "33063"), sys); err != nil {
			t.Fatal(err)
		}
		if _, body := ta.get(t, "coordinator", "/experts?departement=33"); strings.Contains(body, "<img src=x") ||
			!strings.Contains(body, `Zoé &amp; Cie &lt;img src=x onerror=&#34;alert(1)&#34;&gt;</a>`) {
			t.Error("the list does not escape an expert's name")
		}
		if resp, body := ta.get(t, "coordinator", "/experts?du=2027-02-01&au=2027-01-01"); resp.StatusCode != 422 || !strings.Contains(body, "la fin précède le début") {
			t.Errorf("a reversed window: %d", resp.StatusCode)
		}
		// Qualification: only the allowed moves are offered; suspension needs a comment.
		path := fmt.Sprintf("/experts/%d", a.ID)
		_, body := ta.get(t, "coordinator", path)
		if !strings.Contains(body, `value="qualified"`) || strings.Contains(body, `value="suspended"`) {
			t.Error("a candidate's page should offer qualification and not suspension")
		}
		if !strings.Contains(body, "Industrie et réindustrialisation — niveau 4 (expert)") {
			t.Error("the skills are not shown with their level labels")
		}
		resp, _ := ta.post(t, "coordinator", path+"/statut", url.Values{"status": {"qualified"}, "comment": {"Entretien du 12 novembre concluant"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("qualify: %d", resp.StatusCode)
		}
		resp, body = ta.post(t, "coordinator", path+"/statut", url.Values{"status": {"suspended"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "dites pourquoi") {
			t.Errorf("suspension without a comment: %d", resp.StatusCode)
		}
		_, body = ta.get(t, "coordinator", path)
		if !strings.Contains(body, `id="expert-status">qualifié`) || !strings.Contains(body, "Entretien du 12 novembre concluant") {
			t.Error("the expert page does not show the qualification and its comment")
		}
		// Editing by a coordinator, with an error kept beside the field.
		resp, body = ta.post(t, "coordinator", path+"/modifier", url.Values{"last_name": {"Martin"}, "email": {"pas-une-adresse"}, "commune": {"69123"}, "level.filieres.industrie": {"4"}, "zones": {"dep:69"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "n’est pas une adresse électronique valide") || !strings.Contains(body, `value="pas-une-adresse"`) {
			t.Errorf("bad email on edit: %d", resp.StatusCode)
		}
		resp, _ = ta.post(t, "coordinator", path+"/modifier", url.Values{"first_name": {"Élodie"}, "last_name": {"Martin-Roux"}, "email": {"exp-a@exemple.fr"}, "commune": {"69123"}, "level.filieres.industrie": {"3"}, "zones": {"dep:69", "reg:84"}, "daily_rate": {"700"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		got, _ := ta.Experts.Get(ctx, a.ID, access.System)
		if got.LastName != "Martin-Roux" || len(got.Skills) != 1 || got.Skills[0].Level != 3 || *got.DailyRate != 700 {
			t.Errorf("after the edit: %+v", got.Profile)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// linkedExpert creates an expert profile for the "expert" account of ta.
func linkedExpert(t *testing.T, ta *testApp, db *store.DB) (own, other expert.Expert) {
	t.Helper()
	ctx := context.Background()
	sys := access.System
	own, err := ta.Experts.Create(ctx, poolProfile("EXP-OWN", "Inès", "Garcia", "filieres.numerique", 3, "31555"), sys)
	if err != nil {
		t.Fatal(err)
	}
	other, err = ta.Experts.Create(ctx, poolProfile("EXP-OTHER", "Hugo", "Petit", "filieres.numerique", 3, "35238"), sys)
	if err != nil {
		t.Fatal(err)
	}
	u, err := account.ByEmail(ctx, db, ta.emails["expert"])
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Experts.LinkUser(ctx, own.ID, u.ID, sys); err != nil {
		t.Fatal(err)
	}
	return own, other
}

func TestExpertSeesOnlyTheirOwnProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		own, other := linkedExpert(t, ta, db)
		if resp, body := ta.get(t, "expert", fmt.Sprintf("/experts/%d", own.ID)); resp.StatusCode != 200 || !strings.Contains(body, "Garcia") {
			t.Errorf("own profile: %d", resp.StatusCode)
		}
		if resp, body := ta.get(t, "expert", fmt.Sprintf("/experts/%d", other.ID)); resp.StatusCode != 404 || strings.Contains(body, "Petit") {
			t.Errorf("another expert's profile: %d, want 404", resp.StatusCode)
		}
		if resp, _ := ta.get(t, "expert", fmt.Sprintf("/experts/%d/cv", other.ID)); resp.StatusCode != 404 {
			t.Errorf("another expert's CV: %d, want 404", resp.StatusCode)
		}
		// The editor: identity, a period, skills, zones, each saved.
		if resp, body := ta.get(t, "expert", "/mon-profil"); resp.StatusCode != 200 || !strings.Contains(body, `value="Garcia"`) || !strings.Contains(body, `id="periods"`) {
			t.Fatalf("editor: %d", resp.StatusCode)
		}
		resp, body := ta.post(t, "expert", "/mon-profil/disponibilites", url.Values{"period_start": {"2027-03-01"}, "period_end": {"2027-05-31"}, "period_days": {"2"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "chevauche") {
			t.Errorf("an overlapping period: %d", resp.StatusCode)
		}
		resp, _ = ta.post(t, "expert", "/mon-profil/disponibilites", url.Values{"period_start": {"2027-04-01"}, "period_end": {"2027-05-31"}, "period_days": {"2"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("adding a period: %d", resp.StatusCode)
		}
		ta.post(t, "expert", "/mon-profil/competences", url.Values{"level.filieres.numerique": {"4"}, "level.strategie.fonds_europeens": {"2"}})
		ta.post(t, "expert", "/mon-profil/zones", url.Values{"zones": {"dep:31", "reg:76"}})
		resp, _ = ta.post(t, "expert", "/mon-profil", url.Values{"first_name": {"Inès"}, "last_name": {"Garcia"}, "email": {"exp-own@exemple.fr"}, "commune": {"31555"}, "bio": {"<i>Numérique</i>"}, "daily_rate": {"550"}, "languages": {"fr, es"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("saving the identity: %d", resp.StatusCode)
		}
		got, _ := ta.Experts.Get(context.Background(), own.ID, access.System)
		if len(got.Availability) != 2 || len(got.Skills) != 2 || len(got.Zones) != 2 || *got.DailyRate != 550 || len(got.Languages) != 2 {
			t.Errorf("after editing: %+v", got.Profile)
		}
		// A CV that is not a PDF is refused beside the field.
		resp, body = upload(t, ta, "expert", "/mon-profil/cv", "cv", "cv.pdf", []byte("pas un pdf"))
		if resp.StatusCode != 422 {
			t.Errorf("a non-PDF CV: %d", resp.StatusCode)
		}
		resp, _ = upload(t, ta, "expert", "/mon-profil/cv", "cv", "cv.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("a PDF CV: %d", resp.StatusCode)
		}
		if resp, body := ta.get(t, "expert", fmt.Sprintf("/experts/%d/cv", own.ID)); resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
			t.Errorf("own CV: %d", resp.StatusCode)
		}
	})
}

// upload posts one file as multipart with the session of key.
func upload(t *testing.T, ta *testApp, key, path, field, name string, content []byte) (*http.Response, string) {
	t.Helper()
	token, csrf := ta.session(t, key)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", ta.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "vivier_session", Value: token})
	return do(t, req)
}

func TestImportPreviewConfirmAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		bad, err := os.ReadFile("../expert/testdata/experts_errors.csv")
		if err != nil {
			t.Fatal(err)
		}
		resp, body := upload(t, ta, "coordinator", "/import/experts", "file", "experts_errors.csv", bad)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="import-errors"`) || strings.Contains(body, "confirm-import") {
			t.Fatalf("a bad file: %d", resp.StatusCode)
		}
		if !strings.Contains(body, "<td>competences</td>") {
			t.Error("the errors do not name their column")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM experts`) + count(t, db, `SELECT COUNT(*) FROM pending_uploads`); n != 0 {
			t.Errorf("a refused file left %d rows", n)
		}
		good, _ := os.ReadFile("../expert/testdata/experts_cp1252_semicolon.csv")
		resp, body = upload(t, ta, "coordinator", "/import/experts", "file", "experts.csv", good)
		if resp.StatusCode != 200 || !strings.Contains(body, "confirm-import") {
			t.Fatalf("a good file: %d\n%s", resp.StatusCode, body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM experts`); n != 0 {
			t.Errorf("the preview wrote %d experts", n)
		}
		action := between(body, `action="/import/experts/`, `"`)
		// Another coordinator cannot confirm someone else's upload.
		if resp, _ := ta.post(t, "admin", "/import/experts/"+action, url.Values{}); resp.StatusCode != 404 {
			t.Errorf("another user's confirmation: %d", resp.StatusCode)
		}
		resp, body = ta.post(t, "coordinator", "/import/experts/"+action, url.Values{})
		if resp.StatusCode != 200 || !strings.Contains(body, "Import terminé") {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}
		imported := count(t, db, `SELECT COUNT(*) FROM experts`)
		if imported == 0 || count(t, db, `SELECT COUNT(*) FROM pending_uploads`) != 0 {
			t.Errorf("after the confirmation: %d experts", imported)
		}
		if resp, _ := ta.post(t, "coordinator", "/import/experts/"+action, url.Values{}); resp.StatusCode != 404 {
			t.Errorf("confirming twice: %d", resp.StatusCode)
		}
		resp, body = ta.get(t, "coordinator", "/export/experts?format=csv")
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "reference,") || strings.Count(body, "\n") != imported+1 {
			t.Errorf("export: %d, %d lines", resp.StatusCode, strings.Count(body, "\n"))
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
			t.Errorf("export disposition %q", cd)
		}
		// Needs: a bad JSON file names the need and field; a good one imports after confirmation.
		badNeeds, _ := os.ReadFile("../need/testdata/needs_errors.json")
		resp, body = upload(t, ta, "coordinator", "/import/besoins", "file", "needs.json", badNeeds)
		if resp.StatusCode != 422 || !strings.Contains(body, "needs[") || count(t, db, `SELECT COUNT(*) FROM needs`) != 0 {
			t.Errorf("bad needs file: %d", resp.StatusCode)
		}
		goodNeeds, _ := os.ReadFile("../need/testdata/needs.json")
		resp, body = upload(t, ta, "coordinator", "/import/besoins", "file", "needs.json", goodNeeds)
		if resp.StatusCode != 200 {
			t.Fatalf("good needs file: %d\n%s", resp.StatusCode, body)
		}
		resp, _ = ta.post(t, "coordinator", "/import/besoins/"+between(body, `action="/import/besoins/`, `"`), url.Values{})
		if resp.StatusCode != 200 || count(t, db, `SELECT COUNT(*) FROM needs`) == 0 {
			t.Errorf("needs confirmation: %d", resp.StatusCode)
		}
		// A file over 20 MB is refused with 413.
		resp, body = upload(t, ta, "coordinator", "/import/experts", "file", "big.csv", bytes.Repeat([]byte("a"), 21<<20))
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "dépasse") {
			t.Errorf("a 21 MB file: %d", resp.StatusCode)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM pending_uploads`); n != 0 {
			t.Errorf("a refused upload is pending (%d)", n)
		}
	})
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

var _ = need.Submitted
