package match

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Reason is a hard constraint an expert can fail. The constants are in the
// order the constraints are checked: an excluded expert is counted under the
// first one they fail, and only that one.
type Reason uint8

// The hard constraints, in checking order. Pass is not a constraint: it is
// what checking returns for an expert who fails none.
const (
	Pass               Reason = iota
	NotQualified              // lifecycle status is not "qualified"
	MissingSkill              // a required skill absent or below its minimum level
	Unavailable               // some day of the window not covered at the days per week asked
	OutOfZone                 // on-site or hybrid need outside every zone of the expert
	ConflictOfInterest        // employer (or a declared conflict) is the requester, its EPCI or commune
	RateTooHigh               // daily rate above the need's maximum
	Language                  // a language of the need not spoken
	numReasons
)

// Reasons lists the constraints in checking order.
func Reasons() []Reason {
	return []Reason{NotQualified, MissingSkill, Unavailable, OutOfZone, ConflictOfInterest, RateTooHigh, Language}
}

var reasonKeys = [numReasons]string{"", "not_qualified", "missing_skill", "unavailable", "out_of_zone",
	"conflict_of_interest", "rate_too_high", "language"}

// String returns the stable key of the reason, as in the JSON output
// ("missing_skill"); "" for Pass.
func (r Reason) String() string {
	if r >= numReasons {
		return fmt.Sprintf("reason(%d)", r)
	}
	return reasonKeys[r]
}

// ParseReason returns the reason with the given key.
func ParseReason(key string) (Reason, bool) {
	for _, r := range Reasons() {
		if reasonKeys[r] == key {
			return r, true
		}
	}
	return Pass, false
}

// Label returns a short French label for the reason, for the need page.
func (r Reason) Label() string {
	switch r {
	case NotQualified:
		return "non qualifié"
	case MissingSkill:
		return "compétence requise manquante"
	case Unavailable:
		return "non disponible"
	case OutOfZone:
		return "hors zone"
	case ConflictOfInterest:
		return "conflit d’intérêts"
	case RateTooHigh:
		return "TJM trop élevé"
	case Language:
		return "langue"
	}
	return ""
}

// Excluded counts the excluded experts by first failing reason. Every key is
// always written, zeros included, so that API clients see a stable shape.
type Excluded [numReasons]int

// Get returns the count for a reason.
func (x *Excluded) Get(r Reason) int { return x[r] }

// Total returns the number of excluded experts.
func (x *Excluded) Total() int {
	n := 0
	for _, r := range Reasons() {
		n += x[r]
	}
	return n
}

// MarshalJSON writes {"not_qualified":3,"missing_skill":12,…} in checking
// order.
func (x Excluded) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, r := range Reasons() {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%d", r.String(), x[r])
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes; unknown keys are an error.
func (x *Excluded) UnmarshalJSON(b []byte) error {
	var m map[string]int
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*x = Excluded{}
	for k, v := range m {
		r, ok := ParseReason(k)
		if !ok {
			return fmt.Errorf("unknown exclusion reason %q", k)
		}
		x[r] = v
	}
	return nil
}
