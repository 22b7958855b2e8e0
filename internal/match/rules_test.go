package match_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/match/matchtest"
)

// baseRequest is a need in Lyon (69123, Métropole de Lyon, Rhône,
// Auvergne-Rhône-Alpes) for December 2026, 2 days a week.
func baseRequest() match.Request {
	return match.Request{
		Title: "Stratégie", Commune: "69123", Kind: match.KindMission,
		Skills: []match.SkillWant{
			{Code: "attractivite.strategie", MinLevel: 3, Required: true},
			{Code: "filieres.industrie", MinLevel: 2},
		},
		Start: date.MustParse("2026-12-01"), End: date.MustParse("2026-12-31"),
		DaysPerWeek: 2, MaxDailyRate: 650, Format: match.FormatOnsite, Languages: []string{"fr"},
	}
}

// baseExpert passes every constraint of baseRequest.
func baseExpert(id int64, ref string) match.Expert {
	return match.Expert{
		ID: id, Reference: ref, Status: "qualified", Commune: "69259",
		Skills:       []match.SkillLevel{{Code: "attractivite.strategie", Level: 3}, {Code: "filieres.industrie", Level: 2}},
		Zones:        []string{"dep:69"},
		Availability: []match.Period{{Start: date.MustParse("2026-11-01"), End: date.MustParse("2027-03-31"), DaysPerWeek: 2}},
		DailyRate:    600, UpdatedAt: matchtest.Now,
	}
}

// verdict ranks one expert for req and returns the reason they are
// excluded for, or Pass.
func verdict(t *testing.T, x match.Expert, req match.Request) match.Reason {
	t.Helper()
	e, err := match.New(geo.Default(), slices.Values([]match.Expert{x}), opts())
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Rank(ctx, req, 10)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := e.Explain(ctx, req, x.Reference)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range match.Reasons() {
		if res.Excluded.Get(r) == 1 {
			if ex.Failure == nil || ex.Failure.Reason != r {
				t.Fatalf("Rank excludes for %s, Explain says %+v", r, ex)
			}
			return r
		}
	}
	if len(res.Matches) != 1 || !ex.Eligible {
		t.Fatalf("neither excluded nor ranked: %+v", res)
	}
	return match.Pass
}

func TestRules(t *testing.T) {
	req := baseRequest()
	if got := verdict(t, baseExpert(1, "A"), req); got != match.Pass {
		t.Fatalf("base expert excluded for %s", got)
	}
	cases := []struct {
		name string
		x    func(*match.Expert)
		r    func(*match.Request)
		want match.Reason
	}{
		{"candidate", func(x *match.Expert) { x.Status = "candidate" }, nil, match.NotQualified},
		{"suspended before everything", func(x *match.Expert) { x.Status = "suspended"; x.Skills = nil; x.Zones = nil }, nil, match.NotQualified},
		{"required skill absent", func(x *match.Expert) { x.Skills = x.Skills[1:] }, nil, match.MissingSkill},
		{"required skill below level", func(x *match.Expert) { x.Skills[0].Level = 2 }, nil, match.MissingSkill},
		{"optional skill absent passes", func(x *match.Expert) { x.Skills = x.Skills[:1] }, nil, match.Pass},
		{"last day uncovered", func(x *match.Expert) { x.Availability[0].End = date.MustParse("2026-12-30") }, nil, match.Unavailable},
		{"first day uncovered", func(x *match.Expert) { x.Availability[0].Start = date.MustParse("2026-12-02") }, nil, match.Unavailable},
		{"window exactly covered", func(x *match.Expert) {
			x.Availability[0].Start, x.Availability[0].End = date.MustParse("2026-12-01"), date.MustParse("2026-12-31")
		}, nil, match.Pass},
		{"two adjacent periods cover", func(x *match.Expert) {
			x.Availability = []match.Period{{Start: date.MustParse("2026-12-16"), End: date.MustParse("2027-01-31"), DaysPerWeek: 3},
				{Start: date.MustParse("2026-11-01"), End: date.MustParse("2026-12-15"), DaysPerWeek: 2}}
		}, nil, match.Pass},
		{"a day gap between periods", func(x *match.Expert) {
			x.Availability = []match.Period{{Start: date.MustParse("2026-11-01"), End: date.MustParse("2026-12-14"), DaysPerWeek: 2},
				{Start: date.MustParse("2026-12-16"), End: date.MustParse("2027-01-31"), DaysPerWeek: 3}}
		}, nil, match.Unavailable},
		{"period at fewer days does not count", func(x *match.Expert) {
			x.Availability = append(x.Availability, match.Period{Start: date.MustParse("2026-12-01"), End: date.MustParse("2026-12-31"), DaysPerWeek: 1})
			x.Availability[0].End = date.MustParse("2026-12-20")
		}, nil, match.Unavailable},
		{"interim with 2 days needs 4", func(x *match.Expert) { x.Availability[0].DaysPerWeek = 3 }, func(r *match.Request) { r.Kind = match.KindInterim }, match.Unavailable},
		{"interim with 4 days available", func(x *match.Expert) { x.Availability[0].DaysPerWeek = 4 }, func(r *match.Request) { r.Kind = match.KindInterim }, match.Pass},
		{"commitment leaves too few days", func(x *match.Expert) {
			x.History.Commitments = []match.Commitment{{Start: date.MustParse("2026-12-20"), End: date.MustParse("2027-01-10"), DaysPerWeek: 1}}
		}, nil, match.Unavailable},
		{"commitment outside the window", func(x *match.Expert) {
			x.History.Commitments = []match.Commitment{{Start: date.MustParse("2027-01-20"), End: date.MustParse("2027-02-10"), DaysPerWeek: 2}}
		}, nil, match.Pass},
		{"zone given by region only", func(x *match.Expert) { x.Zones = []string{"reg:84"} }, nil, match.Pass},
		{"zone of another département", func(x *match.Expert) { x.Zones = []string{"dep:01", "reg:11"} }, nil, match.OutOfZone},
		{"national zone", func(x *match.Expert) { x.Zones = []string{"national"} }, nil, match.Pass},
		{"no zone", func(x *match.Expert) { x.Zones = nil }, nil, match.OutOfZone},
		{"remote ignores zones", func(x *match.Expert) { x.Zones = nil }, func(r *match.Request) { r.Format = match.FormatRemote }, match.Pass},
		{"hybrid keeps zones", func(x *match.Expert) { x.Zones = nil }, func(r *match.Request) { r.Format = match.FormatHybrid }, match.OutOfZone},
		{"Corse-du-Sud covers Ajaccio", func(x *match.Expert) { x.Zones = []string{"dep:2A"} }, func(r *match.Request) { r.Commune = "2A004" }, match.Pass},
		{"Haute-Corse does not cover Ajaccio", func(x *match.Expert) { x.Zones = []string{"dep:2B"} }, func(r *match.Request) { r.Commune = "2A004" }, match.OutOfZone},
		{"region Corse covers Bastia", func(x *match.Expert) { x.Zones = []string{"reg:94"} }, func(r *match.Request) { r.Commune = "2B033" }, match.Pass},
		{"Guadeloupe 971", func(x *match.Expert) { x.Zones = []string{"dep:971"} }, func(r *match.Request) { r.Commune = "97105" }, match.Pass},
		{"Martinique zone not Guadeloupe", func(x *match.Expert) { x.Zones = []string{"dep:972"} }, func(r *match.Request) { r.Commune = "97105" }, match.OutOfZone},
		{"Mayotte 976 by region", func(x *match.Expert) { x.Zones = []string{"reg:06"} }, func(r *match.Request) { r.Commune = "97611" }, match.Pass},
		{"national covers La Réunion", func(x *match.Expert) { x.Zones = []string{"national"} }, func(r *match.Request) { r.Commune = "97411" }, match.Pass},
		{"employer is the requester", func(x *match.Expert) { x.EmployerSIREN = "217401306" }, func(r *match.Request) { r.RequesterSIREN = "217401306" }, match.ConflictOfInterest},
		{"employer is the EPCI of the commune", func(x *match.Expert) { x.EmployerSIREN = epciOf(t, "69123") }, nil, match.ConflictOfInterest},
		{"employer is the commune", func(x *match.Expert) { x.EmployerSIREN = communeSIREN(t, "69123") }, nil, match.ConflictOfInterest},
		{"employer is the commune of an arrondissement", func(x *match.Expert) { x.EmployerSIREN = communeSIREN(t, "69123") }, func(r *match.Request) { r.Commune = "69381" }, match.ConflictOfInterest},
		{"declared conflict with the EPCI", func(x *match.Expert) { x.Conflicts = []string{epciOf(t, "69123")} }, nil, match.ConflictOfInterest},
		{"employer elsewhere", func(x *match.Expert) { x.EmployerSIREN = epciOf(t, "01053") }, nil, match.Pass},
		{"rate above the maximum", func(x *match.Expert) { x.DailyRate = 651 }, nil, match.RateTooHigh},
		{"rate at the maximum", func(x *match.Expert) { x.DailyRate = 650 }, nil, match.Pass},
		{"unknown rate passes", func(x *match.Expert) { x.DailyRate = 0 }, nil, match.Pass},
		{"no maximum", func(x *match.Expert) { x.DailyRate = 2000 }, func(r *match.Request) { r.MaxDailyRate = 0 }, match.Pass},
		{"no languages is French", func(x *match.Expert) { x.Languages = nil }, nil, match.Pass},
		{"no languages is not English", func(x *match.Expert) { x.Languages = nil }, func(r *match.Request) { r.Languages = []string{"fr", "en"} }, match.Language},
		{"need without languages wants French", func(x *match.Expert) { x.Languages = []string{"en"} }, func(r *match.Request) { r.Languages = nil }, match.Language},
		{"language nobody speaks", nil, func(r *match.Request) { r.Languages = []string{"eu"} }, match.Language},
		{"rate before language", func(x *match.Expert) { x.DailyRate = 900; x.Languages = []string{"de"} }, nil, match.RateTooHigh},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, r := baseExpert(1, "A"), baseRequest()
			x.Availability = slices.Clone(x.Availability)
			x.Skills = slices.Clone(x.Skills)
			if c.x != nil {
				c.x(&x)
			}
			if c.r != nil {
				c.r(&r)
			}
			if got := verdict(t, x, r); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}

func epciOf(t *testing.T, code string) string {
	c, ok := geo.Default().Commune(code)
	if !ok || c.EPCISIREN == "" {
		t.Fatalf("commune %s has no EPCI", code)
	}
	return c.EPCISIREN
}

func communeSIREN(t *testing.T, code string) string {
	c, ok := geo.Default().Commune(code)
	if !ok || c.SIREN == "" {
		t.Fatalf("commune %s has no SIREN", code)
	}
	return c.SIREN
}

// TestExplainDetails checks the structured and French explanations.
func TestExplainDetails(t *testing.T) {
	g := geo.Default()
	x := baseExpert(1, "A")
	x.Availability[0].End = date.MustParse("2026-12-30")
	y := baseExpert(2, "B")
	y.Skills[0].Level = 2
	z := baseExpert(3, "C")
	z.Zones = []string{"dep:01", "reg:11"}
	w := baseExpert(4, "D")
	w.EmployerSIREN = epciOf(t, "69123")
	e, _ := match.New(g, slices.Values([]match.Expert{x, y, z, w, baseExpert(5, "E")}), opts())
	req := baseRequest()
	ex, _ := e.Explain(ctx, req, "A")
	if f := ex.Failure; f == nil || f.Reason != match.Unavailable || f.Day.String() != "2026-12-31" || f.DaysPerWeek != 2 ||
		!strings.Contains(f.Message, "31 décembre 2026") {
		t.Fatalf("A: %+v", ex.Failure)
	}
	ex, _ = e.Explain(ctx, req, "B")
	if f := ex.Failure; f == nil || f.Skill != "attractivite.strategie" || f.Level != 2 || f.MinLevel != 3 || !strings.Contains(f.Message, "niveau 2") {
		t.Fatalf("B: %+v", ex.Failure)
	}
	ex, _ = e.Explain(ctx, req, "C")
	if f := ex.Failure; f == nil || !slices.Equal(f.Zones, []string{"dep:01", "reg:11"}) || f.Departement != "69" || f.Region != "84" || !strings.Contains(f.Message, "Rhône") {
		t.Fatalf("C: %+v", ex.Failure)
	}
	ex, _ = e.Explain(ctx, req, "D")
	if f := ex.Failure; f == nil || f.ConflictWith != "epci" || f.SIREN != epciOf(t, "69123") || f.Declared {
		t.Fatalf("D: %+v", ex.Failure)
	}
	ex, _ = e.Explain(ctx, req, "E")
	if !ex.Eligible || ex.Rank != 1 || ex.EligibleCount != 1 || len(ex.Reasons) != 8 || ex.Reasons[2].Text != "Réside dans la même intercommunalité" {
		t.Fatalf("E: %+v", ex)
	}
	if _, err := e.Explain(ctx, req, "nobody"); err == nil {
		t.Fatal("unknown reference explained")
	}
}

// TestJSONShape: every reason key is present, in order, and matches carry
// reference, score and components only.
func TestJSONShape(t *testing.T) {
	e, _ := match.New(geo.Default(), slices.Values([]match.Expert{baseExpert(1, "A")}), opts())
	res, _ := e.Rank(ctx, baseRequest(), 20)
	b, _ := json.Marshal(res)
	want := `{"matches":[{"reference":"A","score":`
	if !strings.HasPrefix(string(b), want) || !strings.HasSuffix(string(b),
		`"excluded":{"not_qualified":0,"missing_skill":0,"unavailable":0,"out_of_zone":0,"conflict_of_interest":0,"rate_too_high":0,"language":0}}`) ||
		!strings.Contains(string(b), `"components":{"skills":`) {
		t.Fatalf("JSON %s", b)
	}
	empty, _ := match.New(geo.Default(), slices.Values([]match.Expert(nil)), opts())
	res, _ = empty.Rank(ctx, baseRequest(), 20)
	if b, _ := json.Marshal(res); !strings.HasPrefix(string(b), `{"matches":[],`) {
		t.Fatalf("empty JSON %s", b)
	}
}

// TestTiesByReference: identical experts order by reference.
func TestTiesByReference(t *testing.T) {
	var xs []match.Expert
	for i, ref := range []string{"Z-9", "A-1", "M-5", "A-10"} {
		xs = append(xs, baseExpert(int64(i+1), ref))
	}
	e, _ := match.New(geo.Default(), slices.Values(xs), opts())
	res, _ := e.Rank(ctx, baseRequest(), 3)
	var got []string
	for _, m := range res.Matches {
		got = append(got, m.Reference)
	}
	if !slices.Equal(got, []string{"A-1", "A-10", "M-5"}) || res.Matches[0].Score != res.Matches[2].Score {
		t.Fatalf("ties: %v", got)
	}
}

func TestValidate(t *testing.T) {
	r := match.Request{Commune: "99999", Kind: "stage", DaysPerWeek: 6, Format: "partout", MaxDailyRate: -1,
		Start: date.MustParse("2027-01-02"), End: date.MustParse("2027-01-01"), RequesterSIREN: "12",
		Skills: []match.SkillWant{{Code: "a", MinLevel: 5}, {Code: "a", MinLevel: 1}}, Languages: []string{"FR"}}
	err := r.Validate(geo.Default())
	for _, f := range []string{"commune", "kind", "days_per_week", "format", "max_daily_rate", "end", "requester_siren",
		"skills[0].min_level", "skills[1].code", "languages[0]"} {
		if err == nil || !strings.Contains(err.Error(), f+" :") {
			t.Errorf("no error for %s in %v", f, err)
		}
	}
	good := baseRequest()
	if err := good.Validate(geo.Default()); err != nil {
		t.Fatal(err)
	}
	var back match.Request
	if err := json.Unmarshal([]byte(`{"title":"t","commune":"69123","requester_siren":"","kind":"mission",
		"skills":[{"code":"attractivite.strategie","min_level":3,"required":true}],"start":"2026-12-01","end":"2027-02-28",
		"days_per_week":2,"max_daily_rate":650,"format":"onsite","languages":["fr"]}`), &back); err != nil || back.Validate(geo.Default()) != nil ||
		back.End != date.MustParse("2027-02-28") || !back.Skills[0].Required {
		t.Fatalf("need JSON: %v %+v", err, back)
	}
}
