package app_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/browsertest"
	"vivier/internal/date"
	"vivier/internal/mail"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestMembershipJourney walks in headless Chromium a year's renewal: an
// administrator sets next year's fee schedule, a coordinator runs the
// renewal, the agency's referent reads the call for fees and its PDF, the
// coordinator records the payment, and the engagement page shows the
// agency.
func TestMembershipJourney(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	ctx := context.Background()
	year := date.Today().Year
	next := year + 1

	// This year: the agency joined and paid; its referent has an account.
	if err := ta.Network.SaveSchedule(ctx, networkSchedule(year), access.System); err != nil {
		t.Fatal(err)
	}
	m, err := ta.Network.Join(ctx, network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: "Agence d’attractivité de la Loire",
		SIREN: luhnSIREN("71111111"), Basis: 4_500_000, Territory: []string{"dep:42"}, Listed: true, Address: "2 rue de la Préfecture\n42000 Saint-Étienne"}}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	u, err := ta.Accounts.CreateWithPassword(ctx, account.NewUser{Email: "direction@loire.test", Name: "Claire Dumas", Role: access.Member, OrganisationID: m.ID}, testPassword, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.Network.SetReferent(ctx, m.ID, u.ID, true, access.System); err != nil {
		t.Fatal(err)
	}
	this, err := ta.Network.Memberships(ctx, network.MembershipFilter{OrgID: m.ID}, access.System)
	if err != nil || len(this) != 1 {
		t.Fatal(this, err)
	}
	if err := ta.Network.Pay(ctx, this[0].ID, network.Payment{PaidOn: date.Today(), Mode: network.Transfer}, access.System); err != nil {
		t.Fatal(err)
	}

	page := browsertest.NewPage(t, ta.srv.URL)

	// The administrator sets next year's schedule, band by band.
	login(page, ta.emails["admin"])
	page.Visit(fmt.Sprintf("/admin/cotisations?annee=%d", next))
	if !strings.Contains(page.Text("#copied"), fmt.Sprint(year)) {
		t.Fatalf("the form does not offer this year's bands: %q", page.Text("main"))
	}
	for i := range 6 {
		for _, f := range []string{"from", "to", "fixed", "base", "rate", "floor", "cap"} {
			page.Fill(fmt.Sprintf("#f-b%d_%s", i, f), "")
		}
	}
	page.Set("#f-b0_basis", "budget").Fill("#f-b0_from", "0").Fill("#f-b0_to", "1 000 000").Fill("#f-b0_fixed", "1500")
	page.Set("#f-b1_basis", "budget").Fill("#f-b1_from", "1 000 000").Fill("#f-b1_to", "3 000 000").Fill("#f-b1_fixed", "4000")
	page.Set("#f-b2_basis", "budget").Fill("#f-b2_from", "3 000 000").Fill("#f-b2_base", "2000").Fill("#f-b2_rate", "0,1").Fill("#f-b2_cap", "12000")
	page.Set("#f-b3_basis", "population").Fill("#f-b3_from", "0").Fill("#f-b3_rate", "0,05")
	page.Submit("#schedule-form button[type=submit]")
	if !strings.Contains(page.Text(".notice.ok"), "Le barème est enregistré") {
		t.Fatalf("after saving the schedule: %q", page.Text("main"))
	}
	logout(page)

	// The coordinator runs the renewal: the agency's membership is created
	// and called.
	login(page, ta.emails["coordinator"])
	page.Visit(fmt.Sprintf("/reseau/cotisations/%d", next))
	if !strings.Contains(page.Text("#bands"), "2\u202f000\u00a0€ + 0,1\u00a0% du budget (plafond 12\u202f000\u00a0€)") {
		t.Errorf("the schedule shown: %q", page.Text("#bands"))
	}
	page.Submit("#renew-form button")
	if !strings.Contains(page.Text(".notice.ok"), "renouvellement") {
		t.Fatalf("after the renewal: %q", page.Text("main"))
	}
	row := page.Text("#memberships")
	if !strings.Contains(row, "Agence d’attractivité de la Loire") || !strings.Contains(row, "en attente de paiement") || !strings.Contains(row, "6\u202f500\u00a0€") {
		t.Fatalf("the year's memberships: %q", row)
	}
	logout(page)

	// The referent reads the call for fees: the email, the page, the PDF.
	msgs, err := mail.List(ctx, db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var call *mail.Entry
	for i := range msgs {
		if strings.HasPrefix(msgs[i].Message.Subject, fmt.Sprintf("Appel de cotisation %d", next)) {
			call = &msgs[i]
		}
	}
	if call == nil || call.Message.To != "direction@loire.test" || !strings.Contains(call.Message.Text, "6\u202f500\u00a0€") {
		t.Fatalf("the call's email: %+v", call)
	}
	login(page, "direction@loire.test")
	page.Visit("/reseau/mon-adhesion")
	mine := page.Text("#my-memberships")
	if !strings.Contains(mine, fmt.Sprintf("%d", next)) || !strings.Contains(mine, "en attente de paiement") || !strings.Contains(mine, "tranche 3\u00a0M€ et plus") {
		t.Fatalf("the referent's membership: %q", mine)
	}
	href := page.Eval(`document.querySelector("#my-memberships tbody tr a").getAttribute("href")`).(string)
	if !strings.Contains(call.Message.Text, href) {
		t.Errorf("the email's PDF link is not the page's %s", href)
	}
	encoded, err := chromedp.Run(page.Context(), chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => {
		if (r.headers.get("Content-Type") !== "application/pdf") throw new Error("not a PDF: " + r.status);
		return r.arrayBuffer();
	}).then(b => { let s = ""; for (const c of new Uint8Array(b)) s += String.fromCharCode(c); return btoa(s); })`, href), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the PDF: %v", err)
	}
	doc, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, doc)
	for _, want := range []string{fmt.Sprintf("Appel de cotisation %d", next), "Agence d’attractivité de la Loire", "6 500 €", "Saint-Étienne",
		"SIREN " + m.SIREN[:3] + " " + m.SIREN[3:6] + " " + m.SIREN[6:]} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q: %s", want, text)
		}
	}
	logout(page)

	// The coordinator records the payment.
	login(page, ta.emails["coordinator"])
	page.Visit(fmt.Sprintf("/reseau/cotisations/%d", next))
	page.Submit("#memberships tbody tr a")
	page.Set("#f-mode", "mandat")
	page.Submit("#pay-form button")
	if got := page.Text("#membership-status"); got != "réglée" || !strings.Contains(page.Text("#membership-paid"), "mandat administratif") {
		t.Fatalf("after the payment: %q", page.Text("main"))
	}

	// The engagement page shows the agency, and its own page its formula
	// and the events it attended, counted (none yet).
	page.Visit("/reseau/engagement")
	if !strings.Contains(page.Text("#engagement"), "Agence d’attractivité de la Loire") || !strings.Contains(page.Text("#formula"), "score = ") {
		t.Fatalf("the engagement page: %q", page.Text("main"))
	}
	page.Submit(`#engagement tbody a`)
	if !strings.Contains(page.Text("h1"), "Agence d’attractivité de la Loire") || strings.Contains(page.Text("#activity-events_attended"), "non suivi") {
		t.Fatalf("the agency's engagement: %q", page.Text("main"))
	}
}
