package network_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/pdf/pdftest"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

// TestMembershipYear follows memberships over two years with a fixed
// clock: joining (prorated), the renewal campaign run twice, an override
// with its reason, payments, the grace period of the new year, the lapse
// that closes member-only access, and the payment that opens it again.
func TestMembershipYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2026-05-10")
		if err := f.svc.SaveSchedule(f.ctx, schedule(2026), f.coord); access.CodeOf(err) != access.Forbidden {
			t.Fatalf("a coordinator set the schedule: %v", err)
		}
		f.setSchedules(2026, 2027)
		rhone := f.join("Agence de développement du Rhône", sirenFrom("73282932"), 1_250_000, "direction@rhone.test")
		ain := f.join("Agence économique de l’Ain", sirenFrom("41234567"), 500_000, "")

		// Joining in May pays three quarters of the band's fee.
		m := f.membership(rhone.ID, 2026)
		if m.Status != network.Invited || m.Fee != 3_000 || !strings.Contains(m.Formula, "budget 1\u202f250\u202f000\u00a0€ → tranche 1–3\u00a0M€ → 4\u202f000\u00a0€ ; adhésion le 10 mai 2026 : 3 trimestres sur 4 → 3\u202f000\u00a0€") {
			t.Fatalf("joining membership: %+v", m)
		}

		// The campaign calls the members that have a referent, once.
		rep, err := f.svc.Renew(f.ctx, 2026, f.coord)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.Called != 1 || rep.Emails != 1 || len(rep.NoReferent) != 1 || rep.NoReferent[0] != ain.Name {
			t.Fatalf("first run: %+v", rep)
		}
		calls := f.emails("Appel de cotisation 2026")
		if len(calls) != 1 || calls[0].Message.To != "direction@rhone.test" || !strings.Contains(calls[0].Message.Text, "COT-2026-0001") ||
			!strings.Contains(calls[0].Message.Text, "3\u202f000\u00a0€") || !strings.Contains(calls[0].Message.Text, "/reseau/adhesions/") {
			t.Fatalf("call for fees: %+v", calls)
		}
		if rep, err = f.svc.Renew(f.ctx, 2026, f.coord); err != nil || rep.Created+rep.Called+rep.Emails != 0 {
			t.Fatalf("second run: %+v %v", rep, err)
		}
		if n := len(f.emails("Appel de cotisation")); n != 1 {
			t.Errorf("the second run sent emails: %d calls", n)
		}
		m = f.membership(rhone.ID, 2026)
		if m.Status != network.PendingPayment || m.InvoiceNumber != "COT-2026-0001" || m.DueOn != date.MustParse("2026-06-09") {
			t.Errorf("called membership: %+v", m)
		}

		// The call's PDF reads back with the amount, the SIREN and the formula.
		doc, name, err := f.svc.CallPDF(f.ctx, m.ID, f.staffOf("direction@rhone.test"))
		if err != nil {
			t.Fatal(err)
		}
		text := pdftest.Text(t, doc)
		for _, want := range []string{"Appel de cotisation 2026", "Agence de développement du Rhône", "SIREN " + rhone.SIREN[:3] + " " + rhone.SIREN[3:6] + " " + rhone.SIREN[6:],
			"COT-2026-0001", "3 000 €", "tranche 1–3 M€", "9 juin 2026", "page 1 sur 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		if name != "appel-cotisation-2026-agence-de-developpement-du-rhone.pdf" {
			t.Errorf("PDF name %q", name)
		}

		// Staff override a fee with a reason, audited once.
		am := f.membership(ain.ID, 2026)
		if err := f.svc.SetFee(f.ctx, am.ID, 800, " ", f.coord); !hasField(err, "reason") {
			t.Errorf("an override without reason: %v", err)
		}
		if err := f.svc.SetFee(f.ctx, am.ID, 800, "Budget réduit de moitié en 2026 (lettre du président)", f.coord); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetFee(f.ctx, am.ID, 800, "Budget réduit de moitié en 2026 (lettre du président)", f.coord); err != nil {
			t.Fatal(err)
		}
		if n := f.auditCount("network.fee_overridden"); n != 1 {
			t.Errorf("%d audit entries of the override, want 1", n)
		}
		if am = f.membership(ain.ID, 2026); am.Fee != 800 || am.ComputedFee != 1_125 || !am.Overridden() {
			t.Errorf("overridden membership: %+v", am)
		}
		if err := f.svc.SetFee(f.ctx, am.ID, 800, "Autre motif", f.staffOf("direction@rhone.test")); access.CodeOf(err) != access.NotFound {
			t.Errorf("another member overrode a fee: %v", err)
		}

		// Payment; a second one is a conflict.
		pay := network.Payment{PaidOn: date.MustParse("2026-05-10"), Mode: network.Transfer}
		if err := f.svc.Pay(f.ctx, m.ID, network.Payment{PaidOn: date.MustParse("2026-06-01"), Mode: "troc"}, f.coord); !hasField(err, "paid_on") || !hasField(err, "mode") {
			t.Errorf("a payment in the future by barter: %v", err)
		}
		if err := f.svc.Pay(f.ctx, m.ID, pay, f.coord); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Pay(f.ctx, m.ID, pay, f.coord); access.CodeOf(err) != access.Conflict {
			t.Errorf("a second payment: %v", err)
		}
		current := func(org int64, want bool) {
			t.Helper()
			if got, err := f.svc.IsCurrentMember(f.ctx, org); err != nil || got != want {
				t.Errorf("on %s, IsCurrentMember(%d) = %v (%v), want %v", f.clock.Now().Format("2006-01-02"), org, got, err, want)
			}
		}
		current(rhone.ID, true)
		current(ain.ID, false)

		// The new year: the renewal creates the membership of last year's
		// paying member only.
		f.clock.set("2027-01-15")
		rep, err = f.svc.Renew(f.ctx, 2027, f.coord)
		if err != nil || rep.Created != 1 || rep.Called != 1 {
			t.Fatalf("renewal 2027: %+v %v", rep, err)
		}
		r27 := f.membership(rhone.ID, 2027)
		if r27.Fee != 4_000 || r27.InvoiceNumber != "COT-2027-0001" || strings.Contains(r27.Formula, "trimestre") {
			t.Errorf("renewed membership: %+v", r27)
		}
		if rep, err = f.svc.Renew(f.ctx, 2027, f.coord); err != nil || rep.Created+rep.Called != 0 {
			t.Errorf("renewal 2027 again: %+v %v", rep, err)
		}

		// Within the grace period (90 days: to 31 March) the member stays current.
		current(rhone.ID, true)
		f.clock.set("2027-03-31")
		current(rhone.ID, true)
		if n, err := f.svc.LapseOverdue(f.ctx, access.System); err != nil || n != 1 {
			t.Errorf("lapse on 31 March: %d %v (the unpaid 2026 of the Ain only)", n, err)
		}
		f.clock.set("2027-04-01")
		current(rhone.ID, false)
		st, err := f.svc.Standing(f.ctx, f.staffOf("direction@rhone.test"))
		if err != nil || st.Current || !strings.Contains(st.Reason, "le délai de grâce a pris fin le 31 mars 2027") {
			t.Errorf("standing after the grace period: %+v %v", st, err)
		}
		_, err = f.svc.Directory(f.ctx, network.DirectoryFilter{}, f.staffOf("direction@rhone.test"))
		var nc *network.NotCurrentError
		if !errors.As(err, &nc) || access.CodeOf(err) != access.Forbidden || !strings.Contains(access.MessageOf(err, ""), "31 mars 2027") {
			t.Errorf("the directory after the grace period: %v", err)
		}
		if n, err := f.svc.LapseOverdue(f.ctx, access.System); err != nil || n != 1 {
			t.Errorf("lapse on 1 April: %d %v", n, err)
		}
		if r27 = f.membership(rhone.ID, 2027); r27.Status != network.Lapsed {
			t.Errorf("status after the lapse: %s", r27.Status)
		}
		if lapsed := f.emails("a expiré"); len(lapsed) != 1 || lapsed[0].Message.To != "direction@rhone.test" {
			t.Errorf("lapse emails: %+v", lapsed)
		}

		// Paying restores the access.
		if err := f.svc.Pay(f.ctx, r27.ID, network.Payment{PaidOn: date.MustParse("2027-04-01"), Mode: network.Mandate}, f.coord); err != nil {
			t.Fatal(err)
		}
		current(rhone.ID, true)
		if _, err := f.svc.Directory(f.ctx, network.DirectoryFilter{}, f.staffOf("direction@rhone.test")); err != nil {
			t.Errorf("the directory after paying: %v", err)
		}
	})
}

// TestRemindersAndLatePayers checks the reminder after the payment term
// and the list of late payers.
func TestRemindersAndLatePayers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-10")
		f.setSchedules(2027)
		a := f.join("Agence Alpha", sirenFrom("51111111"), 2_000_000, "alpha@agence.test")
		f.join("Agence Bravo", sirenFrom("52222222"), 2_000_000, "bravo@agence.test")
		if _, err := f.svc.Renew(f.ctx, 2027, f.coord); err != nil {
			t.Fatal(err)
		}
		f.clock.set("2027-02-09")
		if n, err := f.svc.Remind(f.ctx, access.System); err != nil || n != 0 {
			t.Errorf("reminders before the term: %d %v", n, err)
		}
		if err := f.svc.Pay(f.ctx, f.membership(a.ID, 2027).ID, network.Payment{PaidOn: date.MustParse("2027-02-01"), Mode: network.Cheque}, f.coord); err != nil {
			t.Fatal(err)
		}
		f.clock.set("2027-02-10")
		late, err := f.svc.Memberships(f.ctx, network.MembershipFilter{Year: 2027, Late: true}, f.coord)
		if err != nil || len(late) != 1 || late[0].OrgName != "Agence Bravo" {
			t.Fatalf("late payers: %+v %v", late, err)
		}
		if n, err := f.svc.Remind(f.ctx, access.System); err != nil || n != 1 {
			t.Errorf("reminders after the term: %d %v", n, err)
		}
		if n, err := f.svc.Remind(f.ctx, f.coord); err != nil || n != 0 {
			t.Errorf("reminders again: %d %v", n, err)
		}
		if r := f.emails("Rappel : cotisation 2027"); len(r) != 1 || r[0].Message.To != "bravo@agence.test" {
			t.Errorf("reminder emails: %+v", r)
		}
		if _, err := f.svc.Remind(f.ctx, f.staffOf("bravo@agence.test")); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member ran the reminders: %v", err)
		}
	})
}

// TestExportMemberships writes the memberships of a year in CSV and XLSX.
func TestExportMemberships(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-02-01")
		f.setSchedules(2027)
		f.join("=Agence Formule", sirenFrom("53333333"), 3_500_000, "formule@agence.test")
		var csv bytes.Buffer
		n, err := f.svc.ExportMemberships(f.ctx, &csv, 2027, "csv", f.coord)
		if err != nil || n != 1 {
			t.Fatalf("export: %d %v", n, err)
		}
		out := csv.String()
		for _, want := range []string{"annee,organisation,siren", "2027,'=Agence Formule,", ",invited,budget,3500000,5500,"} {
			if !strings.Contains(out, want) {
				t.Errorf("the CSV lacks %q:\n%s", want, out)
			}
		}
		var xlsx bytes.Buffer
		if _, err := f.svc.ExportMemberships(f.ctx, &xlsx, 2027, "xlsx", f.coord); err != nil || !bytes.HasPrefix(xlsx.Bytes(), []byte("PK")) {
			t.Errorf("XLSX export: %v", err)
		}
		if _, err := f.svc.ExportMemberships(f.ctx, &xlsx, 2027, "pdf", f.coord); !hasField(err, "format") {
			t.Errorf("a PDF export: %v", err)
		}
		if _, err := f.svc.ExportMemberships(f.ctx, &xlsx, 2027, "csv", f.staffOf("formule@agence.test")); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member exported the memberships: %v", err)
		}
	})
}

func hasField(err error, field string) bool {
	errs, ok := valid.As(err)
	return ok && errs.Has(field)
}
