package need

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var visitor = access.Actor{IP: "192.0.2.7"}

func input(commune, skillCode string, start, end string) Input {
	return Input{Title: "Relancer la zone d’activités", Description: "Requalifier la zone et accueillir des entreprises industrielles.",
		Commune: commune, Kind: Mission, Skills: []WantedSkill{{skillCode, 3, true}},
		Start: date.MustParse(start), End: date.MustParse(end), DaysPerWeek: 2, Format: Onsite}
}

func TestSubmitFromThePublicForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default(), BaseURL: "https://vivier.example"})
		in := input("01002", "entreprises.foncier", "2027-01-04", "2027-02-28")
		_, err := s.Submit(ctx, in, visitor)
		if errs, ok := valid.As(err); !ok || !errs.Has("contact.email") {
			t.Fatalf("submit without contact: %v", err)
		}
		in.Contact = &Contact{Name: "Jeanne Rivière", Email: "Mairie@Abergement.FR", Role: "maire"}
		sub, err := s.Submit(ctx, in, visitor)
		if err != nil {
			t.Fatal(err)
		}
		if sub.Email != "mairie@abergement.fr" || sub.CommuneName != "L'Abergement-de-Varey" {
			t.Errorf("submission %+v", sub)
		}
		n, err := s.Confirm(ctx, confirmationLink(t, db, "mairie@abergement.fr"), visitor)
		if err != nil {
			t.Fatal(err)
		}
		if n.Status != Submitted || n.RequesterName != "L'Abergement-de-Varey" || n.CommuneName != "L'Abergement-de-Varey" || n.Departement != "01" || len(n.Skills) != 1 {
			t.Errorf("need %+v", n)
		}
		msgs, err := mail.List(ctx, db, "", 10)
		if err != nil || len(msgs) != 2 {
			t.Fatalf("outbox %v %v", msgs, err)
		}
		m := msgs[0].Message
		if m.To != "mairie@abergement.fr" || !strings.Contains(m.Subject, "est bien reçu") || strings.Contains(m.Subject, "Relancer") ||
			!strings.Contains(m.Text, "4 janvier 2027") || !strings.Contains(m.Text, "https://vivier.example/besoins/") {
			t.Errorf("received %+v", m)
		}
		// On behalf of the EPCI.
		in.Requester = "epci"
		if _, err := s.Submit(ctx, in, visitor); err != nil {
			t.Fatal(err)
		}
		n, err = s.Confirm(ctx, confirmationLink(t, db, "mairie@abergement.fr"), visitor)
		if err != nil || n.RequesterSIREN != "240100883" {
			t.Errorf("EPCI requester %+v %v", n, err)
		}
	})
}

func TestTransitionsNeverSkipAStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		n, err := s.Create(ctx, input("01004", "entreprises.foncier", "2026-12-01", "2027-02-28"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Transition(ctx, n.ID, Proposed, "", access.System)
		if errs, ok := valid.As(err); !ok || !strings.Contains(errs.For("status"), "qualifiez d’abord") {
			t.Errorf("submitted → proposed: %v", err)
		}
		steps := []Status{Qualified, Proposed, Assigned}
		for _, st := range steps {
			if err := s.Transition(ctx, n.ID, st, "", access.System); err != nil {
				t.Fatalf("→ %s: %v", st, err)
			}
		}
		if err := s.Transition(ctx, n.ID, Cancelled, "trop tard", access.System); err == nil {
			t.Error("a closed need moved")
		}
		h, _ := s.History(ctx, n.ID, access.System)
		if len(h) != 4 || h[3].To != Assigned || h[0].From != "" {
			t.Errorf("history %+v", h)
		}
		if _, err := s.Get(ctx, 404, access.System); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing need: %v", err)
		}
	})
}

func TestListAndNearby(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		create := func(in Input) Need {
			n, err := s.Create(ctx, in, access.System)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		a := create(input("01004", "entreprises.foncier", "2026-12-01", "2027-02-28"))
		b := create(input("01002", "entreprises.foncier", "2027-01-15", "2027-04-30")) // same EPCI, overlaps
		create(input("01053", "entreprises.foncier", "2027-03-01", "2027-04-30"))      // same département, no overlap
		d := create(input("01053", "entreprises.foncier", "2027-02-01", "2027-02-10")) // same département, overlaps
		create(input("69123", "entreprises.foncier", "2026-12-01", "2027-02-28"))      // elsewhere
		create(input("01002", "filieres.tourisme", "2026-12-01", "2027-02-28"))        // no shared skill
		near, err := s.Nearby(ctx, a.ID, access.System)
		if err != nil {
			t.Fatal(err)
		}
		if len(near) != 2 || near[0].ID != b.ID || near[1].ID != d.ID {
			t.Errorf("nearby %v", ids(near))
		}
		page, err := s.List(ctx, Filter{Departement: "01", Text: "industriel", PageSize: 2}, access.System)
		if err != nil || page.Total != 5 || len(page.Needs) != 2 {
			t.Errorf("list %d %d %v", page.Total, len(page.Needs), err)
		}
		page, _ = s.List(ctx, Filter{Skill: "filieres.tourisme"}, access.System)
		if page.Total != 1 {
			t.Errorf("skill filter %d", page.Total)
		}
	})
}

func ids(list []Need) []int64 {
	var out []int64
	for _, n := range list {
		out = append(out, n.ID)
	}
	return out
}

func TestImportNeeds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		open := func(name string) *os.File {
			f, err := os.Open("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}
		ids, err := s.Import(ctx, open("needs.json"), 0, access.System)
		if err != nil || len(ids) != 2 {
			t.Fatalf("import %v %v", ids, err)
		}
		tests := []struct {
			file string
			want []string
		}{
			{"needs_errors.json", []string{"needs[1].title", "needs[1].commune", "needs[1].kind", "needs[1].skills[0].code",
				"needs[1].skills[1].min_level", "needs[1].end", "needs[1].days_per_week", "needs[1].format",
				"needs[2].skills[0].min_level", "needs[3].budget"}},
			{"needs_malformed.json", []string{"JSON mal formé ligne 3, colonne 24"}},
		}
		for _, tt := range tests {
			t.Run(tt.file, func(t *testing.T) {
				_, err := s.Import(ctx, open(tt.file), 0, access.System)
				var ie *ImportError
				if !errors.As(err, &ie) {
					t.Fatalf("want ImportError, got %v", err)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q: %v", w, err)
					}
				}
				page, _ := s.List(ctx, Filter{}, access.System)
				if page.Total != 2 {
					t.Errorf("%d needs after a refused file", page.Total)
				}
			})
		}
	})
}

func TestUpdateAndPreview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		n, err := s.Create(ctx, input("01004", "entreprises.foncier", "2026-12-01", "2027-02-28"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		in := input("01002", "filieres.tourisme", "2027-01-01", "2027-03-31")
		in.Title = "Stratégie touristique"
		u, err := s.Update(ctx, n.ID, in, access.System)
		if err != nil || u.Title != "Stratégie touristique" || u.Commune != "01002" || u.Skills[0].Code != "filieres.tourisme" || u.RequesterID != n.RequesterID {
			t.Fatalf("update %+v %v", u, err)
		}
		if p, _ := s.List(ctx, Filter{Text: "touristiques"}, access.System); p.Total != 1 {
			t.Error("the updated need is not found by its new words")
		}
		f, _ := os.Open("testdata/needs_errors.json")
		defer f.Close()
		needs, errs, err := s.Preview(ctx, f, 0, access.System)
		if err != nil || len(needs) != 4 || !errs.Has("needs[1].commune") || errs.Has("needs[0].title") {
			t.Errorf("preview %d %v %v", len(needs), errs, err)
		}
		if p, _ := s.List(ctx, Filter{}, access.System); p.Total != 1 {
			t.Errorf("preview wrote needs: %d", p.Total)
		}
		s.Transition(ctx, n.ID, Cancelled, "abandon", access.System)
		if _, err := s.Update(ctx, n.ID, in, access.System); err == nil {
			t.Error("a cancelled need was edited")
		}
	})
}
