package network_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// pngOf is a PNG image of w × h pixels.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{29, 107, 95, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJoinChecksEveryField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-02-01")
		bad := network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: "Agence\x00", SIREN: "123456789",
			Website: "javascript:alert(1)", Email: "pas-une-adresse", Phone: "appelez-nous", Themes: []string{"cuisine"},
			Territory: []string{"dep:99", "com:69123", "reg:84"}, Basis: -5}, Referent: network.Invitation{Name: "Sans adresse"}}
		_, err := f.svc.Join(f.ctx, bad, f.coord)
		for _, field := range []string{"name", "siren", "website", "email", "phone", "themes", "territory", "basis", "referent_email"} {
			if !hasField(err, field) {
				t.Errorf("no error on %s: %v", field, err)
			}
		}
		if !strings.Contains(err.Error(), "aucun département n’a le code") || strings.Contains(err.Error(), "69123") {
			t.Errorf("the territory's error names the wrong place only: %v", err)
		}
		// Without this year's schedule, nobody joins.
		good := network.JoinInput{Kind: organisation.Agence, MemberInput: network.MemberInput{Name: "Agence Alpha", SIREN: sirenFrom("61111111"), Basis: 800_000},
			Referent: network.Invitation{Name: "Alice", Email: "alice@alpha.test"}}
		if _, err := f.svc.Join(f.ctx, good, f.coord); !hasField(err, "basis") || !strings.Contains(err.Error(), "barème 2027") {
			t.Errorf("join without a schedule: %v", err)
		}
		f.setSchedules(2027)
		if _, err := f.svc.Join(f.ctx, good, f.coord); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Join(f.ctx, good, f.coord); !hasField(err, "siren") {
			t.Errorf("joining twice: %v", err)
		}
		// An EPCI is found in the reference by its SIREN; its territory's
		// département filters the directory.
		lyon, err := f.svc.Join(f.ctx, network.JoinInput{Kind: organisation.EPCI, MemberInput: network.MemberInput{SIREN: "200046977", Basis: 1_400_000,
			Territory: []string{"epci:200046977"}, Listed: true}}, f.coord)
		if err != nil || lyon.Name != "Métropole de Lyon" || lyon.Kind != organisation.EPCI {
			t.Fatalf("the Métropole de Lyon joins: %+v %v", lyon, err)
		}
		if _, err := f.svc.Join(f.ctx, network.JoinInput{Kind: organisation.Commune, MemberInput: network.MemberInput{SIREN: "732829320"}}, f.coord); !hasField(err, "siren") {
			t.Errorf("a commune unknown to the reference: %v", err)
		}
		if _, err := f.svc.Join(f.ctx, network.JoinInput{Kind: organisation.Partenaire, MemberInput: network.MemberInput{Name: "X"}}, f.coord); !hasField(err, "kind") {
			t.Errorf("a partner joins as a member: %v", err)
		}
		if m := f.membership(lyon.ID, 2027); m.BasisKind != network.Population || m.Fee != 70_000 {
			t.Errorf("the EPCI's fee: %+v", m)
		}
		invitations := f.emails("")
		if len(invitations) != 1 || invitations[0].Message.To != "alice@alpha.test" {
			t.Errorf("invitations: %+v", invitations)
		}
	})
}

func TestDirectoryAndEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-02-01")
		f.setSchedules(2027)
		alpha := f.join("Agence Alpha", sirenFrom("61111111"), 2_000_000, "alpha@agence.test")
		bravo := f.join("Agence Bravo", sirenFrom("62222222"), 2_000_000, "bravo@agence.test")
		for _, m := range []network.Member{alpha, bravo} {
			if err := f.svc.Pay(f.ctx, f.membership(m.ID, 2027).ID, network.Payment{PaidOn: date.MustParse("2027-02-01"), Mode: network.Transfer}, f.coord); err != nil {
				t.Fatal(err)
			}
		}
		ref := f.staffOf("alpha@agence.test")

		// A referent changes the entry; the same entry again changes nothing.
		in := network.MemberInput{Name: alpha.Name, SIREN: alpha.SIREN, Address: "3 rue Mercière\n69002 Lyon", Website: "https://alpha.example.fr",
			Email: "accueil@alpha.example.fr", Phone: "+33 4 72 00 00 00", Themes: []string{"filieres", "attractivite"},
			Territory: []string{"reg:84", "epci:200046977"}, Basis: 2_100_000, Listed: false}
		if changed, err := f.svc.UpdateMember(f.ctx, alpha.ID, in, ref); err != nil || !changed {
			t.Fatalf("update by the referent: %v %v", changed, err)
		}
		if changed, err := f.svc.UpdateMember(f.ctx, alpha.ID, in, ref); err != nil || changed {
			t.Errorf("the same update again: %v %v", changed, err)
		}
		if n := f.auditCount("network.member_updated"); n != 1 {
			t.Errorf("%d updates audited, want 1", n)
		}
		renamed := in
		renamed.Name = "Agence Alpha Développement"
		if _, err := f.svc.UpdateMember(f.ctx, alpha.ID, renamed, ref); !hasField(err, "name") {
			t.Errorf("a referent renamed the organisation: %v", err)
		}
		if _, err := f.svc.UpdateMember(f.ctx, alpha.ID, renamed, f.coord); err != nil {
			t.Errorf("staff rename: %v", err)
		}

		// The public directory: Bravo (listed, dep:69); Alpha withdrew.
		pub, err := f.svc.PublicDirectory(f.ctx, network.DirectoryFilter{}, access.Visitor("192.0.2.1"))
		if err != nil || len(pub) != 1 || pub[0].ID != bravo.ID {
			t.Errorf("public directory: %+v %v", pub, err)
		}
		// The members' directory filters by place: Alpha serves the
		// region 84 (so every département of it) and the Métropole.
		for _, tt := range []struct {
			name string
			f    network.DirectoryFilter
			want []int64
		}{
			{"region 84", network.DirectoryFilter{Region: "84"}, []int64{alpha.ID, bravo.ID}},
			{"département 69", network.DirectoryFilter{Departement: "69"}, []int64{alpha.ID, bravo.ID}},
			{"département 01, in the region", network.DirectoryFilter{Departement: "01"}, []int64{alpha.ID}},
			{"région 11", network.DirectoryFilter{Region: "11"}, nil},
			{"by name", network.DirectoryFilter{Text: "bra"}, []int64{bravo.ID}},
		} {
			list, err := f.svc.Directory(f.ctx, tt.f, ref)
			var got []int64
			for _, m := range list {
				got = append(got, m.ID)
			}
			if err != nil || len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] {
				t.Errorf("%s: %v %v, want %v", tt.name, got, err, tt.want)
			}
		}

		// Staff: the referent invites a colleague, who cannot edit; the
		// referent cannot drop their own role.
		colleague, err := f.svc.InviteStaff(f.ctx, alpha.ID, network.Invitation{Name: "Bruno Alpha", Email: "bruno@alpha.test"}, ref)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.InviteStaff(f.ctx, alpha.ID, network.Invitation{Name: "Bruno Alpha", Email: "bruno@alpha.test"}, ref); !hasField(err, "email") {
			t.Errorf("inviting twice: %v", err)
		}
		if _, err := f.svc.InviteStaff(f.ctx, bravo.ID, network.Invitation{Name: "Intrus", Email: "intrus@alpha.test"}, ref); access.CodeOf(err) != access.Forbidden {
			t.Errorf("Alpha's referent invited into Bravo: %v", err)
		}
		bruno := f.staffOf("bruno@alpha.test")
		if _, err := f.svc.UpdateMember(f.ctx, alpha.ID, in, bruno); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a colleague who is no referent edited: %v", err)
		}
		if err := f.svc.SetReferent(f.ctx, alpha.ID, ref.UserID, false, ref); access.CodeOf(err) != access.Forbidden {
			t.Errorf("the referent dropped their own role: %v", err)
		}
		if err := f.svc.SetReferent(f.ctx, alpha.ID, colleague, true, ref); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetReferent(f.ctx, alpha.ID, ref.UserID, false, bruno); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.Member(f.ctx, alpha.ID, bruno)
		if err != nil || !v.Editable || len(v.Staff) != 2 || v.Staff[0].Email != "bruno@alpha.test" || !v.Staff[0].Referent || v.Staff[1].Referent {
			t.Errorf("Alpha's staff: %+v %v", v.Staff, err)
		}
		if err := f.svc.SetReferent(f.ctx, alpha.ID, f.staffOf("bravo@agence.test").UserID, true, f.coord); !hasField(err, "user") {
			t.Errorf("Bravo's referent made Alpha's: %v", err)
		}

		// Logos: checked by content, served to who may see the entry.
		if err := f.svc.SetLogo(f.ctx, bravo.ID, []byte("<svg onload=alert(1)></svg>"), f.staffOf("bravo@agence.test")); !hasField(err, "logo") {
			t.Errorf("an SVG logo: %v", err)
		}
		if err := f.svc.SetLogo(f.ctx, bravo.ID, pngOf(t, 3000, 20), f.staffOf("bravo@agence.test")); !hasField(err, "logo") {
			t.Errorf("a logo 3 000 pixels wide: %v", err)
		}
		good := pngOf(t, 120, 60)
		if err := f.svc.SetLogo(f.ctx, bravo.ID, good[:len(good)-20], f.staffOf("bravo@agence.test")); !hasField(err, "logo") {
			t.Errorf("a truncated PNG: %v", err)
		}
		if err := f.svc.SetLogo(f.ctx, bravo.ID, append([]byte{}, make([]byte, network.MaxLogoSize+1)...), f.coord); !hasField(err, "logo") {
			t.Errorf("a logo over 500 KB: %v", err)
		}
		if err := f.svc.SetLogo(f.ctx, bravo.ID, good, f.staffOf("bravo@agence.test")); err != nil {
			t.Fatal(err)
		}
		logo, public, err := f.svc.Logo(f.ctx, bravo.ID, access.Visitor("192.0.2.1"))
		if err != nil || !public || logo.Type != "image/png" || !bytes.Equal(logo.Data, good) {
			t.Errorf("Bravo's logo for a visitor: %v %v %s", public, err, logo.Type)
		}
		if err := f.svc.SetLogo(f.ctx, alpha.ID, good, ref); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a former referent changed the logo: %v", err)
		}
		if err := f.svc.SetLogo(f.ctx, alpha.ID, good, bruno); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Logo(f.ctx, alpha.ID, access.Visitor("192.0.2.1")); access.CodeOf(err) != access.NotFound {
			t.Errorf("the logo of an unlisted member, for a visitor: %v", err)
		}
		if _, public, err := f.svc.Logo(f.ctx, alpha.ID, f.staffOf("bravo@agence.test")); err != nil || public {
			t.Errorf("the logo of an unlisted member, for another member: %v %v", public, err)
		}
		webp := []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x3f\xc0\x0e\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
		if kind, err := network.CheckLogo(webp); err != nil || kind != "image/webp" {
			t.Errorf("a lossless WebP of 64 × 60: %q %v", kind, err)
		}
	})
}
