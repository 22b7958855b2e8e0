package network_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/access/accesstest"
	"vivier/internal/network"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestImportMembers imports a members file: a bad file is refused whole
// with each line and column, a good one creates the members, their
// memberships and their referents' invitations, and importing it again
// updates them.
func TestImportMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-07-01")

		before := accesstest.Snapshot(t, db)
		_, err := f.svc.ImportMembers(f.ctx, open(t, "members_errors.csv"), f.coord)
		var ie *network.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("bad file: %v", err)
		}
		want := []struct {
			line   int
			column string
			text   string
		}{
			{2, "budget", "indiquez le budget annuel en euros"},
			{3, "siren", "clé de contrôle"},
			{3, "territoire", "aucun département n’a le code «\u00a099\u00a0»"},
			{4, "budget", "«\u00a0abc\u00a0» n’est pas un nombre"},
			{4, "territoire", "aucune commune"},
			{4, "themes", "thème «\u00a0cuisine\u00a0» inconnu"},
			{4, "siren", "déjà donné ligne 2"},
			{4, "email_referent", "déjà donnée ligne 2"},
		}
		for _, w := range want {
			found := false
			for _, e := range ie.Errors {
				found = found || e.Line == w.line && e.Column == w.column && strings.Contains(e.Message, w.text)
			}
			if !found {
				t.Errorf("no error line %d, column %s, saying %q: %v", w.line, w.column, w.text, ie.Errors)
			}
		}
		if after := accesstest.Snapshot(t, db); after != before {
			t.Error("a refused file wrote")
		}

		// A good file needs this year's schedule for its new members.
		_, err = f.svc.ImportMembers(f.ctx, open(t, "members.csv"), f.coord)
		if !errors.As(err, &ie) || !strings.Contains(ie.Errors[0].Message, "barème 2027") {
			t.Fatalf("import without a schedule: %v", err)
		}
		f.setSchedules(2027)
		before = accesstest.Snapshot(t, db)
		preview, err := f.svc.PreviewMembers(f.ctx, open(t, "members.csv"), f.coord)
		if err != nil || preview.Created != 3 || preview.Updated != 0 || len(preview.Rows) != 3 {
			t.Fatalf("preview: %+v %v", preview, err)
		}
		if after := accesstest.Snapshot(t, db); after != before {
			t.Error("the preview wrote")
		}
		rep, err := f.svc.ImportMembers(f.ctx, open(t, "members.csv"), f.coord)
		if err != nil || rep.Created != 3 || rep.Invited != 3 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		dir, err := f.svc.Directory(f.ctx, network.DirectoryFilter{}, f.coord)
		if err != nil || len(dir) != 3 {
			t.Fatalf("directory after the import: %+v %v", dir, err)
		}
		byName := map[string]network.Member{}
		for _, m := range dir {
			byName[m.Name] = m
		}
		loire := byName["Agence d’attractivité de la Loire"]
		if loire.Basis != 1_250_000 || !loire.Listed || loire.JoinedYear != 2019 || strings.Join(loire.Territory, "|") != "dep:42" ||
			strings.Join(loire.Themes, "|") != "attractivite|filieres" || loire.Website != "https://loire.example.fr" {
			t.Errorf("Loire: %+v", loire)
		}
		lyon := byName["Métropole de Lyon"]
		if lyon.Kind != "epci" || lyon.Basis != 1_400_000 {
			t.Errorf("Lyon: %+v", lyon)
		}
		for name, want := range map[string]int64{"Agence d’attractivité de la Loire": 4_000, "Agence Nouvelle": 1_500, "Métropole de Lyon": 35_000} {
			if m := f.membership(byName[name].ID, 2027); m.Fee != want || m.Status != network.Invited {
				t.Errorf("%s: fee %d (%s), want %d", name, m.Fee, m.Formula, want)
			}
		}
		if n := len(f.emails("")); n != 3 {
			t.Errorf("%d invitations, want 3", n)
		}
		v, err := f.svc.Member(f.ctx, loire.ID, f.coord)
		if err != nil || len(v.Staff) != 1 || !v.Staff[0].Referent || v.Staff[0].Name != "Claire Dumas" {
			t.Errorf("Loire's staff: %+v %v", v.Staff, err)
		}

		// Again: the same members are updated, nobody is invited twice.
		if rep, err = f.svc.ImportMembers(f.ctx, open(t, "members.csv"), f.coord); err != nil || rep.Created != 0 || rep.Updated != 3 || rep.Invited != 0 {
			t.Errorf("import again: %+v %v", rep, err)
		}
		if n := len(f.emails("")); n != 3 {
			t.Errorf("%d emails after importing again, want 3", n)
		}
		if _, err := f.svc.ImportMembers(f.ctx, open(t, "members.csv"), f.staffOf("direction@loire.test")); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member imported: %v", err)
		}
	})
}

// TestImportRefusesHostileFiles refuses files that are not tables, with a
// message and nothing written.
func TestImportRefusesHostileFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-07-01")
		f.setSchedules(2027)
		for name, content := range map[string]string{
			"binary":         "organisation,siren\x00\x01\x02",
			"empty":          "",
			"no data":        "organisation,siren,email_referent,budget\n",
			"unknown column": "organisation,siren,email_referent,budget,couleur\nA,732829320,a@b.fr,1,rouge\n",
			"invalid UTF-8 read as Windows-1252 with a control": "organisation,siren,email_referent,budget\nA\x81\x07,732829320,a@b.fr,1\n",
			"absurd budget": "organisation,siren,email_referent,budget\nA,732829320,a@b.fr,99999999999999999999\n",
		} {
			t.Run(name, func(t *testing.T) {
				_, err := f.svc.ImportMembers(f.ctx, strings.NewReader(content), f.coord)
				var ie *network.ImportError
				if !errors.As(err, &ie) || len(ie.Errors) == 0 || ie.Errors[0].Message == "" {
					t.Errorf("%s: %v", name, err)
				}
			})
		}
		huge := strings.NewReader("organisation,siren,email_referent,budget\n" + strings.Repeat("A,732829320,a@b.fr,1\n", network.MaxImportSize/20))
		if _, err := f.svc.ImportMembers(f.ctx, huge, f.coord); err == nil || !strings.Contains(err.Error(), "dépasse") {
			t.Errorf("a huge file: %v", err)
		}
		if n := f.auditCount("network.members_imported"); n != 0 {
			t.Errorf("%d imports recorded", n)
		}
	})
}
