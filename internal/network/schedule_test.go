package network

import (
	"strings"
	"testing"

	"vivier/internal/date"
	"vivier/internal/valid"
)

func amount(n int64) *int64 { return &n }

// testSchedule is a schedule of 2027 with fixed bands on budgets, a rate
// band with a floor and a cap, and population bands.
func testSchedule() Schedule {
	return Schedule{Year: 2027, Bands: []Band{
		{Basis: Budget, From: 0, To: 1_000_000, Fixed: amount(1_500)},
		{Basis: Budget, From: 1_000_000, To: 3_000_000, Fixed: amount(4_000)},
		{Basis: Budget, From: 3_000_000, To: 0, Base: 2_000, RatePPM: 1_000, Floor: 5_500, Cap: 10_000},
		{Basis: Population, From: 0, To: 50_000, Base: 500, RatePPM: 50_000},
		{Basis: Population, From: 50_000, To: 0, Fixed: amount(8_000)},
	}}
}

func TestFeeOnBandEdges(t *testing.T) {
	s := testSchedule()
	if err := s.Validate(); err != nil {
		t.Fatalf("the test schedule is refused: %v", err)
	}
	tests := []struct {
		name   string
		basis  BasisKind
		value  int64
		joined date.Date
		want   int64
		// formula is a fragment the formula must hold.
		formula string
	}{
		{"nothing declared is the first band", Budget, 0, date.Date{}, 1_500, "tranche 0–1\u00a0M€ → 1\u202f500\u00a0€"},
		{"one euro below the bound stays in the lower band", Budget, 999_999, date.Date{}, 1_500, "tranche 0–1\u00a0M€"},
		{"exactly at the bound is the upper band", Budget, 1_000_000, date.Date{}, 4_000, "tranche 1–3\u00a0M€"},
		{"the issue's example", Budget, 1_250_000, date.Date{}, 4_000, "budget 1\u202f250\u202f000\u00a0€ → tranche 1–3\u00a0M€ → 4\u202f000\u00a0€"},
		{"one euro below the next bound", Budget, 2_999_999, date.Date{}, 4_000, "tranche 1–3\u00a0M€"},
		{"exactly at the open band's bound: base + rate under the floor is raised", Budget, 3_000_000, date.Date{}, 5_500,
			"2\u202f000\u00a0€ + 0,1\u00a0% × 3\u202f000\u202f000\u00a0€ = 5\u202f000\u00a0€, relevé au plancher de 5\u202f500\u00a0€"},
		{"base + rate between floor and cap", Budget, 4_500_000, date.Date{}, 6_500, "= 6\u202f500\u00a0€"},
		{"the rate rounds to the nearest euro, half up", Budget, 4_500_500, date.Date{}, 6_501, "= 6\u202f501\u00a0€"},
		{"base + rate over the cap is lowered", Budget, 20_000_000, date.Date{}, 10_000, "ramené au plafond de 10\u202f000\u00a0€"},
		{"a collectivité pays on its population", Population, 12_500, date.Date{}, 1_125, "population 12\u202f500 habitants → tranche 0–50\u202f000\u00a0habitants"},
		{"population exactly at the bound", Population, 50_000, date.Date{}, 8_000, "tranche 50\u202f000\u00a0habitants et plus"},
		{"population one below the bound", Population, 49_999, date.Date{}, 3_000, "= 3\u202f000\u00a0€"},
		{"joining in the first quarter pays the whole year", Budget, 1_250_000, date.MustParse("2027-03-31"), 4_000, "→ 4\u202f000\u00a0€"},
		{"joining in April pays three quarters", Budget, 1_250_000, date.MustParse("2027-04-01"), 3_000, "3 trimestres sur 4 → 3\u202f000\u00a0€"},
		{"joining in July pays two quarters", Budget, 1_250_000, date.MustParse("2027-07-14"), 2_000, "adhésion le 14 juillet 2027 : 2 trimestres sur 4"},
		{"joining in December pays one quarter", Budget, 1_250_000, date.MustParse("2027-12-31"), 1_000, "1 trimestre sur 4 → 1\u202f000\u00a0€"},
		{"proration rounds to the nearest euro", Budget, 4_500_500, date.MustParse("2027-11-02"), 1_625, "1 trimestre sur 4 → 1\u202f625\u00a0€"},
		{"proration applies after the cap", Budget, 20_000_000, date.MustParse("2027-08-01"), 5_000, "ramené au plafond de 10\u202f000\u00a0€ ; adhésion"},
		{"joining another year than the schedule's is no proration", Budget, 1_250_000, date.MustParse("2026-10-01"), 4_000, "→ 4\u202f000\u00a0€"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := s.Compute(tt.basis, tt.value, tt.joined)
			if err != nil {
				t.Fatal(err)
			}
			if f.Amount != tt.want {
				t.Errorf("fee of %s %d = %d, want %d (%s)", tt.basis, tt.value, f.Amount, tt.want, f.Formula)
			}
			if !strings.Contains(f.Formula, tt.formula) {
				t.Errorf("formula %q lacks %q", f.Formula, tt.formula)
			}
		})
	}
}

func TestFeeOutsideTheSchedule(t *testing.T) {
	s := Schedule{Year: 2027, Bands: []Band{{Basis: Budget, From: 0, Fixed: amount(100)}}}
	if _, err := s.Compute(Population, 10, date.Date{}); err == nil || !strings.Contains(err.Error(), "pas de tranche") {
		t.Errorf("a population fee without population bands: %v", err)
	}
	for _, v := range []int64{-1, MaxBasis + 1} {
		if _, err := s.Compute(Budget, v, date.Date{}); err == nil {
			t.Errorf("a basis of %d was accepted", v)
		}
	}
	// The largest basis at the largest rate does not overflow.
	big := Schedule{Year: 2027, Bands: []Band{{Basis: Budget, From: 0, Base: MaxAmount, RatePPM: 1_000_000}}}
	if f, err := big.Compute(Budget, MaxBasis, date.Date{}); err != nil || f.Amount != MaxAmount+MaxBasis {
		t.Errorf("largest fee = %d, %v", f.Amount, err)
	}
}

func TestScheduleValidation(t *testing.T) {
	tests := []struct {
		name   string
		bands  []Band
		fields []string
	}{
		{"no band", nil, []string{"bands"}},
		{"the first band starts above 0", []Band{{Basis: Budget, From: 10, Fixed: amount(1)}}, []string{"b0_from"}},
		{"a gap", []Band{{Basis: Budget, From: 0, To: 10, Fixed: amount(1)}, {Basis: Budget, From: 20, Fixed: amount(2)}}, []string{"b1_from"}},
		{"an overlap", []Band{{Basis: Budget, From: 0, To: 20, Fixed: amount(1)}, {Basis: Budget, From: 10, Fixed: amount(2)}}, []string{"b1_from"}},
		{"the last band is closed", []Band{{Basis: Budget, From: 0, To: 10, Fixed: amount(1)}}, []string{"b0_to"}},
		{"an open band before the last", []Band{{Basis: Budget, From: 0, Fixed: amount(1)}, {Basis: Budget, From: 10, Fixed: amount(2)}}, []string{"b0_to"}},
		{"bounds upside down", []Band{{Basis: Budget, From: 10, To: 5, Fixed: amount(1)}}, []string{"b0_to"}},
		{"a fixed band with a rate", []Band{{Basis: Budget, From: 0, Fixed: amount(1), RatePPM: 5}}, []string{"b0_fixed"}},
		{"floor above cap", []Band{{Basis: Budget, From: 0, Floor: 10, Cap: 5}}, []string{"b0_cap"}},
		{"absurd amounts", []Band{{Basis: Budget, From: 0, Base: -1, RatePPM: 2_000_000, Floor: MaxAmount + 1}}, []string{"b0_base", "b0_rate", "b0_floor"}},
		{"unknown basis", []Band{{Basis: "surface", From: 0, Fixed: amount(1)}}, []string{"b0_basis"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Schedule{Year: 2027, Bands: tt.bands}.Validate()
			errs, ok := valid.As(err)
			if !ok {
				t.Fatalf("Validate = %v, want errors on %v", err, tt.fields)
			}
			for _, f := range tt.fields {
				if !errs.Has(f) {
					t.Errorf("no error on %s: %v", f, errs)
				}
			}
		})
	}
	if err := (Schedule{Year: 1999, Bands: testSchedule().Bands}).Validate(); err == nil {
		t.Error("the year 1999 was accepted")
	}
}

func TestBandLabelsAndRules(t *testing.T) {
	s := testSchedule()
	for i, want := range []string{"tranche 0–1\u00a0M€", "tranche 1–3\u00a0M€", "tranche 3\u00a0M€ et plus", "tranche 0–50\u202f000\u00a0habitants", "tranche 50\u202f000\u00a0habitants et plus"} {
		if got := s.Bands[i].Label(); got != want {
			t.Errorf("band %d label %q, want %q", i, got, want)
		}
	}
	if got := s.Bands[2].Rule(); got != "2\u202f000\u00a0€ + 0,1\u00a0% du budget (plancher 5\u202f500\u00a0€, plafond 10\u202f000\u00a0€)" {
		t.Errorf("rule %q", got)
	}
	if got := s.Bands[3].Rule(); got != "500\u00a0€ + 0,05\u00a0€ par habitant" {
		t.Errorf("rule %q", got)
	}
	if got := (Band{Basis: Budget, From: 500_000, To: 1_500_000}).Label(); got != "tranche 500–1\u202f500\u00a0k€" {
		t.Errorf("label %q", got)
	}
}
