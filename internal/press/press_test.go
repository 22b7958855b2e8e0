package press_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/organisation"
	"vivier/internal/press"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func newService(db *store.DB) *press.Service {
	return press.New(press.Options{DB: db, Now: func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }})
}

// TestFiguresByScopeAndOutlet: the figures of a year, written by hand.
func TestFiguresByScopeAndOutlet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db)
		for _, m := range []struct {
			outlet string
			scope  press.Scope
			day    string
		}{
			{"Les Échos", press.National, "2026-01-15"}, {"Les Échos", press.National, "2026-05-02"}, {"Le Monde", press.National, "2026-06-30"},
			{"Ouest-France", press.Regional, "2026-03-03"}, {"La Gazette des communes", press.Trade, "2026-12-01"},
			{"Les Échos", press.National, "2025-12-31"}, // the year before
		} {
			if _, err := s.Create(ctx, press.Input{Outlet: m.outlet, Scope: m.scope, PublishedOn: date.MustParse(m.day), Title: "Article du " + m.day}, access.System); err != nil {
				t.Fatal(err)
			}
		}
		f, err := s.Figures(ctx, date.MustParse("2026-01-01"), date.MustParse("2026-12-31"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		if f.Total != 5 || f.Scope(press.National) != 3 || f.Scope(press.Regional) != 1 || f.Scope(press.Trade) != 1 {
			t.Errorf("figures %+v, want 5: 3 national, 1 regional, 1 trade", f.ByScope)
		}
		if got := f.ByOutlet[0]; got.Label != "Les Échos" || got.Value != 2 || len(f.ByOutlet) != 4 {
			t.Errorf("by outlet %+v, want Les Échos first with 2 of 4 outlets", f.ByOutlet)
		}
		// The same article twice is refused on its title.
		_, err = s.Create(ctx, press.Input{Outlet: "Le Monde", Scope: press.National, PublishedOn: date.MustParse("2026-06-30"), Title: "Article du 2026-06-30"}, access.System)
		if list, _ := valid.As(err); !list.Has("title") {
			t.Errorf("a duplicate article: %v", err)
		}
		// Nobody but staff reads them.
		if _, err := s.List(ctx, press.Filter{}, access.Actor{UserID: 1, Role: access.Member, Via: access.Session}); access.CodeOf(err) != access.Forbidden {
			t.Errorf("a member lists the press: %v", err)
		}
		if _, err := s.Get(ctx, f.Mentions[0].ID, access.Visitor("203.0.113.9")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a visitor reads a mention: %v", err)
		}
	})
}

func TestImportIsAllOrNothingWithLineAndColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db)
		agency, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence du Rhône", SIREN: "732829320"})
		if err != nil {
			t.Fatal(err)
		}
		bad := "Média;Portée;Date;Titre;Lien;Agences\n" +
			"Les Échos;nationale;2026-02-03;La fédération auditionnée;https://lesechos.fr/a;732829320\n" +
			"Ouest-France;locale;2026-02-30;;javascript:x;Agence inconnue\n" +
			"Le Monde;internationale;03/02/2026;" + strings.Repeat("Très long titre ", 40) + ";;\n"
		_, err = s.Import(ctx, strings.NewReader(bad), access.System)
		var ie *press.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("want an import error, got %v", err)
		}
		var got []string
		for _, e := range ie.Errors {
			got = append(got, e.Error())
		}
		for _, want := range []string{"ligne 3, colonne date", "ligne 3, colonne titre", "ligne 3, colonne lien", "ligne 3, colonne agences",
			"ligne 4, colonne portee", "ligne 4, colonne titre"} {
			if !strings.Contains(strings.Join(got, "\n"), want) {
				t.Errorf("errors lack %q:\n%s", want, strings.Join(got, "\n"))
			}
		}
		if l, _ := s.List(ctx, press.Filter{}, access.System); len(l) != 0 {
			t.Fatalf("a refused file wrote %d mentions", len(l))
		}
		// Hostile bytes refuse the whole file.
		_, err = s.Import(ctx, strings.NewReader("media;portee;date;titre\nLe Monde;nationale;2026-02-03;Un\x00titre\n"), access.System)
		if !errors.As(err, &ie) || !strings.Contains(ie.Error(), "binaire") {
			t.Errorf("a file with a NUL byte: %v", err)
		}
		good := "media,portee,date,titre,lien,agences\n" +
			"Les Échos,nationale,2026-02-03,La fédération auditionnée,https://lesechos.fr/a,Agence du Rhône\n" +
			"La Gazette des communes,spécialisée,15/03/2026,Les agences et l’ingénierie,,\n"
		rep, err := s.Import(ctx, strings.NewReader(good), access.System)
		if err != nil || rep.Created != 2 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		// Again, with one change: nothing counted twice.
		again := strings.Replace(good, "https://lesechos.fr/a", "https://lesechos.fr/b", 1)
		rep, err = s.Import(ctx, strings.NewReader(again), access.System)
		if err != nil || rep.Created != 0 || rep.Updated != 1 || rep.Unchanged != 1 {
			t.Fatalf("import again: %+v %v", rep, err)
		}
		l, _ := s.List(ctx, press.Filter{Scope: press.National}, access.System)
		if len(l) != 1 || l[0].URL != "https://lesechos.fr/b" || len(l[0].Agencies) != 1 || l[0].Agencies[0].ID != agency.ID {
			t.Errorf("imported %+v", l)
		}
	})
}
