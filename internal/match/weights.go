package match

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"vivier/internal/valid"
)

// Weights are the points each score component is worth: the score is the
// weighted mean Σ wᵢ·cᵢ / Σ wᵢ of the components cᵢ, each in [0,1], so it is
// in [0,1] too. This is the one place where the weights are defined; an
// administrator changes them (the settings key SettingsKey holds them as
// JSON) and the engine applies them from the next query.
//
// Every weight is a whole number from 1 to 1000. None may be 0: a component
// with no weight could differ between two experts without changing their
// scores, and then an expert better on that component would not be
// guaranteed to rank above, which the engine promises.
type Weights struct {
	Skills       int `json:"skills"`       // coverage of the wanted skills, weighted by level
	Availability int `json:"availability"` // days per week available over the window, beyond what is asked
	Proximity    int `json:"proximity"`    // home commune: same commune > EPCI > département > region
	Experience   int `json:"experience"`   // past missions in communes of the need's size class, then years
	Reviews      int `json:"reviews"`      // Bayesian mean of the requesters' reviews
	Rate         int `json:"rate"`         // cheaper is better, against a reference rate of 1 500 € (not the need's maximum)
	Load         int `json:"load"`         // fewer active missions and recent proposals
	Freshness    int `json:"freshness"`    // profile updated recently
}

// SettingsKey is the key of the weights in the settings table.
const SettingsKey = "match.weights"

// MaxWeight is the largest weight a component may have.
const MaxWeight = 1000

// DefaultWeights are the weights used until an administrator sets others.
// They add up to 100, so each reads as a percentage of the score: skill fit
// first, then the territory (proximity and experience of similar communes),
// then quality (reviews), cost, and small weights for spreading the work
// (load) and for profiles kept current (freshness).
func DefaultWeights() Weights {
	return Weights{
		Skills:       30,
		Availability: 10,
		Proximity:    15,
		Experience:   15,
		Reviews:      10,
		Rate:         10,
		Load:         5,
		Freshness:    5,
	}
}

// vector returns the weights in component order.
func (w Weights) vector() [numComponents]uint64 {
	// A negative weight reads as a huge one, which Validate refuses.
	return [numComponents]uint64{
		CompSkills:       uint64(w.Skills),
		CompAvailability: uint64(w.Availability),
		CompProximity:    uint64(w.Proximity),
		CompExperience:   uint64(w.Experience),
		CompReviews:      uint64(w.Reviews),
		CompRate:         uint64(w.Rate),
		CompLoad:         uint64(w.Load),
		CompFreshness:    uint64(w.Freshness),
	}
}

// Validate checks that every weight is a whole number from 1 to MaxWeight
// and returns valid.Errors naming each one that is not by its JSON key.
func (w Weights) Validate() error {
	var errs valid.Errors
	v := w.vector()
	for c := range numComponents {
		if v[c] < 1 || v[c] > MaxWeight {
			errs.Add(c.String(), "le poids « %s » doit être un nombre entier de 1 à %d", c.Label(), MaxWeight)
		}
	}
	return errs.Err()
}

// errBadWeights marks stored weights that are not the JSON of Weights.
var errBadWeights = errors.New("match: stored weights are not valid JSON weights")

// ParseWeights reads weights stored as JSON, starting from the defaults so
// that a component added later keeps its default weight, and validates them.
func ParseWeights(b []byte) (Weights, error) {
	w := DefaultWeights()
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Weights{}, fmt.Errorf("%w: %w", errBadWeights, err)
	}
	if err := w.Validate(); err != nil {
		return Weights{}, err
	}
	return w, nil
}

// Component names one part of the soft score.
type Component uint8

// The components of the score, in the order they are shown.
const (
	CompSkills Component = iota
	CompAvailability
	CompProximity
	CompExperience
	CompReviews
	CompRate
	CompLoad
	CompFreshness
	numComponents
)

var componentKeys = [numComponents]string{"skills", "availability", "proximity", "experience",
	"reviews", "rate", "load", "freshness"}

var componentLabels = [numComponents]string{"Compétences", "Disponibilité", "Proximité",
	"Expérience territoriale", "Avis", "TJM", "Charge", "Profil à jour"}

// ComponentList returns every component in display order.
func ComponentList() []Component {
	l := make([]Component, numComponents)
	for i := range l {
		l[i] = Component(i)
	}
	return l
}

// String returns the component's JSON key ("skills").
func (c Component) String() string {
	if c >= numComponents {
		return fmt.Sprintf("component(%d)", c)
	}
	return componentKeys[c]
}

// Label returns the component's French label, for the need page.
func (c Component) Label() string {
	if c >= numComponents {
		return ""
	}
	return componentLabels[c]
}
