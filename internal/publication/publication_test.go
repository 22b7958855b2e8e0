package publication_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/organisation"
	"vivier/internal/publication"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is a movable clock for the days of downloads.
type clock struct{ at time.Time }

func (c *clock) now() time.Time { return c.at }

func newService(t *testing.T, db *store.DB) (*publication.Service, *clock) {
	t.Helper()
	c := &clock{at: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	return publication.New(publication.Options{DB: db, Now: c.now}), c
}

func pdfFile(name string) *publication.Upload {
	return &publication.Upload{Name: name, Content: []byte("%PDF-1.4 guide")}
}

func TestCreateSearchAndAudiences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		partner, err := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Partenaire, Name: "Réseau électrique national"})
		if err != nil {
			t.Fatal(err)
		}
		guide, err := s.Create(ctx, publication.Input{Title: "Guide de la réindustrialisation des territoires", Kind: publication.Guide,
			Summary: "Comment accueillir des **entreprises industrielles** dans les petites communes.", PublishedOn: date.MustParse("2026-02-01"),
			Themes: []string{"filieres", "entreprises", "filieres"}, CoAuthors: []int64{partner.ID}}, pdfFile("guide.pdf"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		if guide.Audience != publication.Public || !guide.HasFile() || len(guide.Themes) != 2 || len(guide.Partners()) != 1 {
			t.Fatalf("created %+v", guide)
		}
		if _, err := s.Create(ctx, publication.Input{Title: "Note aux adhérents sur l’énergie", Kind: publication.Note,
			PublishedOn: date.MustParse("2026-02-15"), Audience: publication.Members, Themes: []string{"filieres"}}, nil, access.System); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Create(ctx, publication.Input{Title: "Replay du webinaire tourisme", Kind: publication.Replay,
			PublishedOn: date.MustParse("2025-11-02"), Link: "https://video.exemple.fr/replay"}, nil, access.System); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name  string
			f     publication.Filter
			actor access.Actor
			want  []string
		}{
			{"an adjective finds its noun", publication.Filter{Text: "industriel"}, access.Visitor("203.0.113.1"), []string{"Guide de la réindustrialisation des territoires"}},
			{"a co-author's name", publication.Filter{Text: "électrique"}, access.Visitor("203.0.113.1"), []string{"Guide de la réindustrialisation des territoires"}},
			{"members only are closed to visitors", publication.Filter{Theme: "filieres"}, access.Visitor("203.0.113.1"), []string{"Guide de la réindustrialisation des territoires"}},
			{"members read them", publication.Filter{Theme: "filieres"}, access.Actor{UserID: 9, Role: access.Member, Via: access.Session}, []string{"Note aux adhérents sur l’énergie", "Guide de la réindustrialisation des territoires"}},
			{"by year", publication.Filter{Year: 2025}, access.System, []string{"Replay du webinaire tourisme"}},
			{"by kind", publication.Filter{Kind: publication.Note}, access.System, []string{"Note aux adhérents sur l’énergie"}},
			{"stop words only do not filter", publication.Filter{Text: "de la"}, access.Visitor("203.0.113.1"), []string{"Guide de la réindustrialisation des territoires", "Replay du webinaire tourisme"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				l, err := s.List(ctx, tt.f, tt.actor)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range l.Publications {
					got = append(got, p.Title)
				}
				if strings.Join(got, "|") != strings.Join(tt.want, "|") || l.Total != len(tt.want) {
					t.Errorf("got %q (total %d), want %q", got, l.Total, tt.want)
				}
			})
		}
		// A members-only publication does not exist for an expert.
		l, _ := s.List(ctx, publication.Filter{Kind: publication.Note}, access.System)
		note := l.Publications[0]
		if _, err := s.Get(ctx, note.ID, access.Actor{UserID: 3, Role: access.Expert, Via: access.Session}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an expert reads a members-only note: %v", err)
		}
		if _, err := s.Download(ctx, note.ID, "Mozilla/5.0", access.Visitor("203.0.113.1")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a visitor downloads a members-only note: %v", err)
		}
	})
}

func TestValidationNamesEveryField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		before := count(t, db, "publications")
		_, err := s.Create(ctx, publication.Input{Title: "Titre\x00caché", Kind: "livre", Summary: string([]byte{0xff, 0xfe}),
			PublishedOn: date.MustParse("1850-01-01"), Audience: "tous", Link: "javascript:alert(1)", Themes: []string{"cuisine"},
			CoAuthors: []int64{999999}}, &publication.Upload{Name: "virus.pdf", Content: []byte("MZ\x90\x00")}, access.System)
		list, ok := valid.As(err)
		if !ok {
			t.Fatalf("want field errors, got %v", err)
		}
		want := []string{"title", "kind", "summary", "published_on", "audience", "link", "themes", "co_authors", "file"}
		var got []string
		for _, e := range list {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("fields %v, want %v (%v)", got, want, err)
		}
		if after := count(t, db, "publications"); after != before {
			t.Errorf("a refused publication was written")
		}
		// A file and a link at once are refused.
		_, err = s.Create(ctx, publication.Input{Title: "Les deux", Kind: publication.Guide, PublishedOn: date.MustParse("2026-01-01"),
			Link: "https://exemple.fr/guide"}, pdfFile("g.pdf"), access.System)
		if list, _ := valid.As(err); !list.Has("link") {
			t.Errorf("a file and a link: %v", err)
		}
	})
}

func TestUpdateWithoutChangeWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		in := publication.Input{Title: "Étude sur les zones d’activités", Kind: publication.Study, PublishedOn: date.MustParse("2026-01-20"), Themes: []string{"entreprises"}}
		p, err := s.Create(ctx, in, nil, access.System)
		if err != nil {
			t.Fatal(err)
		}
		audits := count(t, db, "audit_log")
		if _, err := s.Update(ctx, p.ID, in, nil, false, access.System); err != nil {
			t.Fatal(err)
		}
		if got := count(t, db, "audit_log"); got != audits {
			t.Errorf("an update without change was audited")
		}
		in.Title = "Étude sur le foncier économique"
		if u, err := s.Update(ctx, p.ID, in, pdfFile("etude.pdf"), false, access.System); err != nil || u.Title != in.Title || !u.HasFile() {
			t.Fatalf("update: %+v %v", u, err)
		}
		if got := count(t, db, "audit_log"); got != audits+1 {
			t.Errorf("audit entries %d, want %d", got, audits+1)
		}
		// The search follows the new title.
		l, err := s.List(ctx, publication.Filter{Text: "foncier"}, access.System)
		if err != nil || l.Total != 1 {
			t.Errorf("search after update: %+v %v", l, err)
		}
	})
}

// TestDownloadsAreCountedOncePerVisitorAndDay: the same visitor counts
// once a day, automation agents never, and the visitors of a day are
// forgotten the next day while the counts stay.
func TestDownloadsAreCountedOncePerVisitorAndDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, c := newService(t, db)
		p, err := s.Create(ctx, publication.Input{Title: "Guide", Kind: publication.Guide, PublishedOn: date.MustParse("2026-01-01")}, pdfFile("g.pdf"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		firefox := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
		for _, d := range []struct {
			ip, ua string
		}{
			{"203.0.113.1", firefox}, {"203.0.113.1", firefox}, // the same visitor twice
			{"203.0.113.2", firefox}, // another visitor
			{"203.0.113.3", "curl/8.5.0"}, {"203.0.113.4", "Mozilla/5.0 (compatible; Googlebot/2.1)"},
			{"203.0.113.5", "Mozilla/5.0 (X11) HeadlessChrome/131.0"}, {"203.0.113.6", ""}, {"203.0.113.7", "python-requests/2.32"},
		} {
			got, err := s.Download(ctx, p.ID, d.ua, access.Visitor(d.ip))
			if err != nil || got.CountErr != nil || string(got.Content) != "%PDF-1.4 guide" {
				t.Fatalf("download by %s: %v %v", d.ua, err, got.CountErr)
			}
		}
		if p, _ = s.Get(ctx, p.ID, access.System); p.Downloads != 2 {
			t.Errorf("downloads %d, want 2 (two people, automation left out)", p.Downloads)
		}
		if n := count(t, db, "publication_visitors"); n != 2 {
			t.Errorf("visitors kept today %d, want 2", n)
		}
		// The next day: the same visitor counts again, yesterday's visitors
		// and salt are gone.
		c.at = c.at.Add(24 * time.Hour)
		if _, err := s.Download(ctx, p.ID, firefox, access.Visitor("203.0.113.1")); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "publication_visitors"); n != 1 {
			t.Errorf("visitors kept after a day %d, want 1 (today's)", n)
		}
		if n := count(t, db, "download_salts"); n != 1 {
			t.Errorf("salts kept %d, want 1", n)
		}
		byDay, err := s.Downloads(ctx, date.MustParse("2026-03-10"), date.MustParse("2026-03-10"), access.System)
		if err != nil || byDay[p.ID] != 2 {
			t.Errorf("downloads of the first day %v %v, want 2", byDay, err)
		}
		c.at = c.at.Add(24 * time.Hour)
		if err := s.ForgetVisitors(ctx, access.System); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "publication_visitors") + count(t, db, "download_salts"); n != 0 {
			t.Errorf("the job left %d rows of past days", n)
		}
		if p, _ = s.Get(ctx, p.ID, access.System); p.Downloads != 3 {
			t.Errorf("downloads %d, want 3: counts stay", p.Downloads)
		}
	})
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
