package network

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/valid"
)

// BasisKind is what a fee is computed on.
type BasisKind string

// The bases of fees: an agency declares its annual budget in euros, a
// collectivité the population it covers.
const (
	Budget     BasisKind = "budget"
	Population BasisKind = "population"
)

// BasisKinds lists the bases in display order.
func BasisKinds() []BasisKind { return []BasisKind{Budget, Population} }

// Label is the basis in French.
func (b BasisKind) Label() string {
	switch b {
	case Budget:
		return "budget annuel"
	case Population:
		return "population couverte"
	}
	return string(b)
}

func (b BasisKind) valid() bool { return b == Budget || b == Population }

// Amount writes a value of the basis: « 1 250 000 € », « 12 500 habitants ».
func (b BasisKind) Amount(v int64) string {
	if b == Population {
		return fr.Plural(int(v), "habitant", "habitants")
	}
	return fr.Euros(v)
}

// BasisOf is the basis of an organisation's fee: its budget for an agency
// (and any organisation that is not a collectivité), its population for a
// region, a département, an EPCI or a commune.
func BasisOf(k organisation.Kind) BasisKind {
	switch k {
	case organisation.Region, organisation.Departement, organisation.EPCI, organisation.Commune:
		return Population
	}
	return Budget
}

// MaxBasis bounds a declared basis (a budget of 100 billion euros, far
// above any member's) so that fees never overflow.
const MaxBasis = 100_000_000_000

// MaxAmount bounds the amounts of a schedule and of a fee (euros).
const MaxAmount = 100_000_000

// Band is one band of a fee schedule: the bases from From (included) to To
// (excluded; 0 for the last, open band) pay Fixed when it is set, otherwise
// Base + Rate × basis, then at least Floor and at most Cap (0: none).
type Band struct {
	Basis BasisKind
	From  int64
	To    int64
	Fixed *int64
	Base  int64
	// RatePPM is the rate in millionths of a euro per euro of budget or per
	// inhabitant: 1 000 is 0,1 % of a budget, 50 000 is 0,05 € per
	// inhabitant.
	RatePPM int64
	Floor   int64
	Cap     int64
}

// Covers reports whether basis falls in the band.
func (b Band) Covers(basis int64) bool { return basis >= b.From && (b.To == 0 || basis < b.To) }

// Label names the band: « tranche 1–3 M€ », « tranche 50 000 habitants et
// plus ».
func (b Band) Label() string {
	unit := b.Basis.unit(b.From, b.To)
	if b.To == 0 {
		return "tranche " + unit.write(b.From) + " et plus"
	}
	return "tranche " + unit.number(b.From) + "–" + unit.write(b.To)
}

// Rule writes the band's amount: « 4 000 € », « 2 000 € + 0,1 % du budget
// (plancher 2 500 €, plafond 10 000 €) ».
func (b Band) Rule() string {
	if b.Fixed != nil {
		return fr.Euros(*b.Fixed)
	}
	var parts []string
	if b.Base != 0 || b.RatePPM == 0 {
		parts = append(parts, fr.Euros(b.Base))
	}
	if b.RatePPM != 0 {
		parts = append(parts, b.Basis.Rate(b.RatePPM)+map[BasisKind]string{Budget: " du budget", Population: " par habitant"}[b.Basis])
	}
	rule := strings.Join(parts, " + ")
	var limits []string
	if b.Floor > 0 {
		limits = append(limits, "plancher "+fr.Euros(b.Floor))
	}
	if b.Cap > 0 {
		limits = append(limits, "plafond "+fr.Euros(b.Cap))
	}
	if len(limits) > 0 {
		rule += " (" + strings.Join(limits, ", ") + ")"
	}
	return rule
}

// Rate writes a rate of the basis: « 0,1 % » of a budget, « 0,05 € » per
// inhabitant.
func (b BasisKind) Rate(ppm int64) string {
	if b == Population {
		return decimal(ppm, 6) + "\u00a0€"
	}
	return decimal(ppm, 4) + "\u00a0%"
}

// decimal writes n / 10^places with a decimal comma and no trailing zeros.
func decimal(n int64, places int) string {
	s := strconv.FormatInt(n, 10)
	for len(s) <= places {
		s = "0" + s
	}
	whole, frac := s[:len(s)-places], strings.TrimRight(s[len(s)-places:], "0")
	w, _ := strconv.ParseInt(whole, 10, 64)
	if frac == "" {
		return fr.Int(w)
	}
	return fr.Int(w) + "," + frac
}

// unit is how the bounds of a band are written: in M€, k€, € or
// inhabitants.
type unit struct {
	div    int64
	suffix string
}

func (b BasisKind) unit(from, to int64) unit {
	if b == Population {
		return unit{1, "\u00a0habitants"}
	}
	for _, u := range []unit{{1_000_000, "\u00a0M€"}, {1_000, "\u00a0k€"}} {
		if from%u.div == 0 && to%u.div == 0 {
			return u
		}
	}
	return unit{1, "\u00a0€"}
}

func (u unit) number(v int64) string { return fr.Int(v / u.div) }
func (u unit) write(v int64) string  { return u.number(v) + u.suffix }

// Schedule is the fee schedule of a year.
type Schedule struct {
	Year  int
	Bands []Band
}

// Has reports whether the schedule has bands on basis.
func (s Schedule) Has(basis BasisKind) bool {
	return slices.ContainsFunc(s.Bands, func(b Band) bool { return b.Basis == basis })
}

// bandField names the field of a band's value in validation errors, as the
// schedule's form names its inputs: « b2_to ».
func bandField(i int, name string) string { return "b" + strconv.Itoa(i) + "_" + name }

// Validate checks the schedule: a year, at least one band, each band sound
// (bounds, a fixed amount or a base and a rate, floor at most cap), and on
// each basis bands that start at 0, follow one another without gap or
// overlap and end with an open band, so that every basis has exactly one
// band. Errors name the band's fields in the form's terms (« b2_to »).
func (s Schedule) Validate() error {
	var errs valid.Errors
	if s.Year < 2000 || s.Year > 2100 {
		errs.Add("year", "l’année du barème va de 2000 à 2100")
	}
	if len(s.Bands) == 0 {
		errs.Add("bands", "le barème compte au moins une tranche")
	}
	for i, b := range s.Bands {
		if !b.Basis.valid() {
			errs.Add(bandField(i, "basis"), "choisissez l’assiette : budget ou population")
		}
		switch {
		case b.From < 0 || b.From > MaxBasis:
			errs.Add(bandField(i, "from"), "la borne basse va de 0 à %s", fr.Int(MaxBasis))
		case b.To != 0 && b.To <= b.From:
			errs.Add(bandField(i, "to"), "la borne haute dépasse la borne basse (%s)", fr.Int(b.From))
		case b.To < 0 || b.To > MaxBasis:
			errs.Add(bandField(i, "to"), "la borne haute va de 0 (tranche ouverte) à %s", fr.Int(MaxBasis))
		}
		if b.Fixed != nil {
			if *b.Fixed < 0 || *b.Fixed > MaxAmount {
				errs.Add(bandField(i, "fixed"), "le montant fixe va de 0 à %s", fr.Euros(MaxAmount))
			}
			if b.Base != 0 || b.RatePPM != 0 || b.Floor != 0 || b.Cap != 0 {
				errs.Add(bandField(i, "fixed"), "une tranche à montant fixe n’a ni base, ni taux, ni plancher, ni plafond")
			}
		}
		if b.Base < 0 || b.Base > MaxAmount {
			errs.Add(bandField(i, "base"), "la base va de 0 à %s", fr.Euros(MaxAmount))
		}
		if b.RatePPM < 0 || b.RatePPM > 1_000_000 {
			errs.Add(bandField(i, "rate"), "le taux va de 0 à 100 %% du budget, ou de 0 à 1 € par habitant")
		}
		if b.Floor < 0 || b.Floor > MaxAmount {
			errs.Add(bandField(i, "floor"), "le plancher va de 0 à %s", fr.Euros(MaxAmount))
		}
		if b.Cap < 0 || b.Cap > MaxAmount {
			errs.Add(bandField(i, "cap"), "le plafond va de 0 à %s", fr.Euros(MaxAmount))
		} else if b.Cap > 0 && b.Floor > b.Cap {
			errs.Add(bandField(i, "cap"), "le plafond est au moins le plancher (%s)", fr.Euros(b.Floor))
		}
	}
	if len(errs) == 0 {
		errs = append(errs, s.checkContinuity()...)
	}
	return errs.Err()
}

// checkContinuity checks that the bands of each basis tile [0, ∞).
func (s Schedule) checkContinuity() valid.Errors {
	var errs valid.Errors
	for _, basis := range BasisKinds() {
		var idx []int
		for i, b := range s.Bands {
			if b.Basis == basis {
				idx = append(idx, i)
			}
		}
		slices.SortFunc(idx, func(a, b int) int { return compareInt(s.Bands[a].From, s.Bands[b].From) })
		next := int64(0)
		for k, i := range idx {
			b := s.Bands[i]
			switch {
			case b.From != next && k == 0:
				errs.Add(bandField(i, "from"), "la première tranche (%s) commence à 0", basis.Label())
			case b.From < next:
				errs.Add(bandField(i, "from"), "cette tranche chevauche la précédente, qui va jusqu’à %s", basis.Amount(next))
			case b.From > next:
				errs.Add(bandField(i, "from"), "il manque une tranche de %s à %s", basis.Amount(next), basis.Amount(b.From))
			}
			last := k == len(idx)-1
			switch {
			case b.To == 0 && !last:
				errs.Add(bandField(i, "to"), "seule la dernière tranche est ouverte (sans borne haute)")
			case b.To != 0 && last:
				errs.Add(bandField(i, "to"), "la dernière tranche (%s) est ouverte : laissez sa borne haute vide", basis.Label())
			}
			next = b.To
		}
	}
	return errs
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Fee is a fee computed from a schedule.
type Fee struct {
	Annual   int64  // the year's fee of the band
	Amount   int64  // what is due: Annual, prorated for a joining organisation
	Quarters int    // quarters paid for: 4, or fewer in the joining year
	Formula  string // how, in French: « budget 1 250 000 € → tranche 1–3 M€ → 4 000 € »
}

// Compute returns the fee of a basis under the schedule. joined is the day
// an organisation joined when the fee is its first year's, the zero Date
// otherwise: the fee of a joining organisation is prorated by the quarters
// left in the year, the quarter of joining included (joined in January to
// March: 4/4; April to June: 3/4; July to September: 2/4; October to
// December: 1/4), rounded to the nearest euro. Floor and cap bound the
// annual fee, before the proration.
func (s Schedule) Compute(basis BasisKind, value int64, joined date.Date) (Fee, error) {
	if value < 0 || value > MaxBasis {
		return Fee{}, valid.FieldError{Field: "basis", Message: fmt.Sprintf("la valeur déclarée va de 0 à %s", fr.Int(MaxBasis))}
	}
	i := slices.IndexFunc(s.Bands, func(b Band) bool { return b.Basis == basis && b.Covers(value) })
	if i < 0 {
		return Fee{}, valid.FieldError{Field: "basis",
			Message: fmt.Sprintf("le barème %d n’a pas de tranche pour un %s de %s : un administrateur la définit d’abord", s.Year, basis.Label(), basis.Amount(value))}
	}
	b := s.Bands[i]
	f := Fee{Quarters: 4}
	steps := []string{basisName(basis) + " " + basis.Amount(value), b.Label()}
	if b.Fixed != nil {
		f.Annual = *b.Fixed
		steps = append(steps, fr.Euros(f.Annual))
	} else {
		// Integer arithmetic, rounded half up: value ≤ 10^11 and the rate
		// ≤ 10^6, so the product stays below 2^63.
		f.Annual = b.Base + (value*b.RatePPM+500_000)/1_000_000
		calc := fr.Euros(b.Base)
		if b.RatePPM != 0 {
			calc = fr.Euros(b.Base) + " + " + basis.Rate(b.RatePPM) + " × " + basis.Amount(value) + " = " + fr.Euros(f.Annual)
		}
		if b.Floor > 0 && f.Annual < b.Floor {
			f.Annual = b.Floor
			calc += ", relevé au plancher de " + fr.Euros(b.Floor)
		}
		if b.Cap > 0 && f.Annual > b.Cap {
			f.Annual = b.Cap
			calc += ", ramené au plafond de " + fr.Euros(b.Cap)
		}
		steps = append(steps, calc)
	}
	f.Amount = f.Annual
	f.Formula = strings.Join(steps, " → ")
	if !joined.IsZero() && joined.Year == s.Year {
		f.Quarters = 4 - (int(joined.Month)-1)/3
		if f.Quarters < 4 {
			f.Amount = (f.Annual*int64(f.Quarters) + 2) / 4
			f.Formula += fmt.Sprintf(" ; adhésion le %s : %s sur 4 → %s", fr.Date(joined), fr.Plural(f.Quarters, "trimestre", "trimestres"), fr.Euros(f.Amount))
		}
	}
	return f, nil
}

func basisName(b BasisKind) string {
	if b == Population {
		return "population"
	}
	return "budget"
}
