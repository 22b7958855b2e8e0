package match_test

import (
	"errors"
	"slices"
	"testing"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
)

func TestMerge(t *testing.T) {
	a := baseRequest() // Lyon, 1–31 Dec, strategie ≥3 required, industrie ≥2 optional
	a.RequesterSIREN = "217401306"
	b := baseRequest()
	b.Title = "Industrie"
	b.Commune = "69259"
	b.RequesterSIREN = communeSIREN(t, "69259")
	b.Kind = match.KindInterim
	b.Start, b.End = date.MustParse("2026-12-10"), date.MustParse("2027-01-31")
	b.Skills = []match.SkillWant{{Code: "filieres.industrie", MinLevel: 3, Required: true}, {Code: "attractivite.strategie", MinLevel: 2}}
	b.DaysPerWeek, b.MaxDailyRate, b.Format, b.Languages = 1, 600, match.FormatRemote, []string{"en"}
	m, err := match.Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []match.SkillWant{{Code: "attractivite.strategie", MinLevel: 3, Required: true}, {Code: "filieres.industrie", MinLevel: 3, Required: true}}
	if !slices.Equal(m.Skills, want) || m.Start != b.Start || m.End != a.End || m.Kind != match.KindInterim || m.DaysPerWeek != 2 ||
		m.MaxDailyRate != 600 || m.Format != match.FormatOnsite || !slices.Equal(m.Languages, []string{"fr", "en"}) ||
		m.Commune != "69123" || len(m.Pooled) != 1 || m.Pooled[0].Commune != "69259" || m.Title != "Stratégie + Industrie" {
		t.Fatalf("merged %+v", m)
	}
	if a.Skills[1].Required {
		t.Fatal("Merge changed its input")
	}
	if err := m.Validate(geo.Default()); err != nil {
		t.Fatal(err)
	}
	// An expert employed by the second need's commune conflicts with the group.
	x := baseExpert(1, "A")
	x.EmployerSIREN = communeSIREN(t, "69259")
	x.Skills = []match.SkillLevel{{Code: "attractivite.strategie", Level: 4}, {Code: "filieres.industrie", Level: 4}}
	x.Availability[0].DaysPerWeek = 4
	if got := verdict(t, x, m); got != match.ConflictOfInterest {
		t.Fatalf("pooled requester: %s", got)
	}
	c := baseRequest()
	c.Start, c.End = date.MustParse("2027-02-01"), date.MustParse("2027-02-28")
	if _, err := match.Merge(a, b, c); !errors.Is(err, match.ErrNoCommonWindow) {
		t.Fatalf("disjoint windows: %v", err)
	}
}

func TestPool(t *testing.T) {
	g := geo.Default()
	need := match.OpenNeed{ID: 1, Request: baseRequest()} // Lyon
	mk := func(id int64, commune, skill string, required bool, start, end string) match.OpenNeed {
		r := baseRequest()
		r.Commune = commune
		r.Skills = []match.SkillWant{{Code: skill, MinLevel: 2, Required: required}}
		r.Start, r.End = date.MustParse(start), date.MustParse(end)
		return match.OpenNeed{ID: id, Request: r}
	}
	open := []match.OpenNeed{
		need,
		mk(2, "69259", "attractivite.strategie", true, "2026-12-20", "2027-01-20"),  // same EPCI
		mk(3, "69264", "attractivite.strategie", true, "2026-11-01", "2026-12-01"),  // same département (Villefranche-sur-Saône), last day overlaps
		mk(4, "01053", "attractivite.strategie", true, "2026-12-01", "2026-12-31"),  // another département
		mk(5, "69259", "attractivite.strategie", false, "2026-12-01", "2026-12-31"), // skill not required
		mk(6, "69259", "filieres.tourisme", true, "2026-12-01", "2026-12-31"),       // no shared skill
		mk(7, "69259", "attractivite.strategie", true, "2027-01-01", "2027-01-31"),  // no overlap
	}
	var got []int64
	for _, n := range match.Pool(g, need, open) {
		got = append(got, n.ID)
	}
	if !slices.Equal(got, []int64{2, 3}) {
		t.Fatalf("pool %v", got)
	}
}
