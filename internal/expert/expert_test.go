package expert

import (
	"context"
	"errors"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var coordinator = access.System

func ptr(n int) *int { return &n }

func sample(ref, last, email string) Profile {
	return Profile{
		Reference: ref, FirstName: "Élodie", LastName: last, Email: email, Phone: "+33 6 12 34 56 78",
		Employment: Mobilite, EmployerSIREN: "", Commune: "69123", Zones: []string{"dep:69", "reg:84"},
		Skills:       []SkillLevel{{"filieres.industrie", 4}, {"attractivite.strategie", 2}},
		Availability: []Period{{date.MustParse("2026-12-01"), date.MustParse("2027-03-31"), 3}},
		DailyRate:    ptr(650), ExperienceYears: ptr(12), Languages: []string{"fr", "en"},
		Bio: "Ancienne directrice d'agence, spécialiste de la réindustrialisation.",
	}
}

func TestCreateGetUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		p := sample("E1", "Émery", " Elodie.Emery@Example.FR ")
		e, err := s.Create(ctx, p, coordinator)
		if err != nil {
			t.Fatal(err)
		}
		if e.Email != "elodie.emery@example.fr" || e.Status != Candidate || len(e.Skills) != 2 || len(e.Zones) != 2 || len(e.Availability) != 1 {
			t.Fatalf("created %+v", e)
		}
		if e.Skills[0].Code != "attractivite.strategie" || *e.DailyRate != 650 || e.Languages[1] != "en" {
			t.Errorf("stored profile differs: %+v", e.Profile)
		}
		got, err := s.ByReference(ctx, "E1", access.System)
		if err != nil || got.ID != e.ID {
			t.Fatalf("ByReference: %v %v", got.ID, err)
		}
		p.Skills = []SkillLevel{{"filieres.energie", 3}}
		p.Reference = ""
		u, err := s.Update(ctx, e.ID, p, coordinator)
		if err != nil {
			t.Fatal(err)
		}
		if u.Reference != "E1" || len(u.Skills) != 1 || u.Skills[0].Code != "filieres.energie" || !u.UpdatedAt.After(e.UpdatedAt) && u.UpdatedAt != e.UpdatedAt {
			t.Errorf("updated %+v", u)
		}
		if _, err := s.Get(ctx, 999, access.System); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing expert: %v", err)
		}
		// A second expert may not take the same email.
		_, err = s.Create(ctx, sample("E2", "Autre", "elodie.emery@example.fr"), coordinator)
		if errs, ok := valid.As(err); !ok || !strings.Contains(errs.For("email"), "E1") {
			t.Errorf("duplicate email: %v", err)
		}
		// An empty reference is generated from the id.
		g, err := s.Create(ctx, sample("", "Sans", "sans@example.fr"), coordinator)
		if err != nil || !strings.HasPrefix(g.Reference, "EXP-") {
			t.Errorf("generated reference %q %v", g.Reference, err)
		}
	})
}

func TestValidationNamesEveryBadField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := New(Options{DB: db, Geo: geo.Default()})
		p := sample("E1", "", "not-an-email")
		p.Commune = "99999"
		p.Zones = []string{"dep:99"}
		p.Skills = []SkillLevel{{"filieres.inconnue", 2}, {"filieres.industrie", 7}}
		p.Availability = []Period{
			{date.MustParse("2027-01-01"), date.MustParse("2026-12-01"), 2},
			{date.MustParse("2027-02-01"), date.MustParse("2027-03-01"), 6},
			{date.MustParse("2027-04-01"), date.MustParse("2027-05-01"), 2},
			{date.MustParse("2027-04-15"), date.MustParse("2027-06-01"), 2},
		}
		p.EmployerSIREN = "123456789"
		p.DailyRate = ptr(0)
		_, err := s.Create(context.Background(), p, coordinator)
		errs, ok := valid.As(err)
		if !ok {
			t.Fatalf("want validation errors, got %v", err)
		}
		for _, field := range []string{"last_name", "email", "commune", "zones[0]", "skills[0].code", "skills[1].level",
			"availability[0].end", "availability[1].days_per_week", "availability[3].start", "employer_siren", "daily_rate"} {
			if !errs.Has(field) {
				t.Errorf("no error for %s in %v", field, errs)
			}
		}
		if !strings.Contains(errs.For("skills[1].level"), "niveau 7") {
			t.Errorf("level message: %q", errs.For("skills[1].level"))
		}
		var n int
		db.QueryRowContext(context.Background(), `SELECT count(*) FROM experts`).Scan(&n)
		if n != 0 {
			t.Errorf("%d experts written despite errors", n)
		}
	})
}

func TestStatusLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		e, err := s.Create(ctx, sample("E1", "Martin", "m@example.fr"), coordinator)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, e.ID, Suspended, "absent", coordinator); err == nil {
			t.Error("candidate → suspended accepted")
		}
		if err := s.SetStatus(ctx, e.ID, Qualified, "entretien le 3/11", coordinator); err != nil {
			t.Fatal(err)
		}
		err = s.SetStatus(ctx, e.ID, Archived, "", coordinator)
		if errs, ok := valid.As(err); !ok || !errs.Has("comment") {
			t.Errorf("archive without comment: %v", err)
		}
		if err := s.SetStatus(ctx, e.ID, Archived, "a quitté le réseau", coordinator); err != nil {
			t.Fatal(err)
		}
		h, err := s.History(ctx, e.ID, access.System)
		if err != nil || len(h) != 3 || h[1].To != Qualified || h[1].Comment != "entretien le 3/11" || h[2].From != Qualified {
			t.Fatalf("history %+v %v", h, err)
		}
		got, _ := s.Get(ctx, e.ID, access.System)
		if got.Status != Archived || got.ArchivedAt == nil {
			t.Errorf("archived expert: %+v", got)
		}
	})
}

func TestCV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		e, _ := s.Create(ctx, sample("E1", "Martin", "m@example.fr"), coordinator)
		if err := s.UploadCV(ctx, e.ID, "cv.exe", strings.NewReader("MZ not a pdf"), coordinator); err == nil {
			t.Error("non-PDF accepted")
		}
		big := strings.NewReader("%PDF-1.7\n" + strings.Repeat("x", MaxCVSize))
		if err := s.UploadCV(ctx, e.ID, "big.pdf", big, coordinator); err == nil || !strings.Contains(err.Error(), "5 Mo") {
			t.Errorf("6 MB CV: %v", err)
		}
		if err := s.UploadCV(ctx, e.ID, `C:\Users\x\Mon CV.pdf`, strings.NewReader("%PDF-1.7\nbody"), coordinator); err != nil {
			t.Fatal(err)
		}
		cv, err := s.CV(ctx, e.ID, access.System)
		if err != nil || cv.Filename != "Mon CV.pdf" || string(cv.Content) != "%PDF-1.7\nbody" {
			t.Errorf("CV %q %q %v", cv.Filename, cv.Content, err)
		}
		got, _ := s.Get(ctx, e.ID, access.System)
		if !got.HasCV {
			t.Error("HasCV false")
		}
	})
}
