package mission

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// RatesKey is the settings key of the reference private-consultancy daily
// rates, a JSON object from skill domain to whole euros.
const RatesKey = "mission.reference_rates"

// DefaultRates are the reference rates used until an administrator sets
// them: the usual daily rate of a private consultancy for each domain.
var DefaultRates = map[string]int{
	"attractivite": 1100,
	"filieres":     1050,
	"entreprises":  1000,
	"management":   1200,
	"strategie":    1150,
}

// Domains lists the skill domains with their French label, in order.
func Domains() [][2]string {
	return [][2]string{
		{"attractivite", "Attractivité"},
		{"filieres", "Filières"},
		{"entreprises", "Entreprises"},
		{"management", "Management et direction"},
		{"strategie", "Stratégie territoriale"},
	}
}

// DomainLabel is a domain in French.
func DomainLabel(code string) string {
	for _, d := range Domains() {
		if d[0] == code {
			return d[1]
		}
	}
	if code == "" {
		return "non précisé"
	}
	return code
}

// ReferenceRates returns the reference rate of each domain: the stored
// ones over the defaults. Anyone signed in may read them (the mission page
// shows the saving they give).
func (s *Service) ReferenceRates(ctx context.Context, actor access.Actor) (map[string]int, error) {
	if !actor.SignedIn() && !actor.IsSystem() {
		return nil, access.Deny("les tarifs de référence sont réservés aux personnes connectées")
	}
	return referenceRates(ctx, s.db)
}

func referenceRates(ctx context.Context, q store.Querier) (map[string]int, error) {
	rates := map[string]int{}
	for k, v := range DefaultRates {
		rates[k] = v
	}
	raw, ok, err := store.Setting(ctx, q, RatesKey)
	if err != nil || !ok {
		return rates, err
	}
	stored := map[string]int{}
	if err := json.Unmarshal([]byte(raw), &stored); err != nil {
		return nil, err
	}
	for k, v := range stored {
		rates[k] = v
	}
	return rates, nil
}

// SetReferenceRates stores the reference rates (each between 100 and
// 5 000 €, one per known domain); administrators only.
func (s *Service) SetReferenceRates(ctx context.Context, rates map[string]int, actor access.Actor) error {
	if !actor.Admin() {
		return access.Deny("seul un administrateur change les tarifs de référence")
	}
	var errs valid.Errors
	keys := make([]string, 0, len(rates))
	for k := range rates {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := DefaultRates[k]; !ok {
			errs.Add("rate_"+k, "domaine %s inconnu", k)
		} else if v := rates[k]; v < 100 || v > 5000 {
			errs.Add("rate_"+k, "%s : saisissez un tarif journalier entre 100 et 5 000 €", DomainLabel(k))
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	raw, err := json.Marshal(rates)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if err := store.PutSetting(ctx, tx, RatesKey, string(raw), now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.reference_rates", Subject: "settings:" + RatesKey})
	})
}

// Saving is what the mission saves against a private consultancy: its days
// (logged, else planned) times the reference rate of its domain, minus its
// cost. It can be negative when the expert is dearer.
func Saving(m Mission, rates map[string]int) int {
	ref, ok := rates[m.Domain]
	if !ok {
		return 0
	}
	days2 := m.LoggedHalves
	if days2 == 0 {
		days2 = 2 * m.PlannedDays
	}
	return days2*ref/2 - m.Cost()
}
