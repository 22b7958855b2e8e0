package expert

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// pool is a small pool where each expert differs in one way that a filter
// or a search picks out.
func pool(t *testing.T, s *Service) {
	t.Helper()
	d := date.MustParse
	experts := []Profile{
		{Reference: "A", FirstName: "Élodie", LastName: "Émery", Email: "a@x.fr", Commune: "69123", Zones: []string{"dep:69"},
			Skills: []SkillLevel{{"filieres.industrie", 4}}, DailyRate: ptr(800), ExperienceYears: ptr(20),
			Availability: []Period{{d("2026-12-01"), d("2026-12-31"), 3}, {d("2027-01-01"), d("2027-03-31"), 2}},
			Bio:          "Réindustrialisation de friches, relations avec les industriels."},
		{Reference: "B", FirstName: "Bruno", LastName: "arnaud", Email: "b@x.fr", Commune: "13055", Zones: []string{"reg:93"},
			Skills: []SkillLevel{{"filieres.tourisme", 3}, {"filieres.industrie", 2}}, DailyRate: ptr(450), ExperienceYears: ptr(5),
			Availability: []Period{{d("2026-11-01"), d("2027-06-30"), 5}},
			Bio:          "Stratégie touristique des territoires de montagne."},
		{Reference: "C", FirstName: "Chloé", LastName: "Zidane", Email: "c@x.fr", Commune: "35238", Zones: []string{"national"},
			Skills: []SkillLevel{{"strategie.fonds_europeens", 4}}, ExperienceYears: ptr(30),
			Bio: "Fonds européens FEDER et LEADER pour les communes rurales."},
		{Reference: "D", FirstName: "Denis", LastName: "Ébrard", Email: "d@x.fr", Commune: "69381", Zones: []string{"dep:01", "dep:38"},
			Skills: []SkillLevel{{"entreprises.commerce", 3}}, DailyRate: ptr(600),
			Bio: "Revitalisation commerciale des centres-bourgs."},
	}
	for _, p := range experts {
		if _, err := s.Create(context.Background(), p, coordinator); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := s.ByReference(context.Background(), "B", access.System)
	if err := s.SetStatus(context.Background(), b.ID, Qualified, "", coordinator); err != nil {
		t.Fatal(err)
	}
}

func refs(p Page) string {
	var out []string
	for _, e := range p.Experts {
		out = append(out, e.Reference)
	}
	return strings.Join(out, ",")
}

// TestListFiltersAndSearchAreTheSameOnBothEngines runs one table on SQLite
// and PostgreSQL: the same filters and French queries give the same experts
// in the same order.
func TestListFiltersAndSearchAreTheSameOnBothEngines(t *testing.T) {
	d := date.MustParse
	tests := []struct {
		name   string
		filter Filter
		want   string
	}{
		{"all by name, accents ignored", Filter{}, "B,D,A,C"},
		{"by rate, none last", Filter{Sort: ByRate}, "B,D,A,C"},
		{"by experience", Filter{Sort: ByExperience}, "C,A,B,D"},
		{"skill at any level", Filter{Skill: "filieres.industrie"}, "B,A"},
		{"skill at level 3", Filter{Skill: "filieres.industrie", MinLevel: 3}, "A"},
		{"zone département: own, region, national", Filter{Zone: "dep:13"}, "B,C"},
		{"zone département of Lyon", Filter{Zone: "dep:69"}, "A,C"},
		{"zone region: any of its départements", Filter{Zone: "reg:84"}, "D,A,C"},
		{"status", Filter{Status: Qualified}, "B"},
		{"home département (arrondissement counts)", Filter{HomeDepartement: "69"}, "D,A"},
		{"available across two adjacent periods", Filter{AvailableFrom: d("2026-12-15"), AvailableTo: d("2027-01-15"), DaysPerWeek: 2}, "B,A"},
		{"not enough days in the second period", Filter{AvailableFrom: d("2026-12-15"), AvailableTo: d("2027-01-15"), DaysPerWeek: 3}, "B"},
		{"window longer than the periods", Filter{AvailableFrom: d("2026-12-15"), AvailableTo: d("2027-04-15")}, "B"},
		{"search: adjective finds noun in bio and skill label", Filter{Text: "industriels"}, "B,A"},
		{"search: bio word", Filter{Text: "friche"}, "A"},
		{"search: noun finds adjective, case and accents", Filter{Text: "TOURISME"}, "B"},
		{"search: stem of skill label", Filter{Text: "européens"}, "C"},
		{"search: several words all required", Filter{Text: "fonds montagne"}, ""},
		{"search: masculine plural finds feminine", Filter{Text: "fonds ruraux"}, "C"},
		{"search: several words", Filter{Text: "fonds rurales"}, "C"},
		{"search: home commune name", Filter{Text: "rennes"}, "C"},
		{"search: name without accent", Filter{Text: "emery"}, "A"},
		{"search: stop words only", Filter{Text: "de la"}, "B,D,A,C"},
		{"search and filter", Filter{Text: "industriel", Skill: "filieres.tourisme"}, "B"},
		{"page 2 of size 3", Filter{PageSize: 3, Page: 2}, "C"},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := New(Options{DB: db, Geo: geo.Default()})
		pool(t, s)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := s.List(context.Background(), tt.filter, access.System)
				if err != nil {
					t.Fatal(err)
				}
				if got := refs(p); got != tt.want {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			})
		}
		p, _ := s.List(context.Background(), Filter{PageSize: 3}, access.System)
		if p.Total != 4 || p.Pages() != 2 || len(p.Experts[0].Skills) == 0 {
			t.Errorf("page %+v", p)
		}
		if _, err := s.List(context.Background(), Filter{PageSize: 101}, access.System); err == nil {
			t.Error("page size 101 accepted")
		}
		if _, err := s.List(context.Background(), Filter{Zone: "dep:99"}, access.System); err == nil {
			t.Error("zone dep:99 accepted")
		}
	})
}

func TestAnonymiseAndPersonalData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		pool(t, s)
		a, _ := s.ByReference(ctx, "A", access.System)
		s.UploadCV(ctx, a.ID, "cv.pdf", strings.NewReader("%PDF-1.4 x"), coordinator)
		var userID int64
		now := time.Now().UTC()
		if err := db.QueryRowContext(ctx, `INSERT INTO users (email, name, role, created_at, updated_at) VALUES ('a@x.fr', 'Élodie Émery', 'expert', $1, $1) RETURNING id`, now).Scan(&userID); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkUser(ctx, a.ID, userID, coordinator); err != nil {
			t.Fatal(err)
		}
		section, data, err := Privacy{}.ExportPerson(ctx, db, userID)
		pd, ok := data.(PersonData)
		if err != nil || section != "expert" || !ok || pd.Expert.Email != "a@x.fr" || pd.CV == nil || len(pd.History) != 1 {
			t.Fatalf("export %q %+v %v", section, data, err)
		}
		err = db.Tx(ctx, func(tx *sql.Tx) error { return Privacy{}.ErasePerson(ctx, tx, userID) })
		if err != nil {
			t.Fatal(err)
		}
		e, _ := s.Get(ctx, a.ID, access.System)
		if e.LastName != "Expert anonymisé n°"+itoa(a.ID) || e.Email == "a@x.fr" || e.Bio != "" || e.Commune != "" || e.HasCV || e.UserID != 0 ||
			e.Status != Archived || len(e.Skills) != 1 || *e.DailyRate != 800 {
			t.Errorf("anonymised %+v", e)
		}
		if p, _ := s.List(ctx, Filter{Text: "friches"}, access.System); p.Total != 0 {
			t.Error("the erased bio is still searchable")
		}
		if _, data, _ := (Privacy{}).ExportPerson(ctx, db, userID); data != nil {
			t.Errorf("erased person still exported: %+v", data)
		}
		// Archived long ago, without account: anonymised by the daily job.
		c, _ := s.ByReference(ctx, "C", access.System)
		s.SetStatus(ctx, c.ID, Archived, "départ", coordinator)
		n, err := s.AnonymiseExpired(ctx, time.Now().Add(DefaultRetention-time.Hour), DefaultRetention, access.System)
		if err != nil || n != 0 {
			t.Errorf("too early: %d %v", n, err)
		}
		n, err = s.AnonymiseExpired(ctx, time.Now().Add(DefaultRetention+time.Hour), DefaultRetention, access.System)
		if err != nil || n != 1 {
			t.Errorf("expired: %d %v", n, err)
		}
		c, _ = s.Get(ctx, c.ID, access.System)
		if !strings.HasPrefix(c.LastName, "Expert anonymisé") {
			t.Errorf("C not anonymised: %q", c.LastName)
		}
		var entries int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'expert.anonymise'`).Scan(&entries)
		if entries != 2 {
			t.Errorf("%d anonymise entries in the audit log", entries)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestListCountsUpToALimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := New(Options{DB: db, Geo: geo.Default()})
		pool(t, s)
		all, err := s.List(context.Background(), Filter{}, access.System)
		if err != nil || all.Total < 3 || all.More {
			t.Fatalf("exact count: %+v %v", all.Total, err)
		}
		capped, err := s.List(context.Background(), Filter{CountUpTo: 2, PageSize: 1}, access.System)
		if err != nil || capped.Total != 2 || !capped.More || len(capped.Experts) != 1 {
			t.Errorf("count up to 2 of %d: total %d, more %v, %v", all.Total, capped.Total, capped.More, err)
		}
		// A broad filter (probed) and a selective one (through the sets)
		// list the same experts, in the same order, as without a limit.
		d := date.MustParse
		for _, f := range []Filter{
			{Skill: "filieres.industrie"},
			{Zone: "dep:69"},
			{AvailableFrom: d("2026-12-15"), AvailableTo: d("2027-01-15"), DaysPerWeek: 2},
			{Skill: "filieres.industrie", Zone: "reg:84", Sort: ByRate},
		} {
			exact, err := s.List(context.Background(), f, access.System)
			if err != nil {
				t.Fatal(err)
			}
			for _, limit := range []int{1, 100} {
				f.CountUpTo = limit
				got, err := s.List(context.Background(), f, access.System)
				if err != nil || refs(got) != refs(exact) || got.More != (exact.Total > limit) || got.Total != min(exact.Total, limit) {
					t.Errorf("%+v: %s (total %d, more %v), want %s (total %d); %v", f, refs(got), got.Total, got.More, refs(exact), exact.Total, err)
				}
			}
		}
		wide, err := s.List(context.Background(), Filter{CountUpTo: all.Total}, access.System)
		if err != nil || wide.Total != all.Total || wide.More {
			t.Errorf("count up to the exact total: %d, more %v", wide.Total, wide.More)
		}
	})
}
