package network_test

import (
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestPartnersAndLateCounterparts records a partner, its agreement with
// a signed PDF and its counterparts, and finds the late ones.
func TestPartnersAndLateCounterparts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-06-15")
		if _, err := f.svc.CreatePartner(f.ctx, network.PartnerInput{Name: " ", SIREN: "123", Website: "ftp://x", ContactEmail: "pas une adresse"}, f.coord); !hasField(err, "name") ||
			!hasField(err, "siren") || !hasField(err, "website") || !hasField(err, "contact_email") {
			t.Errorf("a bad partner: %v", err)
		}
		id, err := f.svc.CreatePartner(f.ctx, network.PartnerInput{Name: "Réseau Électrique National", SIREN: sirenFrom("44461912"), Sector: "réseau électrique",
			Website: "https://reseau.example.fr", ContactName: "Anne Roux", ContactEmail: "anne.roux@reseau.example.fr"}, f.coord)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddAgreement(f.ctx, id, network.AgreementInput{Year: 2027, Amount: 60_000, StartsOn: date.MustParse("2027-01-01"), EndsOn: date.MustParse("2026-12-31")}, f.coord); !hasField(err, "ends_on") {
			t.Errorf("an agreement ending before it starts: %v", err)
		}
		agr, err := f.svc.AddAgreement(f.ctx, id, network.AgreementInput{Year: 2027, Amount: 60_000, StartsOn: date.MustParse("2027-01-01"), EndsOn: date.MustParse("2027-12-31")}, f.coord)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddAgreement(f.ctx, id, network.AgreementInput{Year: 2027, Amount: 1, StartsOn: date.MustParse("2027-01-01"), EndsOn: date.MustParse("2027-12-31")}, f.coord); !hasField(err, "year") {
			t.Errorf("a second agreement for 2027: %v", err)
		}
		if err := f.svc.SetAgreementPDF(f.ctx, agr, "convention.docx", []byte("PK\x03\x04"), f.coord); !hasField(err, "file") {
			t.Errorf("a DOCX as signed PDF: %v", err)
		}
		if err := f.svc.SetAgreementPDF(f.ctx, agr, `C:\Documents\convention signée.pdf`, []byte("%PDF-1.7\n…"), f.coord); err != nil {
			t.Fatal(err)
		}
		if data, name, err := f.svc.AgreementPDF(f.ctx, agr, f.coord); err != nil || name != "convention signée.pdf" || !strings.HasPrefix(string(data), "%PDF-") {
			t.Errorf("signed PDF: %q %v", name, err)
		}
		webinar, err := f.svc.AddCounterpart(f.ctx, agr, network.CounterpartInput{Kind: network.KindEvent, Title: "Webinaire sur les réseaux de chaleur", DueOn: date.MustParse("2027-03-31")}, f.coord)
		if err != nil {
			t.Fatal(err)
		}
		guide, err := f.svc.AddCounterpart(f.ctx, agr, network.CounterpartInput{Kind: network.KindPublication, Title: "Guide co-signé", DueOn: date.MustParse("2027-05-31")}, f.coord)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddCounterpart(f.ctx, agr, network.CounterpartInput{Kind: network.KindSeat, Title: "Places au forum", DueOn: date.MustParse("2027-11-20")}, f.coord); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AddCounterpart(f.ctx, agr, network.CounterpartInput{Kind: "concert", Title: "", DueOn: date.Date{}}, f.coord); !hasField(err, "kind") || !hasField(err, "title") || !hasField(err, "due_on") {
			t.Errorf("a bad counterpart: %v", err)
		}
		late, err := f.svc.LateCounterparts(f.ctx, f.coord)
		if err != nil || len(late) != 2 || late[0].Title != "Webinaire sur les réseaux de chaleur" || late[0].PartnerName != "Réseau Électrique National" {
			t.Fatalf("late counterparts: %+v %v", late, err)
		}

		// Delivered by an event recorded elsewhere: linked by kind, id and label.
		if err := f.svc.UpdateCounterpart(f.ctx, webinar, network.CounterpartUpdate{Status: network.Delivered}, f.coord); !hasField(err, "link_label") || !hasField(err, "link_kind") {
			t.Errorf("delivered without saying by what: %v", err)
		}
		link := network.CounterpartUpdate{Status: network.Delivered, Link: network.Link{Kind: network.KindEvent, ID: 42, Label: "Webinaire du 2 avril 2027"}}
		if err := f.svc.UpdateCounterpart(f.ctx, webinar, link, f.coord); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.UpdateCounterpart(f.ctx, webinar, link, f.coord); err != nil {
			t.Fatal(err)
		}
		if n := f.auditCount("network.counterpart_updated"); n != 1 {
			t.Errorf("%d audit entries for one change", n)
		}
		if err := f.svc.UpdateCounterpart(f.ctx, guide, network.CounterpartUpdate{Status: network.Dropped}, f.coord); !hasField(err, "note") {
			t.Errorf("dropped without a reason: %v", err)
		}
		if err := f.svc.UpdateCounterpart(f.ctx, guide, network.CounterpartUpdate{Status: network.Dropped, Note: "Le partenaire a renoncé au guide."}, f.coord); err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.Partner(f.ctx, id, f.coord)
		if err != nil || p.Late != 0 || len(p.Agreements) != 1 || p.Agreements[0].SignedName == "" || len(p.Agreements[0].Counterparts) != 3 {
			t.Fatalf("partner: %+v %v", p, err)
		}
		c := p.Agreements[0].Counterparts[0]
		if c.Status != network.Delivered || c.Link != link.Link || c.DeliveredOn != date.MustParse("2027-06-15") {
			t.Errorf("delivered counterpart: %+v", c)
		}
		f.setSchedules(2027)
		f.join("Agence Alpha", sirenFrom("61111111"), 2_000_000, "alpha@agence.test")
		for _, a := range []access.Actor{f.staffOf("alpha@agence.test"), access.Visitor("192.0.2.1")} {
			if _, err := f.svc.Partners(f.ctx, a); access.CodeOf(err) != access.Forbidden {
				t.Errorf("partners read by %+v: %v", a, err)
			}
			if err := f.svc.UpdateCounterpart(f.ctx, guide, link, a); access.CodeOf(err) != access.Forbidden {
				t.Errorf("counterpart changed by %+v: %v", a, err)
			}
		}
	})
}
