package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// luhnSIREN completes 8 digits into a SIREN whose key holds.
func luhnSIREN(prefix string) string {
	for d := '0'; d <= '9'; d++ {
		if organisation.CheckSIREN(prefix+string(d)) == "" {
			return prefix + string(d)
		}
	}
	panic(prefix)
}

// networkSchedule is the schedule the HTTP tests set for a year.
func networkSchedule(year int) network.Schedule {
	fixed := func(n int64) *int64 { return &n }
	return network.Schedule{Year: year, Bands: []network.Band{
		{Basis: network.Budget, From: 0, To: 1_000_000, Fixed: fixed(1_500)},
		{Basis: network.Budget, From: 1_000_000, To: 3_000_000, Fixed: fixed(4_000)},
		{Basis: network.Budget, From: 3_000_000, Base: 2_000, RatePPM: 1_000, Cap: 10_000},
		{Basis: network.Population, From: 0, RatePPM: 50_000, Floor: 300},
	}}
}

// networkMember makes an agency member of this year, with a member
// account of email as its referent; paid says whether its membership is
// paid. It returns the member and its membership.
func networkMember(t *testing.T, ta *testApp, name, siren, email string, paid bool) (network.Member, network.Membership) {
	t.Helper()
	ctx := context.Background()
	m, err := ta.Network.Join(ctx, network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: name, SIREN: siren, Basis: 1_250_000,
		Email: "contact@" + siren + ".test", Phone: "04 72 00 00 00", Territory: []string{"dep:69"}, Themes: []string{"filieres"}, Listed: true}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	u, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: email, Name: "Référent " + name, Role: access.Member, OrganisationID: m.ID}, testPassword, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Network.SetReferent(ctx, m.ID, u.ID, true, access.System); err != nil {
		t.Fatal(err)
	}
	list, err := ta.Network.Memberships(ctx, network.MembershipFilter{OrgID: m.ID}, access.System)
	if err != nil || len(list) != 1 {
		t.Fatalf("membership of %s: %v %v", name, list, err)
	}
	ms := list[0]
	if paid {
		if err := ta.Network.Pay(ctx, ms.ID, network.Payment{PaidOn: date.Today(), Mode: network.Transfer}, access.System); err != nil {
			t.Fatal(err)
		}
	}
	return m, ms
}

// fieldError is the HTML of a form's error beside field.
func fieldError(field string) string { return `id="e-` + field + `"` }

func TestNetworkFormsShowErrorsBesideTheirFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		year := date.Today().Year
		admin, coord := ta.as(t, ta.emails["admin"]), ta.as(t, ta.emails["coordinator"])

		// The administrator's schedule: an overlap and a bad rate are shown
		// beside their cells; nothing is written.
		bad := url.Values{"year": {strconv.Itoa(year)},
			"b0_basis": {"budget"}, "b0_from": {"0"}, "b0_to": {"1 000 000"}, "b0_fixed": {"1500"},
			"b1_basis": {"budget"}, "b1_from": {"900000"}, "b1_to": {""}, "b1_base": {"2000"}, "b1_rate": {"0,1,2"},
			"b2_basis": {"budget"}, "b2_from": {""}}
		status, body := admin.post("/admin/cotisations", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, fieldError("b1_rate")) || !strings.Contains(body, `value="0,1,2"`) {
			t.Fatalf("a bad rate: %d\n%s", status, around(body, "b1_rate"))
		}
		bad["b1_rate"] = []string{"0,1"}
		status, body = admin.post("/admin/cotisations", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, fieldError("b1_from")) || !strings.Contains(body, "chevauche") {
			t.Fatalf("an overlap: %d\n%s", status, around(body, "b1_from"))
		}
		if n := count(t, db, `SELECT count(*) FROM fee_bands`); n != 0 {
			t.Fatalf("a refused schedule wrote %d bands", n)
		}
		good := url.Values{"year": {strconv.Itoa(year)},
			"b0_basis": {"budget"}, "b0_from": {"0"}, "b0_to": {"1 000 000"}, "b0_fixed": {"1500"},
			"b1_basis": {"budget"}, "b1_from": {""}, "b1_to": {""},
			"b2_basis": {"budget"}, "b2_from": {"1000000"}, "b2_to": {""}, "b2_base": {"2000"}, "b2_rate": {"0,1"}, "b2_cap": {"10000"},
			"b3_basis": {"population"}, "b3_from": {"0"}, "b3_rate": {"0,05"}, "b3_floor": {"300"}}
		if status, body = admin.post("/admin/cotisations", good); status != http.StatusSeeOther {
			t.Fatalf("a good schedule: %d\n%s", status, around(body, "erreurs"))
		}
		if coordStatus, _ := coord.post("/admin/cotisations", good); coordStatus != http.StatusForbidden {
			t.Errorf("a coordinator saved the schedule: %d", coordStatus)
		}
		_, body = admin.get(fmt.Sprintf("/admin/cotisations?annee=%d", year))
		if !strings.Contains(body, `value="0,1"`) || !strings.Contains(body, `value="0,05"`) {
			t.Errorf("the schedule's form does not show the rates back:\n%s", around(body, "bands-form"))
		}
		if status, body = admin.post("/admin/cotisations/reglages", url.Values{"grace_days": {"400"}, "term_days": {"trente"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("grace_days")) || !strings.Contains(body, fieldError("term_days")) {
			t.Errorf("bad settings: %d", status)
		}

		// Joining: every bad field beside itself, nothing written.
		before := count(t, db, `SELECT count(*) FROM organisations`)
		// A NUL byte is refused at the boundary, naming its field, before any form is read.
		if status, body = coord.post("/reseau/adherents", url.Values{"kind": {"agence"}, "name": {"Agence\x00 nulle"}}); status != http.StatusBadRequest || !strings.Contains(body, "name") {
			t.Errorf("a NUL byte in the name: %d\n%s", status, around(body, "name"))
		}
		status, body = coord.post("/reseau/adherents", url.Values{"kind": {"agence"}, "name": {""}, "siren": {"123456789"}, "basis": {"1,5 M€"},
			"website": {"javascript:alert(1)"}, "territory": {"dep:99"}, "themes": {"cuisine"}, "referent_name": {"Sans adresse"}})
		for _, field := range []string{"basis"} {
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, fieldError(field)) {
				t.Errorf("join with a bad basis: %d, no error beside %s", status, field)
			}
		}
		status, body = coord.post("/reseau/adherents", url.Values{"kind": {"agence"}, "name": {""}, "siren": {"123456789"}, "basis": {"1 500 000"},
			"website": {"javascript:alert(1)"}, "territory": {"dep:99"}, "themes": {"cuisine"}, "referent_name": {"Sans adresse"}})
		for _, field := range []string{"name", "siren", "website", "territory", "themes", "referent_email"} {
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, fieldError(field)) {
				t.Errorf("join: %d, no error beside %s", status, field)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM organisations`); n != before || count(t, db, `SELECT count(*) FROM members`) != 0 {
			t.Errorf("a refused join wrote")
		}
		siren := luhnSIREN("73282932")
		status, _ = coord.post("/reseau/adherents", url.Values{"kind": {"agence"}, "name": {"Agence de développement du Rhône"}, "siren": {siren},
			"basis": {"1 250 000"}, "territory": {"dep:69 com:69123"}, "themes": {"attractivite", "filieres"}, "listed": {"oui"},
			"referent_name": {"Claire Dumas"}, "referent_email": {"claire.dumas@rhone.test"}})
		if status != http.StatusSeeOther {
			t.Fatalf("join: %d", status)
		}
		var id int64
		if err := db.QueryRowContext(context.Background(), `SELECT id FROM organisations WHERE siren = $1`, siren).Scan(&id); err != nil {
			t.Fatal(err)
		}
		status, body = coord.get(fmt.Sprintf("/reseau/adherents/%d", id))
		if status != http.StatusOK || !strings.Contains(body, "Lyon (69)") || !strings.Contains(body, "Claire Dumas") || !strings.Contains(body, "tranche 1\u00a0M€ et plus → 2\u202f000\u00a0€ &#43; 0,1\u00a0%") {
			t.Errorf("the member's page: %d\n%s", status, around(body, "t-memberships"))
		}

		// A membership's forms.
		var ms int64
		if err := db.QueryRowContext(context.Background(), `SELECT id FROM memberships WHERE organisation_id = $1`, id).Scan(&ms); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/reseau/adhesions/%d", ms)
		if status, body = coord.post(path+"/paiement", url.Values{"paid_on": {"31/12/2026"}, "mode": {"troc"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("paid_on")) {
			t.Errorf("a payment with a bad date: %d", status)
		}
		if status, body = coord.post(path+"/paiement", url.Values{"paid_on": {date.Today().String()}, "mode": {"troc"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("mode")) {
			t.Errorf("a payment by barter: %d", status)
		}
		if status, body = coord.post(path+"/montant", url.Values{"amount": {"3000"}, "reason": {""}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("reason")) {
			t.Errorf("an override without reason: %d", status)
		}
		if status, body = coord.post(path+"/demission", url.Values{"resign_reason": {""}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("resign_reason")) {
			t.Errorf("a resignation without reason: %d", status)
		}
		if status, _ = coord.post(path+"/montant", url.Values{"amount": {"3000"}, "reason": {"Budget en baisse"}}); status != http.StatusSeeOther {
			t.Errorf("an override: %d", status)
		}
		if status, _ = coord.post(path+"/paiement", url.Values{"paid_on": {date.Today().String()}, "mode": {"virement"}}); status != http.StatusSeeOther {
			t.Errorf("a payment: %d", status)
		}
		if status, body = coord.post(path+"/paiement", url.Values{"paid_on": {date.Today().String()}, "mode": {"virement"}}); status != http.StatusConflict ||
			!strings.Contains(body, "déjà réglée") {
			t.Errorf("a second payment: %d", status)
		}

		// Partners: errors beside the fields of one counterpart's form.
		if status, body = coord.post("/reseau/partenaires", url.Values{"name": {""}, "contact_email": {"x"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("name")) || !strings.Contains(body, fieldError("contact_email")) {
			t.Errorf("a bad partner: %d", status)
		}
		if status, _ = coord.post("/reseau/partenaires", url.Values{"name": {"Banque Publique d’Investissement"}, "sector": {"banque publique"}}); status != http.StatusSeeOther {
			t.Fatalf("a partner: %d", status)
		}
		var partner int64
		db.QueryRowContext(context.Background(), `SELECT organisation_id FROM partners`).Scan(&partner)
		pp := fmt.Sprintf("/reseau/partenaires/%d", partner)
		if status, body = coord.post(pp+"/conventions", url.Values{"year": {"deux mille"}, "amount": {"50000"}, "starts_on": {"2027-01-01"}, "ends_on": {"2026-01-01"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("year")) {
			t.Errorf("a bad agreement: %d", status)
		}
		if status, _ = coord.post(pp+"/conventions", url.Values{"year": {strconv.Itoa(year)}, "amount": {"50000"}, "starts_on": {fmt.Sprintf("%d-01-01", year)}, "ends_on": {fmt.Sprintf("%d-12-31", year)}}); status != http.StatusSeeOther {
			t.Fatalf("an agreement: %d", status)
		}
		var agr int64
		db.QueryRowContext(context.Background(), `SELECT id FROM partner_agreements`).Scan(&agr)
		cp := fmt.Sprintf("/reseau/conventions/%d/contreparties", agr)
		if status, body = coord.post(cp, url.Values{"kind": {"event"}, "title": {""}, "due_on": {"demain"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError(fmt.Sprintf("due_on_%d", agr))) {
			t.Errorf("a bad counterpart: %d\n%s", status, around(body, "erreurs"))
		}
		if status, _ = coord.post(cp, url.Values{"kind": {"event"}, "title": {"Webinaire co-organisé"}, "due_on": {fmt.Sprintf("%d-01-15", year)}}); status != http.StatusSeeOther {
			t.Fatalf("a counterpart: %d", status)
		}
		var c int64
		db.QueryRowContext(context.Background(), `SELECT id FROM partner_counterparts`).Scan(&c)
		if status, body = coord.post(fmt.Sprintf("/reseau/contreparties/%d", c), url.Values{"partner": {strconv.FormatInt(partner, 10)}, "status": {"delivered"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError(fmt.Sprintf("link_label_%d", c))) {
			t.Errorf("delivered without saying by what: %d", status)
		}
		if status, _ = coord.post(fmt.Sprintf("/reseau/contreparties/%d", c), url.Values{"partner": {strconv.FormatInt(partner, 10)}, "status": {"delivered"},
			"link_kind": {"event"}, "link_id": {"12"}, "link_label": {"Webinaire du 3 février"}}); status != http.StatusSeeOther {
			t.Errorf("delivered: %d", status)
		}
		if _, body = coord.get(pp); !strings.Contains(body, "Webinaire du 3 février") || !strings.Contains(body, "n° 12") {
			t.Errorf("the partner's page lacks the delivery")
		}

		// Engagement: the period's bad dates beside their fields.
		if status, body = coord.get("/reseau/engagement?du=2027-13-01&au=2026-01-01"); status != http.StatusUnprocessableEntity || !strings.Contains(body, fieldError("from")) {
			t.Errorf("a bad period: %d", status)
		}
		if status, body = coord.get("/reseau/engagement?du=2026-12-31&au=2026-01-01"); status != http.StatusUnprocessableEntity || !strings.Contains(body, fieldError("to")) {
			t.Errorf("a period upside down: %d", status)
		}
		status, body = coord.get("/reseau/engagement?tri=name")
		if status != http.StatusOK || !strings.Contains(body, "score = 3 × événements suivis") || strings.Contains(body, "non suivi pour l’instant") ||
			!strings.Contains(body, "Agence de développement du Rhône") {
			t.Errorf("the engagement page: %d\n%s", status, around(body, "formula"))
		}
	})
}

// multipartFile posts one file under field.
func (c client) multipartFile(path, field, name string, content []byte) (int, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

func TestMembersSeeEachOthersContactsNeverTheirFees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		year := date.Today().Year
		if err := ta.Network.SaveSchedule(ctx, networkSchedule(year), access.System); err != nil {
			t.Fatal(err)
		}
		a, msA := networkMember(t, ta, "Agence Alpha", luhnSIREN("61111111"), "alpha@agence.test", true)
		b, msB := networkMember(t, ta, "Agence Bravo", luhnSIREN("62222222"), "bravo@agence.test", true)
		_, msC := networkMember(t, ta, "Agence Charlie", luhnSIREN("63333333"), "charlie@agence.test", false)
		alpha, charlie := ta.as(t, "alpha@agence.test"), ta.as(t, "charlie@agence.test")

		status, body := alpha.get("/reseau/adherents")
		if status != http.StatusOK || !strings.Contains(body, "contact@"+b.SIREN+".test") || strings.Contains(body, "Agence Charlie") {
			t.Errorf("A's directory: %d", status)
		}
		status, body = alpha.get(fmt.Sprintf("/reseau/adherents/%d", b.ID))
		if status != http.StatusOK || !strings.Contains(body, "bravo@agence.test") || strings.Contains(body, "member-basis") || strings.Contains(body, "COT-") ||
			strings.Contains(body, "4\u202f000") {
			t.Errorf("B's page for A: %d\n%s", status, around(body, "member-facts"))
		}
		for _, p := range []string{fmt.Sprintf("/reseau/adhesions/%d", msB.ID), fmt.Sprintf("/reseau/adhesions/%d/appel.pdf", msB.ID), fmt.Sprintf("/reseau/engagement/%d", b.ID)} {
			if status, _ := alpha.get(p); status != http.StatusNotFound {
				t.Errorf("A reads %s: %d", p, status)
			}
		}
		// Their own: the membership, its call in PDF, their engagement.
		if status, body = alpha.get(fmt.Sprintf("/reseau/adhesions/%d", msA.ID)); status != http.StatusOK || strings.Contains(body, "pay-form") {
			t.Errorf("A's own membership: %d", status)
		}
		req, _ := http.NewRequest("GET", ta.srv.URL+fmt.Sprintf("/reseau/adhesions/%d/appel.pdf", msA.ID), nil)
		resp, pdfBody := alphaDo(t, alpha, req)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("A's call: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if text := pdftest.Text(t, []byte(pdfBody)); !strings.Contains(text, "Agence Alpha") || !strings.Contains(text, "4 000 €") {
			t.Errorf("A's call reads: %s", text)
		}
		if status, _ = alpha.get(fmt.Sprintf("/reseau/engagement/%d", a.ID)); status != http.StatusOK {
			t.Errorf("A's engagement: %d", status)
		}
		if status, _ = alpha.post(fmt.Sprintf("/reseau/adhesions/%d/paiement", msA.ID), url.Values{"paid_on": {date.Today().String()}, "mode": {"virement"}}); status != http.StatusForbidden {
			t.Errorf("A recorded a payment: %d", status)
		}

		// Charlie has not paid: told why, and where to pay.
		status, body = charlie.get("/reseau/adherents")
		if status != http.StatusForbidden || !strings.Contains(body, "pas encore réglée") || !strings.Contains(body, `href="/reseau/mon-adhesion"`) {
			t.Errorf("C's directory: %d\n%s", status, around(body, "lapsed-reason"))
		}
		if status, body = charlie.get("/reseau/mon-adhesion"); status != http.StatusOK || !strings.Contains(body, "Espace des adhérents fermé") ||
			!strings.Contains(body, fmt.Sprintf("/reseau/adhesions/%d/appel.pdf", msC.ID)) {
			t.Errorf("C's membership: %d", status)
		}
		if status, _ = charlie.get(fmt.Sprintf("/reseau/adherents/%d", a.ID)); status != http.StatusForbidden {
			t.Errorf("C reads A's page: %d", status)
		}

		// Logos: checked by content, served with their cache and nosniff.
		if status, body = alpha.multipartFile(fmt.Sprintf("/reseau/adherents/%d/logo", a.ID), "logo", "logo.png", []byte("<svg/>")); status != http.StatusUnprocessableEntity ||
			!strings.Contains(body, fieldError("logo")) {
			t.Errorf("an SVG logo: %d", status)
		}
		img := image.NewRGBA(image.Rect(0, 0, 64, 32))
		var logo bytes.Buffer
		png.Encode(&logo, img)
		if status, _ = alpha.multipartFile(fmt.Sprintf("/reseau/adherents/%d/logo", a.ID), "logo", "logo.png", logo.Bytes()); status != http.StatusSeeOther {
			t.Errorf("a logo: %d", status)
		}
		if status, _ = alpha.multipartFile(fmt.Sprintf("/reseau/adherents/%d/logo", b.ID), "logo", "logo.png", logo.Bytes()); status != http.StatusForbidden {
			t.Errorf("A changed B's logo: %d", status)
		}
		resp, err := http.Get(ta.srv.URL + fmt.Sprintf("/reseau/adherents/%d/logo", a.ID))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// Served as the image it was checked to be; not cached publicly, as
		// every response that may set the visitor's CSRF cookie.
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("the public logo: %d %v", resp.StatusCode, resp.Header)
		}
		status, body = ta.getPublic(t, "/reseau?departement=69")
		if status != http.StatusOK || !strings.Contains(body, "Agence Alpha") || strings.Contains(body, "Agence Charlie") || strings.Contains(body, "contact@") {
			t.Errorf("the public directory: %d", status)
		}
	})
}

// alphaDo sends req with c's session and returns the raw answer.
func alphaDo(t *testing.T, c client, req *http.Request) (*http.Response, string) {
	req.AddCookie(&http.Cookie{Name: "vivier_session", Value: c.token})
	return do(t, req)
}

// getPublic reads a page without a session.
func (ta *testApp) getPublic(t *testing.T, path string) (int, string) {
	req, _ := http.NewRequest("GET", ta.srv.URL+path, nil)
	resp, body := do(t, req)
	return resp.StatusCode, body
}

// around is the part of body around marker, for failure messages.
func around(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return excerptOf([]byte(body))
	}
	return body[max(0, i-300):min(len(body), i+1500)]
}
